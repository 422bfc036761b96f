import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEPOSIT_SUBMISSIONS_PER_HOUR } from '../../src/offers/deposit-routes.ts';
import { csrfTokenFrom, startTestApp, type TestApp } from '../support/test-app.ts';
import { depositForm, depositTables, newDepositLink } from './deposit-support.ts';

/**
 * The deposit form accepts a limited number of posts per address and per hour. The app trusts
 * one proxy here, so that each request can say which address it comes from.
 */
describe('rate limit of the deposit form', () => {
  let testApp: TestApp;
  let path: string;
  beforeAll(async () => {
    testApp = await startTestApp({ environment: { TRUST_PROXY: 'true' } });
    path = await newDepositLink(testApp, await testApp.signIn('agent.stages'));
  });
  afterAll(() => testApp.close());

  it(`answers 429 after ${DEPOSIT_SUBMISSIONS_PER_HOUR} posts from one address, refused ones included; other addresses go on`, async () => {
    const visitor = testApp.anonymous();
    const _csrf = await csrfTokenFrom(visitor, path);
    const post = (address: string, form: Record<string, string | string[]>) =>
      visitor
        .post(path)
        .set('X-Forwarded-For', address)
        .type('form')
        .send({ _csrf, ...form });
    for (let attempt = 1; attempt <= DEPOSIT_SUBMISSIONS_PER_HOUR; attempt += 1) {
      const answer = await post('203.0.113.7', { host_mode: 'maybe' });
      expect(answer.status, `attempt ${attempt}`).toBe(422);
    }
    const before = await depositTables(testApp.knex);
    const limited = await post('203.0.113.7', depositForm());
    expect(limited.status).toBe(429);
    expect(limited.text).toContain('Trop d’offres envoyées depuis votre connexion. Patientez une heure avant de réessayer.');
    expect(limited.headers.ratelimit).toMatch(/r=0/);
    expect(await depositTables(testApp.knex)).toBe(before);

    expect((await post('203.0.113.8', depositForm())).status).toBe(303);
    expect(await testApp.knex('offer').where({ entered_by_company: true })).toHaveLength(1);
  });
});
