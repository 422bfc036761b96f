import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import request, { type Response } from 'supertest';
import { startTestApp, csrfTokenFrom, PUBLIC_BASE_URL, type TestApp } from '../support/test-app.ts';

/**
 * Sign-in and sessions as an attacker would try them: return addresses leading off the site, stolen or
 * planted session cookies, sessions that outlive their time, forms posted from another site.
 *
 * Session cookies are handled by hand here (a `Cookie` header replayed as is) rather than by a browser-like
 * agent: an agent would drop an expired or cleared cookie itself, which would hide whether the server
 * really ends the session.
 */
const MINUTE = 60 * 1000;
const EVIL = 'evil.example';

/** Return addresses an attacker puts in a link, as the server reads them once the query string is decoded. */
const HOSTILE_RETURN_ADDRESSES = [
  '//evil.example',
  '//evil.example/conventions',
  '///evil.example',
  'https://evil.example',
  'https:evil.example',
  '/\\evil.example',
  '/\\/evil.example',
  '\\\\evil.example',
  '%2F%2Fevil.example',
  '/%2F%2Fevil.example',
  'javascript:alert(1)',
  'http://conventio.test.evil.example/',
  'http://conventio.test@evil.example/',
  '/%0d%0aSet-Cookie:x=1',
  '/\r\nSet-Cookie: x=1',
  '/\r\nLocation: https://evil.example',
  // Browsers drop tabs and line breaks from an address: these would become //evil.example.
  '/\t/evil.example',
  '/\n/evil.example',
  ' //evil.example',
];

/** The redirect keeps the browser on this application: its Location is resolved by the URL parser browsers use. */
function expectInApplication(response: Response, label: string): void {
  expect([302, 303], label).toContain(response.status);
  const location = response.headers.location as string;
  expect(location, label).not.toMatch(/[\r\n\t]/);
  const landing = new URL(location, PUBLIC_BASE_URL);
  expect(landing.origin, `${label} → ${location}`).toBe(new URL(PUBLIC_BASE_URL).origin);
  const cookies = (response.headers['set-cookie'] as unknown as string[] | undefined) ?? [];
  expect(
    cookies.filter((cookie) => cookie.startsWith('x=')),
    `${label}: a header injected`,
  ).toEqual([]);
}

/** `conventio.sid` over http; over https its `__Host-` form, which browsers bind to the exact host. */
const SESSION_COOKIE = /^(__Host-)?conventio\.sid=/;

const sessionCookie = (response: Response): string | undefined =>
  ((response.headers['set-cookie'] as unknown as string[] | undefined) ?? []).find((cookie) => SESSION_COOKIE.test(cookie));

/** `conventio.sid=s%3A<id>.<signature>` → `<id>`, the key of the session's row. */
const sessionId = (cookie: string): string => /^s:([^.]+)\./.exec(decodeURIComponent(cookie.split(';')[0]!.replace(SESSION_COOKIE, '')))![1]!;

const signedIn = (page: Response) => page.text.includes('Se déconnecter');

