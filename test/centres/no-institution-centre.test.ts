import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, csrfTokenFrom, type TestApp } from '../support/test-app.ts';

describe('an installation without its institution-wide centre', () => {
  let testApp: TestApp;
  beforeAll(async () => {
    testApp = await startTestApp();
    // A new installation: the ETABLISSEMENT centre, which takes the enrolments no criterion names, is not created yet.
    const institution = testApp.knex('centre').where({ level: 'ETABLISSEMENT' }).select('id');
    await testApp.knex('offer_target').whereIn('centre_id', institution).delete();
    await testApp.knex('offer').whereIn('centre_id', institution).delete();
    await testApp.knex('centre').where({ level: 'ETABLISSEMENT' }).delete();
  });
  afterAll(() => testApp.close());

  it('still shows the home page of a student whose enrolment no centre manages', async () => {
    const agent = await testApp.signIn('etu.lettres1');
    const home = await agent.get('/').expect(200);
    expect(home.text).toContain('Licence 2 Histoire');
  });

  it('explains, instead of failing, that no centre can take their convention', async () => {
    const agent = await testApp.signIn('etu.lettres1');
    const page = await agent.get('/conventions/new/student');
    expect(page.status).toBe(409);
    expect(page.text).toContain('Aucun centre de gestion ne gère cette inscription');
  });
});

describe('deleting a centre that has conventions', () => {
  let testApp: TestApp;
  beforeAll(async () => {
    testApp = await startTestApp();
  });
  afterAll(() => testApp.close());

  it('is refused, and the deletion page says conventions are attached', async () => {
    const agent = await testApp.signIn('admin');
    const [centre] = await testApp.knex('centre').insert({ name: 'Centre éphémère', level: 'UFR', phone: '01 00 00 00 00' }).returning('id');
    const model = await testApp.knex('convention').where({ status: 'submitted' }).first('student_id', 'enrolment_id', 'academic_year');
    await testApp.knex('convention').insert({ ...model, centre_id: centre.id, status: 'draft' });

    const page = await agent.get(`/centres/${centre.id}/delete`).expect(200);
    expect(page.text).toContain('Conventions');
    const token = await csrfTokenFrom(agent, `/centres/${centre.id}/delete`);
    const refused = await agent.post(`/centres/${centre.id}/delete`).type('form').send({ _csrf: token });
    expect(refused.status).toBe(409);
    expect(await testApp.knex('centre').where({ id: centre.id }).first('id')).toBeDefined();
  });
});
