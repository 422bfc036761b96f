import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type TestAgent from 'supertest/lib/agent.js';
import { startTestApp, type TestApp } from '../support/test-app.ts';
import { centreTables, demoCentres, tinyPng, type DemoCentres } from './support.ts';

/**
 * Every centre route for every kind of person (docs/domain.md), on the UFR Sciences centre (and, for the
 * centre of another service, UFR Droit). The staff of other centres are a WRITE member (gest.droit)
 * and an ADMIN (gest.iut, of the IUT): administering a centre gives no right on any other.
 * A refused request must leave the database as it was.
 */
const ACTORS = ['anonymous', 'etu.sciences1', 'prof.martin', 'lect.sciences', 'gest.sciences', 'resp.sciences', 'gest.droit', 'gest.iut', 'admin'] as const;
type ActorName = (typeof ACTORS)[number];
type Expected = Record<ActorName, number>;

const expectations = (anonymous: number, ...signedIn: number[]): Expected =>
  Object.fromEntries(ACTORS.map((actor, index) => [actor, index === 0 ? anonymous : signedIn[index - 1]!])) as Expected;

// Order of the signed-in columns: student, teacher, READ, WRITE, ADMIN of Sciences, WRITE of Droit, ADMIN of IUT, super-admin.
const ANY_STAFF = expectations(302, 403, 403, 200, 200, 200, 200, 200, 200);
const SUPER_ADMIN_PAGE = expectations(302, 403, 403, 403, 403, 403, 403, 403, 200);
const SCIENCES_MEMBERS_PAGE = expectations(302, 403, 403, 200, 200, 200, 403, 403, 200);
const DROIT_MEMBERS_PAGE = expectations(302, 403, 403, 403, 403, 403, 200, 403, 200);
const IUT_MEMBERS_PAGE = expectations(302, 403, 403, 403, 403, 403, 403, 200, 200);
// Droit has no logo: its members learn that there is none, the others that the centre is not theirs.
const DROIT_LOGO = expectations(302, 403, 403, 403, 403, 403, 404, 403, 404);