describe('return address after sign-in', () => {
  let testApp: TestApp;
  beforeAll(async () => {
    testApp = await startTestApp();
  });
  afterAll(() => testApp.close());

  /**
   * Opens `path` anonymously; when it leads to the CAS, signs in there and comes back. Returns the
   * answer to the CAS's return: where the signed-in person is sent.
   */
  async function signInFrom(path: string, headers: Record<string, string> = {}): Promise<Response> {
    const agent = testApp.anonymous();
    let answer = await agent.get(path).set(headers).expect(302);
    if ((answer.headers.location as string).startsWith('/auth/login'))
      answer = await agent
        .get(answer.headers.location as string)
        .set(headers)
        .expect(302);
    const toCas = new URL(answer.headers.location as string);
    expect(`${toCas.origin}${toCas.pathname}`).toBe(`${testApp.cas.baseUrl}/login`);
    // The CAS sends the ticket only to the configured address, whatever the request said.
    const service = toCas.searchParams.get('service')!;
    expect(service).toBe(`${PUBLIC_BASE_URL}/auth/login`);
    return agent.get(`/auth/login?ticket=${testApp.cas.issueTicket('etu.sciences1', service)}`).set(headers);
  }

  it('comes back to the page asked for, query string included', async () => {
    const back = await signInFrom(`/auth/login?returnTo=${encodeURIComponent('/offers?q=stage&page=2')}`);
    expect(back.headers.location).toBe('/offers?q=stage&page=2');
  });

  it('never leaves the application, whatever the return address of the link', async () => {
    for (const parameter of ['returnTo', 'next', 'redirect', 'url', 'service']) {
      for (const address of HOSTILE_RETURN_ADDRESSES) {
        const back = await signInFrom(`/auth/login?${parameter}=${encodeURIComponent(address)}`);
        expectInApplication(back, `${parameter}=${JSON.stringify(address)}`);
      }
    }
  });

  it('never leaves the application from the address remembered on a private page', async () => {
    const privatePages = [
      '/conventions//evil.example',
      '/conventions/%2F%2Fevil.example',
      '/conventions/\\evil.example',
      '/conventions/..%2F..%2F%2Fevil.example',
      '/offers?q=%0d%0aSet-Cookie:x=1',
      '/offers/%0d%0aLocation:%20https:%2F%2Fevil.example',
    ];
    for (const path of privatePages) {
      const toSignIn = await testApp.anonymous().get(path).expect(302);
      expect(toSignIn.headers.location, path).toMatch(/^\/auth\/login\?returnTo=/);
      expectInApplication(await signInFrom(path), path);
    }
    // An address that is itself off the site is no private page of the application: nothing is remembered.
    const offSite = await testApp.anonymous().get('//evil.example/conventions');
    expect(offSite.status).toBe(404);
  });

  it('ignores the Referer and the Host the request claims', async () => {
    const claims = { Referer: 'https://evil.example/phish', Host: EVIL, 'X-Forwarded-Host': EVIL, 'X-Forwarded-Proto': 'https' };
    expectInApplication(await signInFrom('/auth/login', claims), 'Referer / Host');
    expectInApplication(await signInFrom('/conventions', claims), 'private page with Referer / Host');
  });

  it('never leaves the application from the language switch', async () => {
    const fromThisSite = { Origin: new URL(PUBLIC_BASE_URL).origin };
    const back = await testApp.anonymous().post('/language').set(fromThisSite).type('form').send({ lang: 'en', returnTo: '/help?page=2' });
    expect(back.headers.location).toBe('/help?page=2');
    const signedInPerson = await testApp.signIn('etu.sciences1');
    const token = await csrfTokenFrom(signedInPerson, '/help');
    for (const address of HOSTILE_RETURN_ADDRESSES) {
      const anonymous = await testApp.anonymous().post('/language').set(fromThisSite).type('form').send({ lang: 'en', returnTo: address });
      expectInApplication(anonymous, `anonymous: ${JSON.stringify(address)}`);
      const switched = await signedInPerson.post('/language').type('form').send({ _csrf: token, lang: 'fr', returnTo: address });
      expectInApplication(switched, `signed in: ${JSON.stringify(address)}`);
    }
  });

  it('signs out to the home page or the CAS, never to an address of the request', async () => {
    const agent = await testApp.signIn('etu.sciences1');
    const token = await csrfTokenFrom(agent, '/auth/logout');
    const out = await agent
      .post('/auth/logout?returnTo=//evil.example')
      .set('Referer', 'https://evil.example/')
      .type('form')
      .send({ _csrf: token, returnTo: 'https://evil.example', service: 'https://evil.example' })
      .expect(302);
    expect(out.headers.location).toBe(`${testApp.cas.baseUrl}/logout?service=${encodeURIComponent(`${PUBLIC_BASE_URL}/`)}`);
  });
});

describe('return address with the demo sign-in', () => {
  let testApp: TestApp;
  beforeAll(async () => {
    testApp = await startTestApp({ environment: { AUTH_MODE: 'demo' } });
  });
  afterAll(() => testApp.close());

  async function demoSignIn(loginPath: string, extraFields: Record<string, string> = {}): Promise<Response> {
    const agent = testApp.anonymous();
    const token = await csrfTokenFrom(agent, loginPath);
    return agent
      .post('/auth/demo')
      .type('form')
      .send({ _csrf: token, login: 'etu.sciences1', ...extraFields });
  }

  it('comes back to the page asked for', async () => {
    expect((await demoSignIn('/auth/login?returnTo=%2Fhelp')).headers.location).toBe('/help');
  });

  it('never leaves the application', async () => {
    for (const address of HOSTILE_RETURN_ADDRESSES) {
      const back = await demoSignIn(`/auth/login?returnTo=${encodeURIComponent(address)}`, { returnTo: address, next: address });
      expectInApplication(back, JSON.stringify(address));
    }
  });

  it('refuses, once signed in, the form token of the anonymous visit', async () => {
    const agent = testApp.anonymous();
    const anonymousToken = await csrfTokenFrom(agent, '/auth/login');
    await agent.post('/auth/demo').type('form').send({ _csrf: anonymousToken, login: 'gest.sciences' }).expect(302);
    const refused = await agent.post('/auth/logout').type('form').send({ _csrf: anonymousToken }).expect(403);
    expect(refused.text).toContain('Le formulaire a expiré');
    expect(signedIn(await agent.get('/help'))).toBe(true);
  });
});

