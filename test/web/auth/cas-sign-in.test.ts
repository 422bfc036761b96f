import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, PUBLIC_BASE_URL, type TestApp } from '../../support/test-app.ts';

describe('sign-in through CAS', () => {
  let testApp: TestApp;
  beforeAll(async () => {
    testApp = await startTestApp();
  });
  afterAll(() => testApp.close());

  async function ticketFor(login: string) {
    const agent = testApp.anonymous();
    const redirect = await agent.get('/auth/login?returnTo=/help').expect(302);
    const service = new URL(redirect.headers.location as string).searchParams.get('service')!;
    expect(service).toBe(`${PUBLIC_BASE_URL}/auth/login`);
    return { agent, ticket: testApp.cas.issueTicket(login, service) };
  }

  it('sends an anonymous visitor to the CAS, then back to the page asked for, signed in', async () => {
    const { agent, ticket } = await ticketFor('etu.sciences1');
    const back = await agent.get(`/auth/login?ticket=${ticket}`).expect(302);
    expect(back.headers.location).toBe('/help');
    const home = await agent.get('/').expect(200);
    expect(home.text).toContain('Léa Moreau');
    expect(home.text).toContain('Étudiant');
  });

  it('gives a new session id at sign-in', async () => {
    const { agent, ticket } = await ticketFor('gest.sciences');
    const before = await agent.get('/auth/login');
    const cookieBefore = String(before.headers['set-cookie'] ?? '');
    const back = await agent.get(`/auth/login?ticket=${ticket}`).expect(302);
    const cookieAfter = String(back.headers['set-cookie'] ?? '');
    expect(cookieAfter).toMatch(/conventio\.sid=/);
    expect(cookieAfter.split(';')[0]).not.toBe(cookieBefore.split(';')[0]);
  });

  it('refuses a ticket the CAS does not know', async () => {
    const agent = testApp.anonymous();
    await agent.get('/auth/login');
    const refused = await agent.get('/auth/login?ticket=ST-invented-ticket').expect(401);
    expect(refused.text).toContain('Connexion refusée');
    await agent
      .get('/')
      .expect(200)
      .then((page) => expect(page.text).toContain('Se connecter'));
  });

  it('refuses a ticket used a second time, even though the CAS would accept it again', async () => {
    const { agent, ticket } = await ticketFor('etu.droit1');
    await agent.get(`/auth/login?ticket=${ticket}`).expect(302);
    const attacker = testApp.anonymous();
    await attacker.get('/auth/login');
    const validationsBefore = testApp.cas.validations;
    const replay = await attacker.get(`/auth/login?ticket=${ticket}`).expect(401);
    expect(replay.text).toContain('déjà servi');
    expect(testApp.cas.validations).toBe(validationsBefore);
  });

  it('explains, in French, that a person unknown to the directory cannot use Conventio', async () => {
    const { agent, ticket } = await ticketFor('inconnu.total');
    const page = await agent.get(`/auth/login?ticket=${ticket}`).expect(403);
    expect(page.text).toContain('Compte inconnu de Conventio');
    expect(page.text).toContain('inconnu.total');
  });

  it('shows a clear page, not a crash, when the CAS is down', async () => {
    const { agent, ticket } = await ticketFor('etu.sciences1');
    testApp.cas.setBroken(true);
    try {
      const page = await agent.get(`/auth/login?ticket=${ticket}`).expect(502);
      expect(page.text).toContain('Le service d’authentification de l’université (CAS) ne répond pas');
    } finally {
      testApp.cas.setBroken(false);
    }
  });

  it('never follows a return address outside the application', async () => {
    const agent = testApp.anonymous();
    const redirect = await agent.get('/auth/login?returnTo=//evil.example/phish').expect(302);
    const service = new URL(redirect.headers.location as string).searchParams.get('service')!;
    const back = await agent.get(`/auth/login?ticket=${testApp.cas.issueTicket('etu.sciences1', service)}`).expect(302);
    expect(back.headers.location).toBe('/');
  });

  it('signs out: the session is gone on the server and the CAS is told', async () => {
    const agent = await testApp.signIn('lect.sciences');
    const page = await agent.get('/auth/logout').expect(200);
    const token = /name="_csrf" value="([^"]+)"/.exec(page.text)![1]!;
    const sessionsBefore = Number((await testApp.knex('session').count({ n: '*' }).first())!.n);
    const out = await agent.post('/auth/logout').type('form').send({ _csrf: token }).expect(302);
    expect(out.headers.location).toBe(`${testApp.cas.baseUrl}/logout?service=${encodeURIComponent(`${PUBLIC_BASE_URL}/`)}`);
    const sessionsAfter = Number((await testApp.knex('session').count({ n: '*' }).first())!.n);
    expect(sessionsAfter).toBe(sessionsBefore - 1);
    await agent.get('/centres').expect(302);
  });
});

describe('CAS 2.0 servers', () => {
  let testApp: TestApp;
  beforeAll(async () => {
    testApp = await startTestApp({ environment: { CAS_VERSION: '2.0' } });
  });
  afterAll(() => testApp.close());

  it('validates tickets on /serviceValidate', async () => {
    const agent = await testApp.signIn('prof.martin');
    const home = await agent.get('/').expect(200);
    expect(home.text).toContain('Jeanne Martin');
  });
});