describe('rights on the centre pages', () => {
  let testApp: TestApp;
  let centres: DemoCentres;
  const agents = new Map<ActorName, TestAgent>();
  let droitCriterionId: number;
  let droitMemberId: number;
  let sciencesCriterionId: number;
  let sciencesMemberId: number;
  let iutStaffId: number;

  beforeAll(async () => {
    testApp = await startTestApp();
    centres = await demoCentres(testApp.knex);
    for (const actor of ACTORS) agents.set(actor, actor === 'anonymous' ? testApp.anonymous() : await testApp.signIn(actor));
    droitCriterionId = (await testApp.knex('centre_criterion').where({ centre_id: centres.droit }).first('id')).id;
    droitMemberId = (await testApp.knex('centre_member').where({ centre_id: centres.droit }).first('id')).id;
    sciencesCriterionId = (await testApp.knex('centre_criterion').where({ centre_id: centres.sciences }).first('id')).id;
    sciencesMemberId = (await testApp.knex('centre_member').where({ centre_id: centres.sciences }).first('id')).id;
    iutStaffId = (await testApp.knex('staff').where({ login: 'gest.iut' }).first('id')).id;
  });
  afterAll(() => testApp.close());

  describe('pages', () => {
    beforeAll(async () => {
      await testApp.knex('centre').where({ id: centres.sciences }).update({ logo: tinyPng(), logo_mime_type: 'image/png' });
    });
    afterAll(async () => {
      await testApp.knex('centre').where({ id: centres.sciences }).update({ logo: null, logo_mime_type: null });
    });

    const pages: [string, (centres: DemoCentres) => string, Expected][] = [
      ['the list', () => '/centres', ANY_STAFF],
      ['the new centre form', () => '/centres/new', SUPER_ADMIN_PAGE],
      ['a centre', (c) => `/centres/${c.sciences}`, SCIENCES_MEMBERS_PAGE],
      ['its logo', (c) => `/centres/${c.sciences}/logo`, SCIENCES_MEMBERS_PAGE],
      ['its members', (c) => `/centres/${c.sciences}/members`, SCIENCES_MEMBERS_PAGE],
      ['its members, with a search', (c) => `/centres/${c.sciences}/members?lastName=gest`, SCIENCES_MEMBERS_PAGE],
      ['its deletion page', (c) => `/centres/${c.sciences}/delete`, SUPER_ADMIN_PAGE],
      ['another centre', (c) => `/centres/${c.droit}`, DROIT_MEMBERS_PAGE],
      ['the members of another centre', (c) => `/centres/${c.droit}/members`, DROIT_MEMBERS_PAGE],
      ['the members of another centre, with a search', (c) => `/centres/${c.droit}/members?lastName=gest`, DROIT_MEMBERS_PAGE],
      ['the logo of another centre', (c) => `/centres/${c.droit}/logo`, DROIT_LOGO],
      ['the deletion page of another centre', (c) => `/centres/${c.droit}/delete`, SUPER_ADMIN_PAGE],
      ['the centre the IUT administrator administers', (c) => `/centres/${c.iut}`, IUT_MEMBERS_PAGE],
      ['the members of the IUT', (c) => `/centres/${c.iut}/members`, IUT_MEMBERS_PAGE],
    ];

    for (const [label, path, expected] of pages) {
      it.each(ACTORS)(`GET ${label}: %s`, async (actor) => {
        const target = path(centres);
        const response = await agents.get(actor)!.get(target);
        expect(response.status, `${actor} GET ${target}`).toBe(expected[actor]);
        if (response.status === 302) expect(response.headers.location).toBe(`/auth/login?returnTo=${encodeURIComponent(target)}`);
        if (response.status === 403) expect(response.text).toContain('Accès refusé');
      });
    }

    it('shows the settings form to those who administer the centre, and the settings as text to the other members', async () => {
      for (const actor of ['resp.sciences', 'admin'] as const) {
        const page = await agents.get(actor)!.get(`/centres/${centres.sciences}`).expect(200);
        expect(page.text, actor).toContain(`action="/centres/${centres.sciences}"`);
        expect(page.text, actor).toContain('name="version"');
      }
      for (const actor of ['lect.sciences', 'gest.sciences'] as const) {
        const page = await agents.get(actor)!.get(`/centres/${centres.sciences}`).expect(200);
        expect(page.text, actor).not.toContain('<form method="post" action="/centres/');
        expect(page.text, actor).toContain('Vous consultez ce centre en lecture');
      }
    });

    it('offers the directory search only to those who administer the centre', async () => {
      const admin = await agents.get('resp.sciences')!.get(`/centres/${centres.sciences}/members?lastName=lef`).expect(200);
      expect(admin.text).toContain('Rattacher une personne');
      expect(admin.text).toContain('Hélène Lefèvre');
      const writer = await agents.get('gest.sciences')!.get(`/centres/${centres.sciences}/members?lastName=lef`).expect(200);
      expect(writer.text).not.toContain('Rattacher une personne');
      expect(writer.text).not.toContain('Hélène Lefèvre');
      expect(writer.text).toContain('Sophie Gestionnaire');
    });

    it('uses no inline script, style or event handler, which the strict CSP would block', async () => {
      for (const path of [
        '/centres',
        '/centres/new',
        `/centres/${centres.sciences}`,
        `/centres/${centres.sciences}/members?lastName=gest`,
        `/centres/${centres.sciences}/delete`,
      ]) {
        const page = await agents.get('admin')!.get(path).expect(200);
        expect(page.text, path).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
        expect(page.text, path).not.toMatch(/\sstyle=|<style/);
        expect(page.text, path).not.toMatch(/\son[a-z]+=/);
      }
    });

    it('answers 404 for ids that are not ids or name no centre', async () => {
      const admin = agents.get('admin')!;
      for (const path of [
        '/centres/abc',
        '/centres/0',
        '/centres/-1',
        '/centres/1.5',
        '/centres/99999999999',
        '/centres/999999',
        '/centres/999999/members',
        '/centres/999999/logo',
        '/centres/999999/delete',
      ]) {
        const response = await admin.get(path);
        expect(response.status, path).toBe(404);
        expect(response.text).toContain('Page introuvable');
      }
    });
  });

  describe('changes', () => {
    // Each post is refused (403) or, for those allowed, stopped by its own rules before any write, so
    // that the whole matrix runs on the same data: the assertions after each post hold for everybody.
    const ALLOWED_TO_ADMINISTER = (allowed: number) => expectations(403, 403, 403, 403, 403, allowed, 403, 403, allowed);
    const SUPER_ADMIN_ONLY = (allowed: number) => expectations(403, 403, 403, 403, 403, 403, 403, 403, allowed);
    // Nobody administers Droit but the super-admin: its WRITE member and the ADMIN of the IUT are refused alike.
    const ALLOWED_TO_ADMINISTER_DROIT = SUPER_ADMIN_ONLY;

    const posts: [string, () => string, () => Record<string, string>, Expected][] = [
      ['create a centre (empty form)', () => '/centres', () => ({}), SUPER_ADMIN_ONLY(422)],
      ['save settings (no name)', () => `/centres/${centres.sciences}`, () => ({ version: '1' }), ALLOWED_TO_ADMINISTER(422)],
      [
        'add a criterion (none chosen)',
        () => `/centres/${centres.sciences}/criteria`,
        () => ({ kind: 'faculty', faculty_code: '' }),
        ALLOWED_TO_ADMINISTER(422),
      ],
      [
        'remove a criterion of another centre',
        () => `/centres/${centres.sciences}/criteria/${droitCriterionId}/delete`,
        () => ({}),
        ALLOWED_TO_ADMINISTER(404),
      ],
      ['upload a logo (no file)', () => `/centres/${centres.sciences}/logo`, () => ({}), ALLOWED_TO_ADMINISTER(422)],
      ['delete the logo (there is none)', () => `/centres/${centres.sciences}/logo/delete`, () => ({}), ALLOWED_TO_ADMINISTER(302)],
      ['delete the centre (members attached)', () => `/centres/${centres.sciences}/delete`, () => ({}), SUPER_ADMIN_ONLY(409)],
      [
        'attach a person (unknown right)',
        () => `/centres/${centres.sciences}/members`,
        () => ({ staff_id: String(iutStaffId), access_right: 'BOSS' }),
        ALLOWED_TO_ADMINISTER(422),
      ],
      [
        'change a member of another centre',
        () => `/centres/${centres.sciences}/members/${droitMemberId}`,
        () => ({ access_right: 'ADMIN' }),
        ALLOWED_TO_ADMINISTER(404),
      ],
      ['detach a member of another centre', () => `/centres/${centres.sciences}/members/${droitMemberId}/delete`, () => ({}), ALLOWED_TO_ADMINISTER(404)],
      ['save the settings of Droit (no name)', () => `/centres/${centres.droit}`, () => ({ version: '1' }), ALLOWED_TO_ADMINISTER_DROIT(422)],
      [
        'add a criterion to Droit (none chosen)',
        () => `/centres/${centres.droit}/criteria`,
        () => ({ kind: 'step', step_code: '' }),
        ALLOWED_TO_ADMINISTER_DROIT(422),
      ],
      [
        'remove from Droit a criterion of Sciences',
        () => `/centres/${centres.droit}/criteria/${sciencesCriterionId}/delete`,
        () => ({}),
        ALLOWED_TO_ADMINISTER_DROIT(404),
      ],
      ['upload a logo for Droit (no file)', () => `/centres/${centres.droit}/logo`, () => ({}), ALLOWED_TO_ADMINISTER_DROIT(422)],
      ['delete the logo of Droit (there is none)', () => `/centres/${centres.droit}/logo/delete`, () => ({}), ALLOWED_TO_ADMINISTER_DROIT(302)],
      ['delete Droit (members attached)', () => `/centres/${centres.droit}/delete`, () => ({}), SUPER_ADMIN_ONLY(409)],
      [
        'attach a person to Droit (unknown right)',
        () => `/centres/${centres.droit}/members`,
        () => ({ staff_id: String(iutStaffId), access_right: 'BOSS' }),
        ALLOWED_TO_ADMINISTER_DROIT(422),
      ],
      [
        'change the right of a member of Droit (unknown right)',
        () => `/centres/${centres.droit}/members/${droitMemberId}`,
        () => ({ access_right: 'OWNER' }),
        ALLOWED_TO_ADMINISTER_DROIT(422),
      ],
      [
        'detach from Droit a member of Sciences',
        () => `/centres/${centres.droit}/members/${sciencesMemberId}/delete`,
        () => ({}),
        ALLOWED_TO_ADMINISTER_DROIT(404),
      ],
    ];

    for (const [label, path, fields, expected] of posts) {
      it.each(ACTORS)(`POST ${label}: %s`, async (actor) => {
        const agent = agents.get(actor)!;
        const token = actor === 'anonymous' ? undefined : /name="_csrf" value="([^"]+)"/.exec((await agent.get('/')).text)![1];
        const before = await centreTables(testApp.knex);
        const response = await agent
          .post(path())
          .type('form')
          .send({ ...(token ? { _csrf: token } : {}), ...fields() });
        expect(response.status, `${actor} POST ${path()}`).toBe(expected[actor]);
        expect(await centreTables(testApp.knex), 'nothing changed').toBe(before);
      });
    }

    it('refuses a post without its CSRF token, even from a super-admin, and changes nothing', async () => {
      const before = await centreTables(testApp.knex);
      const refused = await agents.get('admin')!.post(`/centres/${centres.iut}/delete`).type('form').send({});
      expect(refused.status).toBe(403);
      expect(refused.text).toContain('Le formulaire a expiré');
      await agents.get('admin')!.post(`/centres/${centres.iut}/logo/delete`).type('form').send({ _csrf: 'forged' }).expect(403);
      expect(await centreTables(testApp.knex)).toBe(before);
    });
  });
});
