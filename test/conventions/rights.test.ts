import type TestAgent from 'supertest/lib/agent.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { csrfTokenFrom, startTestApp, type TestApp } from '../support/test-app.ts';
import { completeWizard, conventionTables, enrolmentOf, post, studentFields, teacherId } from './support.ts';

/**
 * Who may see, edit, cancel and delete a convention (docs/domain.md), for every kind of person. A
 * convention another person may not see answers 404 (its existence does not leak); one they see but
 * may not change answers 403. A refused request leaves the database as it was.
 */
const ACTORS = [
  'anonymous',
  'etu.sciences1',
  'etu.sciences2',
  'etu.droit1',
  'prof.martin',
  'prof.durand',
  'lect.sciences',
  'gest.sciences',
  'resp.sciences',
  'gest.droit',
  'admin',
] as const;
type ActorName = (typeof ACTORS)[number];
type Expected = Record<ActorName, number>;

// Columns: anonymous, owner, other student, student of Droit, supervising teacher, other teacher,
// READ, WRITE, ADMIN of Sciences, WRITE of Droit, super-admin.
const expect11 = (...codes: number[]): Expected => Object.fromEntries(ACTORS.map((actor, index) => [actor, codes[index]!])) as Expected;
const VIEW = expect11(302, 200, 404, 404, 200, 404, 200, 200, 200, 404, 200);
const EDIT = expect11(403, 302, 404, 404, 403, 404, 403, 302, 302, 404, 302);
const CANCEL = expect11(403, 302, 404, 404, 403, 404, 403, 403, 403, 404, 403);
const DELETE = expect11(403, 302, 404, 404, 403, 404, 403, 302, 302, 404, 302);
// A draft a student is writing: only they (and the super-admin) see it.
const STUDENT_DRAFT = expect11(302, 200, 404, 404, 404, 404, 404, 404, 404, 404, 200);
// A draft entered by staff for etu.sciences2: the student and the centre's staff see it.
const STAFF_DRAFT = expect11(302, 404, 200, 404, 404, 404, 200, 200, 200, 404, 200);