describe('sessions', () => {
  let testApp: TestApp;
  beforeAll(async () => {
    testApp = await startTestApp();
  });
  afterAll(() => testApp.close());
  afterEach(() => {
    vi.useRealTimers();
  });

  /** Signs in through the CAS and returns the session cookie, as the browser stores it. */
  async function sessionAfterSignIn(login: string, headers: Record<string, string> = {}): Promise<string> {
    const toCas = await request(testApp.app).get('/auth/login').set(headers).expect(302);
    const service = new URL(toCas.headers.location as string).searchParams.get('service')!;
    const back = await request(testApp.app)
      .get(`/auth/login?ticket=${testApp.cas.issueTicket(login, service)}`)
      .set(headers)
      .expect(302);
    return sessionCookie(back)!.split(';')[0]!;
  }

  const visit = (cookie: string, path = '/help') => request(testApp.app).get(path).set('Cookie', cookie);
  const storedSession = (cookie: string) =>
    testApp
      .knex('session')
      .where({ sid: sessionId(cookie) })
      .first();

  /*
   * The clocks of the sessions are the application's own `Date.now()`: express-session dates the cookie
   * and the stored row from it, the PostgreSQL store compares the row's `expire` column with it, and the
   * 12-hour limit compares it with the time of sign-in. Faking `Date` alone (timers stay real, so the
   * database driver works as usual) moves all of them together, as the passing of real time would.
   */
  it('ends a session left idle for 30 minutes, and keeps one that is used', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const cookie = await sessionAfterSignIn('lect.sciences');
    vi.advanceTimersByTime(29 * MINUTE);
    expect(signedIn(await visit(cookie)), 'after 29 idle minutes').toBe(true);
    vi.advanceTimersByTime(29 * MINUTE);
    expect(signedIn(await visit(cookie)), '58 minutes after sign-in, 29 after the last page').toBe(true);
    vi.advanceTimersByTime(30 * MINUTE + 1000);
    const page = await visit(cookie);
    expect(signedIn(page), 'after 30 idle minutes').toBe(false);
    expect(page.text).toContain('Se connecter');
    const privatePage = await visit(cookie, '/conventions').expect(302);
    expect(privatePage.headers.location).toBe(`/auth/login?returnTo=${encodeURIComponent('/conventions')}`);
  });

  it('renews the cookie for 30 minutes at each page', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const cookie = await sessionAfterSignIn('lect.sciences');
    vi.advanceTimersByTime(20 * MINUTE);
    const renewed = sessionCookie(await visit(cookie))!;
    const expires = Date.parse(/Expires=([^;]+)/.exec(renewed)![1]!);
    expect(Math.abs(expires - (Date.now() + 30 * MINUTE))).toBeLessThanOrEqual(1000);
  });

  it('ends a session 12 hours after sign-in, even with a page every 10 minutes', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const cookie = await sessionAfterSignIn('lect.sciences');
    for (let minutes = 10; minutes < 12 * 60; minutes += 10) {
      vi.advanceTimersByTime(10 * MINUTE);
      expect(signedIn(await visit(cookie)), `${minutes} minutes after sign-in`).toBe(true);
    }
    vi.advanceTimersByTime(10 * MINUTE + 1000);
    expect(signedIn(await visit(cookie)), '12 hours and 1 second after sign-in').toBe(false);
    expect(await storedSession(cookie), 'the session is deleted on the server').toBeUndefined();
    expect(signedIn(await visit(cookie)), 'the old cookie played again').toBe(false);
  });

  it('signs out on the server: the old cookie played again is anonymous', async () => {
    const cookie = await sessionAfterSignIn('lect.sciences');
    const token = /name="_csrf" value="([^"]+)"/.exec((await visit(cookie, '/auth/logout').expect(200)).text)![1]!;
    const out = await request(testApp.app).post('/auth/logout').set('Cookie', cookie).type('form').send({ _csrf: token }).expect(302);
    expect(sessionCookie(out)).toMatch(/^conventio\.sid=;.*Expires=Thu, 01 Jan 1970/);
    expect(await storedSession(cookie)).toBeUndefined();
    expect(signedIn(await visit(cookie, '/'))).toBe(false);
    const privatePage = await visit(cookie, '/conventions').expect(302);
    expect(privatePage.headers.location).toMatch(/^\/auth\/login\?/);
    // Nor can the stolen cookie post a form with the token it had.
    await request(testApp.app).post('/auth/logout').set('Cookie', cookie).type('form').send({ _csrf: token }).expect(403);
  });

  it('gives a new session at sign-in, so that a session planted by an attacker is never signed in', async () => {
    // The attacker opens a session of their own (an anonymous sign-in that remembers where to go)…
    const planted = sessionCookie(await request(testApp.app).get('/auth/login?returnTo=%2Fhelp').expect(302))!.split(';')[0]!;
    // …and gets the victim's browser to use it while signing in.
    const toCas = await request(testApp.app).get('/auth/login').set('Cookie', planted).expect(302);
    const service = new URL(toCas.headers.location as string).searchParams.get('service')!;
    const back = await request(testApp.app)
      .get(`/auth/login?ticket=${testApp.cas.issueTicket('gest.sciences', service)}`)
      .set('Cookie', planted)
      .expect(302);
    expect(back.headers.location, 'the sign-in did use the planted session').toBe('/help');
    const victim = sessionCookie(back)!.split(';')[0]!;
    expect(sessionId(victim)).not.toBe(sessionId(planted));
    expect(signedIn(await visit(victim))).toBe(true);
    expect(signedIn(await visit(planted)), 'the attacker’s copy').toBe(false);
    expect(await storedSession(planted)).toBeUndefined();
  });

  it('keeps the session cookie away from scripts and other sites', async () => {
    const toCas = await request(testApp.app).get('/auth/login').expect(302);
    const service = new URL(toCas.headers.location as string).searchParams.get('service')!;
    const back = await request(testApp.app)
      .get(`/auth/login?ticket=${testApp.cas.issueTicket('etu.sciences1', service)}`)
      .expect(302);
    const attributes = sessionCookie(back)!.split(/;\s*/).slice(1);
    expect(attributes).toContain('HttpOnly');
    expect(attributes.some((attribute) => /^SameSite=(Lax|Strict)$/i.test(attribute))).toBe(true);
    expect(attributes).toContain('Path=/');
    expect(
      attributes.some((attribute) => /^Domain=/i.test(attribute)),
      'no Domain: the cookie stays on this host',
    ).toBe(false);
  });
});

