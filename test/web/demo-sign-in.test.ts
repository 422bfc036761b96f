import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, csrfTokenFrom, type TestApp } from '../support/test-app.ts';
import { DEMO_ACCOUNTS } from '../../src/web/auth/demo-accounts.ts';
import { loadConfig } from '../../src/config.ts';

describe('demo sign-in page', () => {
  let testApp: TestApp;
  beforeAll(async () => {
    testApp = await startTestApp({ environment: { AUTH_MODE: 'demo' } });
  });
  afterAll(() => testApp.close());

  it('lists every demo account with its role, one form each', async () => {
    const page = await testApp.anonymous().get('/auth/login').expect(200);
    for (const account of DEMO_ACCOUNTS) expect(page.text).toContain(`name="login" value="${account.login}"`);
    expect(page.text.match(/action="\/auth\/demo"/g)).toHaveLength(DEMO_ACCOUNTS.length);
    expect(page.text).toContain('Gestionnaire (écriture) du centre UFR Sciences et techniques');
  });

  it.each(DEMO_ACCOUNTS.map((account) => account.login))('signs in as %s', async (login) => {
    const agent = testApp.anonymous();
    const token = await csrfTokenFrom(agent, '/auth/login');
    await agent.post('/auth/demo').type('form').send({ _csrf: token, login }).expect(302);
    const home = await agent.get('/').expect(200);
    expect(home.text).toContain('Se déconnecter');
  });

  it('refuses a login that is not a demo account', async () => {
    const agent = testApp.anonymous();
    const token = await csrfTokenFrom(agent, '/auth/login');
    const page = await agent.post('/auth/demo').type('form').send({ _csrf: token, login: 'someone.else' }).expect(400);
    expect(page.text).toContain('Ce compte de démonstration n’existe pas.');
  });

  it('cannot be used without the CSRF token', async () => {
    await testApp.anonymous().post('/auth/demo').type('form').send({ login: 'admin' }).expect(403);
  });
});

describe('demo sign-in in CAS mode', () => {
  let testApp: TestApp;
  beforeAll(async () => {
    testApp = await startTestApp();
  });
  afterAll(() => testApp.close());

  it('is refused', async () => {
    const agent = await testApp.signIn('etu.sciences1');
    const token = await csrfTokenFrom(agent, '/');
    const page = await agent.post('/auth/demo').type('form').send({ _csrf: token, login: 'admin' }).expect(403);
    expect(page.text).toContain('La connexion de démonstration est désactivée');
  });

  it('cannot even be configured in production', () => {
    expect(() => loadConfig({ NODE_ENV: 'production', AUTH_MODE: 'demo', SESSION_SECRET: 'z'.repeat(40) })).toThrow(/AUTH_MODE/);
  });
});