describe('rights on conventions', () => {
  let app: TestApp;
  const agents = new Map<ActorName, TestAgent>();
  let number: number;
  let studentDraft: string;
  let staffDraft: string;

  beforeAll(async () => {
    app = await startTestApp();
    for (const actor of ACTORS) agents.set(actor, actor === 'anonymous' ? app.anonymous() : await app.signIn(actor));
    number = (await completeWizard(agents.get('etu.sciences1')!, app.knex, { login: 'etu.sciences1', create: true, supervisor: 'prof.martin' })).number!;
    ({ base: studentDraft } = await completeWizard(agents.get('etu.sciences1')!, app.knex, { login: 'etu.sciences1' }));
    const { studentId } = await enrolmentOf(app.knex, 'etu.sciences2');
    ({ base: staffDraft } = await completeWizard(agents.get('gest.sciences')!, app.knex, { login: 'etu.sciences2', studentId }));
  });
  afterAll(() => app.close());

  const version = async () => String((await app.knex('convention').where({ number }).first('version')).version);

  /** A form post as the actor's browser would send it (anonymous visitors have no token to send). */
  async function send(actor: ActorName, path: string, fields: Record<string, string>) {
    const agent = agents.get(actor)!;
    if (actor === 'anonymous') return agent.post(path).type('form').send(fields);
    const token = await csrfTokenFrom(agent, '/');
    return agent
      .post(path)
      .type('form')
      .send({ _csrf: token, ...fields });
  }

  for (const path of ['', '/student', '/host', '/service', '/tutor', '/internship', '/supervisor', '/signatory']) {
    it.each(ACTORS)(`GET a convention${path || ' (summary)'}: %s`, async (actor) => {
      const target = `/conventions/${number}${path}`;
      const response = await agents.get(actor)!.get(target);
      expect(response.status, `${actor} GET ${target}`).toBe(VIEW[actor]);
      if (response.status === 200) expect(response.text).toContain(`Convention n° ${number}`);
    });
  }

  it.each(ACTORS)('GET a student’s draft: %s', async (actor) => {
    const response = await agents.get(actor)!.get(`${studentDraft}/summary`);
    expect(response.status, actor).toBe(STUDENT_DRAFT[actor]);
  });

  it.each(ACTORS)('GET a draft entered by staff: %s', async (actor) => {
    const response = await agents.get(actor)!.get(`${staffDraft}/internship`);
    expect(response.status, actor).toBe(STAFF_DRAFT[actor]);
  });

  it('shows the edit forms only to those who may edit', async () => {
    for (const actor of ['etu.sciences1', 'gest.sciences', 'resp.sciences', 'admin'] as const) {
      const page = await agents.get(actor)!.get(`/conventions/${number}/internship`);
      expect(page.text, actor).toContain(`action="/conventions/${number}/internship"`);
    }
    for (const actor of ['prof.martin', 'lect.sciences'] as const) {
      const page = await agents.get(actor)!.get(`/conventions/${number}/internship`);
      expect(page.text, actor).not.toContain('method="post" action="/conventions/');
      expect(page.text, actor).toContain('Vous consultez cette convention en lecture seule.');
    }
  });

  it.each(ACTORS)('POST an edit: %s', async (actor) => {
    const before = await conventionTables(app.knex);
    const supervisor = String(await teacherId(app.knex, 'prof.martin'));
    const response = await send(actor, `/conventions/${number}/supervisor`, { version: await version(), supervisor_teacher_id: supervisor });
    expect(response.status, `${actor}: ${response.text.slice(0, 300)}`).toBe(EDIT[actor]);
    if (response.status !== 302) expect(await conventionTables(app.knex)).toBe(before);
  });

  it.each(ACTORS)('POST a cancellation, refused: %s', async (actor) => {
    if (CANCEL[actor] === 302) return;
    const before = await conventionTables(app.knex);
    const response = await send(actor, `/conventions/${number}/cancel`, { version: await version() });
    expect(response.status, actor).toBe(CANCEL[actor]);
    expect(await conventionTables(app.knex)).toBe(before);
  });

  it.each(ACTORS)('POST a deletion, refused: %s', async (actor) => {
    if (DELETE[actor] === 302) return;
    const before = await conventionTables(app.knex);
    const response = await send(actor, `/conventions/${number}/delete`, {});
    expect(response.status, actor).toBe(DELETE[actor]);
    expect(await conventionTables(app.knex)).toBe(before);
  });

  it('lists for each person only the conventions they may see', async () => {
    const link = `href="/conventions/${number}"`;
    const draftLink = `href="${studentDraft}/summary"`;
    for (const actor of ['etu.sciences1', 'prof.martin', 'lect.sciences', 'gest.sciences', 'admin'] as const) {
      const list = await agents.get(actor)!.get('/conventions').expect(200);
      expect(list.text, actor).toContain(link);
    }
    for (const actor of ['etu.sciences2', 'etu.droit1', 'prof.durand', 'gest.droit'] as const) {
      const list = await agents.get(actor)!.get('/conventions').expect(200);
      expect(list.text, actor).not.toContain(link);
    }
    for (const actor of ['gest.sciences', 'lect.sciences', 'prof.martin'] as const) {
      const list = await agents.get(actor)!.get('/conventions').expect(200);
      expect(list.text, actor).not.toContain(draftLink);
    }
    // Filters cannot widen the scope.
    const filtered = await agents.get('gest.droit')!.get(`/conventions?number=${number}`).expect(200);
    expect(filtered.text).not.toContain(link);
  });

  it('lets only students and WRITE staff start a convention', async () => {
    for (const actor of ['prof.martin', 'lect.sciences'] as const) {
      expect((await agents.get(actor)!.get('/conventions/new')).status, actor).toBe(403);
      expect((await agents.get(actor)!.get('/conventions/new/student')).status, actor).toBe(403);
    }
    const { id } = await enrolmentOf(app.knex, 'etu.sciences1');
    const before = await conventionTables(app.knex);
    // Staff of another centre cannot create one for a Sciences student, even by forging the form.
    const { studentId } = await enrolmentOf(app.knex, 'etu.sciences1');
    const forged = await send('gest.droit', '/conventions/new/student', { ...studentFields(id), student_id: String(studentId) });
    expect(forged.status).toBe(404);
    expect(await conventionTables(app.knex)).toBe(before);
  });

  it('refuses students whose centre closes the creation', async () => {
    const agent = agents.get('etu.droit1')!;
    const centre = await app.knex('centre').where({ name: 'UFR Droit et économie' }).first('id');
    await app.knex('centre').where({ id: centre.id }).update({ students_may_create: false });
    try {
      const page = await agent.get('/conventions/new/student');
      expect(page.status).toBe(403);
      expect(page.text).toContain('ne permet pas aux étudiants de saisir leur convention');
      const { id } = await enrolmentOf(app.knex, 'etu.droit1');
      const before = await conventionTables(app.knex);
      const response = await post(agent, '/conventions/new/student', studentFields(id), '/conventions');
      expect(response.status).toBe(403);
      expect(await conventionTables(app.knex)).toBe(before);
      // Their centre's staff still may.
      const staff = await app.signIn('gest.droit');
      const { studentId } = await enrolmentOf(app.knex, 'etu.droit1');
      expect((await staff.get(`/conventions/new/student?student=${studentId}`)).status).toBe(200);
    } finally {
      await app.knex('centre').where({ id: centre.id }).update({ students_may_create: true });
    }
  });

  it('makes a validated convention read-only, in the database too', async () => {
    await app.knex('convention').where({ number }).update({ status: 'validated' });
    try {
      const owner = await send('etu.sciences1', `/conventions/${number}/supervisor`, { version: await version(), skip: '1' });
      expect(owner.status).toBe(403);
      const staff = await send('gest.sciences', `/conventions/${number}/delete`, {});
      expect(staff.status).toBe(403);
      await expect(app.knex('convention').where({ number }).update({ subject: 'Changé en douce' })).rejects.toThrow(/validated/);
      await expect(app.knex('convention').where({ number }).delete()).rejects.toThrow(/validated/);
      const id = (await app.knex('convention').where({ number }).first('id')).id;
      await expect(
        app.knex('convention_interruption').insert({ convention_id: id, start_date: '2027-04-01', end_date: '2027-04-02', position: 9 }),
      ).rejects.toThrow(/validated/);
    } finally {
      await app.knex('convention').where({ number }).update({ status: 'submitted' });
    }
  });

  it('lets the owner delete their own draft, and records it', async () => {
    const id = studentDraft.split('/').pop();
    const response = await send('etu.sciences1', `${studentDraft}/delete`, {});
    expect(response.status).toBe(302);
    expect(await app.knex('convention').where({ id }).first()).toBeUndefined();
    expect(await app.knex('audit_log').where({ action: 'convention.delete', entity_id: id, actor_login: 'etu.sciences1' }).first()).toBeDefined();
  });
});