describe('sessions behind an https proxy', () => {
  const HTTPS_BASE_URL = 'https://conventio.test';
  const throughProxy = { 'X-Forwarded-Proto': 'https', 'X-Forwarded-For': '203.0.113.7' };
  let testApp: TestApp;
  beforeAll(async () => {
    testApp = await startTestApp({ environment: { PUBLIC_BASE_URL: HTTPS_BASE_URL, TRUST_PROXY: 'true' } });
  });
  afterAll(() => testApp.close());

  it('marks the session cookie Secure and binds it to this host, and never sends it over plain http', async () => {
    const toCas = await request(testApp.app).get('/auth/login?returnTo=%2Fhelp').set(throughProxy).expect(302);
    const service = new URL(toCas.headers.location as string).searchParams.get('service')!;
    expect(service).toBe(`${HTTPS_BASE_URL}/auth/login`);
    const back = await request(testApp.app)
      .get(`/auth/login?ticket=${testApp.cas.issueTicket('etu.sciences1', service)}`)
      .set(throughProxy)
      .expect(302);
    const cookie = sessionCookie(back)!;
    // A __Host- cookie is refused by browsers unless Secure, Path=/ and without Domain: no sibling site of
    // the university's domain can set one to plant its own session.
    expect(cookie).toMatch(/^__Host-conventio\.sid=/);
    const attributes = cookie.split(/;\s*/).slice(1);
    expect(attributes).toEqual(expect.arrayContaining(['Secure', 'HttpOnly', 'Path=/']));
    expect(attributes.some((attribute) => /^Domain=/i.test(attribute))).toBe(false);
    const session = cookie.split(';')[0]!;
    expect(signedIn(await request(testApp.app).get('/help').set(throughProxy).set('Cookie', session))).toBe(true);

    const logoutPage = await request(testApp.app).get('/auth/logout').set(throughProxy).set('Cookie', session).expect(200);
    const token = /name="_csrf" value="([^"]+)"/.exec(logoutPage.text)![1]!;
    const out = await request(testApp.app).post('/auth/logout').set(throughProxy).set('Cookie', session).type('form').send({ _csrf: token }).expect(302);
    // Cleared with the same attributes, or the browser would keep it.
    expect(sessionCookie(out)).toMatch(/^__Host-conventio\.sid=;.*Expires=Thu, 01 Jan 1970/);
    expect(sessionCookie(out)!.split(/;\s*/)).toEqual(expect.arrayContaining(['Secure', 'Path=/']));
    expect(signedIn(await request(testApp.app).get('/help').set(throughProxy).set('Cookie', session))).toBe(false);

    const plainHttp = await request(testApp.app).get('/auth/login?returnTo=%2Fhelp').expect(302);
    expect(sessionCookie(plainHttp), 'a session cookie sent over http').toBeUndefined();
  });
});

