import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, csrfTokenFrom, type TestApp } from '../support/test-app.ts';
import { demoHost } from './support.ts';

/** An offer a company deposited: the company centre's WRITE staff find the way to the link and moderate the offer from its page. */
describe('moderating a deposited offer from its page', () => {
  let app: TestApp;
  let offerId: number;

  beforeAll(async () => {
    app = await startTestApp();
    const company = (await app.knex('centre').where({ level: 'ENTREPRISE' }).first('id')) as { id: number };
    const { hostId } = await demoHost(app.knex);
    [{ id: offerId }] = await app
      .knex('offer')
      .insert({
        centre_id: company.id,
        host_id: hostId,
        kind: 'form',
        offer_type: 'STAGE',
        title: 'Offre déposée',
        academic_year: '2026-2027',
        entered_by_company: true,
        to_moderate: true,
        created_by: 'entreprise (dépôt)',
        updated_by: 'entreprise (dépôt)',
      })
      .returning('id');
  });
  afterAll(() => app.close());

  it('shows the button to the managers only, and the flag goes once pressed', async () => {
    const manager = await app.signIn('agent.stages');
    expect((await manager.get('/offers').expect(200)).text).toContain('href="/offers/deposit-link"');
    expect((await (await app.signIn('gest.sciences')).get('/offers').expect(200)).text).not.toContain('href="/offers/deposit-link"');

    const page = await manager.get(`/offers/${offerId}`).expect(200);
    expect(page.text).toContain('Marquer l’offre comme modérée');
    const version = /name="version" value="(\d+)"/.exec(page.text)![1]!;
    const token = await csrfTokenFrom(manager, `/offers/${offerId}`);
    await manager.post(`/offers/${offerId}/moderated`).type('form').send({ _csrf: token, version }).expect(302);
    expect((await app.knex('offer').where({ id: offerId }).first('to_moderate')).to_moderate).toBe(false);
    expect((await manager.get(`/offers/${offerId}`).expect(200)).text).not.toContain('Marquer l’offre comme modérée');
  });
});
