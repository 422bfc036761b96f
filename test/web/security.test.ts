import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import request from 'supertest';
import { startTestApp, csrfTokenFrom, type TestApp } from '../support/test-app.ts';

describe('security of every page', () => {
  let testApp: TestApp;
  beforeAll(async () => {
    testApp = await startTestApp();
  });
  afterAll(() => testApp.close());

  it('sends a strict Content-Security-Policy and the usual protective headers', async () => {
    const page = await testApp.anonymous().get('/').expect(200);
    const policy = page.headers['content-security-policy'] as string;
    expect(policy).toContain("default-src 'self'");
    expect(policy).toContain("script-src 'self'");
    expect(policy).not.toContain('unsafe-inline');
    expect(policy).toContain("frame-ancestors 'none'");
    expect(policy).toContain("object-src 'none'");
    expect(page.headers['x-content-type-options']).toBe('nosniff');
    expect(page.headers['referrer-policy']).toBe('same-origin');
    expect(page.headers['x-powered-by']).toBeUndefined();
    expect(page.headers['x-request-id']).toMatch(/^[\w-]{8,}$/);
  });

  it('uses no inline script or style in its pages', async () => {
    const agent = await testApp.signIn('admin');
    for (const path of ['/', '/help', '/auth/logout']) {
      const page = await agent.get(path).expect(200);
      expect(page.text, path).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
      expect(page.text, path).not.toMatch(/\sstyle=|<style/);
      expect(page.text, path).not.toMatch(/\son[a-z]+=/);
    }
  });

  it('sets the session cookie HttpOnly and SameSite', async () => {
    const agent = testApp.anonymous();
    const page = await agent.get('/auth/login');
    const redirect = new URL(page.headers.location as string);
    const ticket = testApp.cas.issueTicket('etu.sciences1', redirect.searchParams.get('service')!);
    const back = await agent.get(`/auth/login?ticket=${ticket}`);
    const cookie = String(back.headers['set-cookie']);
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Lax/i);
  });

  it('refuses a form posted without its CSRF token, and with a wrong one', async () => {
    const agent = await testApp.signIn('lect.sciences');
    const withoutToken = await agent.post('/auth/logout').type('form').send({}).expect(403);
    expect(withoutToken.text).toContain('Le formulaire a expiré');
    await agent.post('/auth/logout').type('form').send({ _csrf: 'forged' }).expect(403);
    // Still signed in: the forged posts did nothing.
    const home = await agent.get('/').expect(200);
    expect(home.text).toContain('Luc Lecteur');
    const token = await csrfTokenFrom(agent, '/');
    await agent.post('/auth/logout').type('form').send({ _csrf: token }).expect(302);
  });

  it('keeps signed-in pages out of caches, so the back button shows nothing after sign-out', async () => {
    const agent = await testApp.signIn('etu.sciences1');
    const page = await agent.get('/').expect(200);
    expect(page.headers['cache-control']).toBe('no-store');
  });

  it('refuses an anonymous upload without reading it', async () => {
    const page = await testApp
      .anonymous()
      .post('/admin/imports')
      .field('_csrf', 'whatever')
      .attach('file', Buffer.alloc(1024 * 1024, 'x'), 'gros.csv');
    expect(page.status).toBe(401);
    expect(page.text).toContain('Connectez-vous');
  });

  it('keeps the audit log append-only, even for direct database changes', async () => {
    await testApp.signIn('gest.sciences');
    await expect(testApp.knex('audit_log').update({ action: 'rewritten' })).rejects.toThrow(/append-only/);
    await expect(testApp.knex('audit_log').delete()).rejects.toThrow(/append-only/);
  });

  it('answers an unknown address with a French 404 page', async () => {
    const page = await testApp.anonymous().get('/nulle-part').expect(404);
    expect(page.text).toContain('Page introuvable');
    expect(page.headers['content-type']).toMatch(/text\/html/);
  });

  it('sends anonymous visitors of a private page to sign-in, keeping where they were going', async () => {
    const page = await testApp.anonymous().get('/centres?page=2').expect(302);
    expect(page.headers.location).toBe(`/auth/login?returnTo=${encodeURIComponent('/centres?page=2')}`);
  });
});

describe('health check', () => {
  let testApp: TestApp;
  beforeAll(async () => {
    testApp = await startTestApp();
  });
  afterAll(() => testApp.close());

  it('reports the database up', async () => {
    const health = await request(testApp.app).get('/healthz').expect(200);
    expect(health.body).toEqual({ status: 'ok', database: 'ok' });
  });

  it('answers 503 quickly when the database is gone', async () => {
    await testApp.knex.destroy();
    const started = Date.now();
    const health = await request(testApp.app).get('/healthz').expect(503);
    expect(health.body).toEqual({ status: 'error', database: 'down' });
    expect(Date.now() - started).toBeLessThan(2000);
  });
});

describe('sign-in rate limit', () => {
  let testApp: TestApp;
  beforeAll(async () => {
    testApp = await startTestApp({ signInRateLimit: 3 });
  });
  afterAll(() => testApp.close());

  it('stops repeated sign-in attempts from one address with a French message', async () => {
    const agent = testApp.anonymous();
    for (let attempt = 0; attempt < 3; attempt += 1) await agent.get('/auth/login?ticket=ST-guess').expect(401);
    const blocked = await agent.get('/auth/login?ticket=ST-guess').expect(429);
    expect(blocked.text).toContain('Trop de tentatives de connexion');
  });
});

describe('anonymous visits', () => {
  let testApp: TestApp;
  beforeAll(async () => {
    testApp = await startTestApp();
  });
  afterAll(() => testApp.close());

  it('store no session for a visitor who fills in no form', async () => {
    const sessions = async () => Number((await testApp.knex('session').count({ n: '*' }).first())!.n);
    const before = await sessions();
    for (const path of ['/', '/help', '/nulle-part', '/healthz']) await testApp.anonymous().get(path);
    expect(await sessions()).toBe(before);
  });
});