describe('forms posted from another site (CSRF)', () => {
  let testApp: TestApp;
  beforeAll(async () => {
    testApp = await startTestApp();
  });
  afterAll(() => testApp.close());

  interface Post {
    path: string;
    fields: Record<string, string>;
    multipart?: boolean;
  }

  function post(agent: ReturnType<TestApp['anonymous']>, { path, fields, multipart }: Post, headers: Record<string, string> = {}) {
    const pending = agent.post(path).set(headers);
    if (!multipart) return pending.type('form').send(fields);
    for (const [name, value] of Object.entries(fields)) pending.field(name, value);
    return pending.attach('file', Buffer.from('nom;prenom\n'), 'fichier.csv');
  }

  it('refuses, in every module, a post without a token, with a forged one, or with the token of another session', async () => {
    const admin = await testApp.signIn('admin');
    const adminToken = await csrfTokenFrom(admin, '/');
    // The attacker is a user of Conventio too: their own, valid, token.
    const attackerToken = await csrfTokenFrom(await testApp.signIn('etu.sciences1'), '/');
    const centre = (await testApp.knex('centre').where({ level: 'UFR' }).first('id')) as { id: number };
    const validated = (await testApp.knex('convention').where({ status: 'validated' }).first('number')) as { number: number };
    const posts: Post[] = [
      { path: '/centres', fields: { name: 'Centre pirate' } },
      { path: `/centres/${centre.id}/logo`, fields: {}, multipart: true },
      { path: '/hosts', fields: { name: 'Hôte pirate' } },
      { path: '/conventions/new/student', fields: { enrolment_id: '1' } },
      { path: `/conventions/${validated.number}/amendments/new`, fields: { reason: 'Pirate' } },
      { path: '/conventions/export', fields: { format: 'xlsx', columns: 'number' } },
      { path: '/offers', fields: { title: 'Offre pirate' }, multipart: true },
      { path: '/offers/deposit-link', fields: {} },
      { path: '/admin/imports', fields: {}, multipart: true },
    ];
    for (const target of posts) {
      for (const [label, headers, fields] of [
        ['no token', {}, target.fields],
        ['forged token', {}, { ...target.fields, _csrf: 'forged' }],
        ['another session’s token', {}, { ...target.fields, _csrf: attackerToken }],
        ['another session’s token in the header', { 'X-CSRF-Token': attackerToken }, target.fields],
      ] as const) {
        const refused = await post(admin, { ...target, fields }, headers);
        expect(refused.status, `${target.path}: ${label}`).toBe(403);
        expect(refused.text, `${target.path}: ${label}`).toContain('Le formulaire a expiré');
      }
      // The same post with the session's own token gets past the check (to the form's own answer).
      const own = await post(admin, { ...target, fields: { ...target.fields, _csrf: adminToken } });
      expect(own.status, `${target.path}: own token`).not.toBe(403);
    }
    const signOut = await post(admin, { path: '/auth/logout', fields: { _csrf: attackerToken } });
    expect(signOut.status).toBe(403);
    expect(signedIn(await admin.get('/help'))).toBe(true);
  });
});
