import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type TestAgent from 'supertest/lib/agent.js';
import { csrfTokenFrom, startTestApp, type TestApp } from '../support/test-app.ts';
import { companyCentreId, depositForm, newDepositLink, postDeposit } from './deposit-support.ts';

/** The company deposit link: who may create it, regeneration, and the moderation of deposited offers. */
describe('company deposit link and moderation', () => {
  let testApp: TestApp;
  let agentStages: TestAgent;
  beforeAll(async () => {
    testApp = await startTestApp();
    agentStages = await testApp.signIn('agent.stages');
  });
  afterAll(() => testApp.close());

  describe('the staff page', () => {
    it('sends anonymous visitors to sign in', async () => {
      const page = await testApp.anonymous().get('/offers/deposit-link').expect(302);
      expect(page.headers.location).toBe('/auth/login?returnTo=%2Foffers%2Fdeposit-link');
    });

    it('refuses staff without WRITE on the company centre, and students', async () => {
      for (const login of ['gest.sciences', 'resp.sciences', 'etu.sciences1', 'prof.martin']) {
        const agent = await testApp.signIn(login);
        await agent.get('/offers/deposit-link').expect(403);
      }
    });

    it('refuses to create a link for another centre than a company centre the person manages', async () => {
      const sciences = (await testApp.knex('centre').where({ name: 'UFR Sciences et techniques' }).first('id')) as { id: number };
      const _csrf = await csrfTokenFrom(agentStages, '/offers/deposit-link');
      await agentStages
        .post('/offers/deposit-link')
        .type('form')
        .send({ _csrf, centre_id: String(sciences.id) })
        .expect(403);
      await agentStages.post('/offers/deposit-link').type('form').send({ _csrf, centre_id: 'abc' }).expect(400);
      const gest = await testApp.signIn('gest.sciences');
      const token = await csrfTokenFrom(gest, '/');
      await gest
        .post('/offers/deposit-link')
        .type('form')
        .send({ _csrf: token, centre_id: String(await companyCentreId(testApp.knex)) })
        .expect(403);
      expect(Number(((await testApp.knex('offer_deposit_link').count({ n: '*' }).first()) as { n: number | string }).n)).toBe(0);
    });

    it('refuses a post without the CSRF token', async () => {
      await agentStages.get('/offers/deposit-link').expect(200);
      await agentStages
        .post('/offers/deposit-link')
        .type('form')
        .send({ centre_id: String(await companyCentreId(testApp.knex)) })
        .expect(403);
    });

    it('creates a link, shows its secret once and stores only its hash, with an audit row', async () => {
      const before = await agentStages.get('/offers/deposit-link').expect(200);
      expect(before.text).toContain('Aucun lien n’a encore été créé pour ce centre.');
      const path = await newDepositLink(testApp, agentStages);
      const secret = path.split('/').pop()!;
      const row = await testApp
        .knex('offer_deposit_link')
        .where({ centre_id: await companyCentreId(testApp.knex) })
        .first();
      expect(row).toMatchObject({ created_by: 'agent.stages' });
      expect(row.secret_sha256).toMatch(/^[0-9a-f]{64}$/);
      expect(JSON.stringify(row)).not.toContain(secret);
      const after = await agentStages.get('/offers/deposit-link').expect(200);
      expect(after.text).not.toContain(secret);
      expect(after.text).toContain('Un lien existe depuis le');
      const audit = await testApp.knex('audit_log').where({ action: 'offer_deposit_link.regenerate' }).first();
      expect(audit).toMatchObject({ actor_login: 'agent.stages', entity: 'offer_deposit_link' });
      expect(JSON.stringify(audit)).not.toContain(row.secret_sha256);
      await testApp.anonymous().get(path).expect(200);
    });

    it('lets the super-admin regenerate the link; the old secret then answers 404 like a wrong one', async () => {
      const oldPath = await newDepositLink(testApp, agentStages);
      const admin = await testApp.signIn('admin');
      const newPath = await newDepositLink(testApp, admin);
      expect(newPath).not.toBe(oldPath);
      const visitor = testApp.anonymous();
      const wrongPath = `/offers/deposit/${'A'.repeat(43)}`;
      const old = await visitor.get(oldPath).expect(404);
      const wrong = await visitor.get(wrongPath).expect(404);
      const malformed = await visitor.get('/offers/deposit/short').expect(404);
      // Apart from its request id and the address the visitor typed (which the language switch sends
      // back to), a revoked secret's page must be the very page of a secret that never existed.
      const comparable = (text: string, path: string) => text.replace(/Référence de l’incident : [^<]*/, '').replaceAll(path, '(address typed)');
      expect(comparable(old.text, oldPath)).toBe(comparable(wrong.text, wrongPath));
      expect(malformed.text).toContain('Page introuvable');
      await visitor.get(newPath).expect(200);
      await visitor.get(`${oldPath}/thanks`).expect(404);
    });
  });

  describe('moderation of a deposited offer', () => {
    let offerId: number;
    let path: string;
    beforeAll(async () => {
      path = await newDepositLink(testApp, agentStages);
      await postDeposit(testApp.anonymous(), path, depositForm()).then((answer) => expect(answer.status).toBe(303));
      offerId = ((await testApp.knex('offer').where({ entered_by_company: true }).orderBy('id', 'desc').first('id')) as { id: number }).id;
    });

    const moderate = async (agent: TestAgent, version: string) => {
      const _csrf = await csrfTokenFrom(agent, '/');
      return agent.post(`/offers/${offerId}/moderated`).type('form').send({ _csrf, version });
    };

    it('refuses anonymous visitors, and staff of other centres do not even learn that the offer exists', async () => {
      const visitor = testApp.anonymous();
      const _csrf = await csrfTokenFrom(visitor, path);
      await visitor.post(`/offers/${offerId}/moderated`).type('form').send({ _csrf, version: '1' }).expect(401);
      const gest = await testApp.signIn('gest.sciences');
      expect((await moderate(gest, '1')).status).toBe(404);
      expect(await testApp.knex('offer').where({ id: offerId }).first('to_moderate', 'version')).toEqual({ to_moderate: true, version: 1 });
    });

    it('answers 404 for an offer that does not exist, 409 for a stale version, 400 for a forged one', async () => {
      const _csrf = await csrfTokenFrom(agentStages, '/offers/deposit-link');
      await agentStages.post('/offers/999999/moderated').type('form').send({ _csrf, version: '1' }).expect(404);
      await agentStages.post('/offers/abc/moderated').type('form').send({ _csrf, version: '1' }).expect(404);
      await agentStages.post(`/offers/${offerId}/moderated`).type('form').send({ _csrf, version: 'x' }).expect(400);
      const stale = await agentStages.post(`/offers/${offerId}/moderated`).type('form').send({ _csrf, version: '7' }).expect(409);
      expect(stale.text).toContain('Quelqu’un d’autre a modifié cette offre entre-temps');
    });

    it('lets WRITE staff of the company centre clear the flag, with an audit row', async () => {
      const answer = await moderate(agentStages, '1');
      expect(answer.status).toBe(302);
      expect(answer.headers.location).toBe(`/offers/${offerId}`);
      expect(await testApp.knex('offer').where({ id: offerId }).first('to_moderate', 'version', 'updated_by', 'state')).toEqual({
        to_moderate: false,
        version: 2,
        updated_by: 'agent.stages',
        state: 'saved',
      });
      const audit = await testApp
        .knex('audit_log')
        .where({ action: 'offer.moderate', entity_id: String(offerId) })
        .first();
      expect(audit).toMatchObject({ actor_login: 'agent.stages', before: { to_moderate: true }, after: { to_moderate: false } });
    });
  });
});
