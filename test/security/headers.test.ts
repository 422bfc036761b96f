import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import request, { type Response } from 'supertest';
import { startTestApp, type TestApp } from '../support/test-app.ts';

/**
 * The protective headers on every kind of answer — public and private pages, downloads, error pages,
 * static files — not only on the home page: helmet, the cache rules and the download routes are separate
 * pieces of code, and a route that sets its own headers can undo them.
 */
type Agent = ReturnType<TestApp['anonymous']>;

/** `Content-Security-Policy` as a map from directive to its sources. */
function policyOf(response: Response): Map<string, string[]> {
  const header = response.headers['content-security-policy'] as string | undefined;
  expect(header, 'Content-Security-Policy').toBeDefined();
  return new Map(
    header!
      .split(';')
      .map((directive) => directive.trim().split(/\s+/))
      .filter((parts) => parts[0])
      .map(([name, ...sources]) => [name!, sources]),
  );
}

function expectProtectiveHeaders(response: Response, label: string): void {
  const policy = policyOf(response);
  expect(policy.get('default-src'), label).toEqual(["'self'"]);
  for (const directive of ['script-src', 'style-src']) {
    const sources = policy.get(directive) ?? policy.get('default-src')!;
    expect(sources, `${label}: ${directive}`).toEqual(["'self'"]);
  }
  for (const [directive, sources] of policy) {
    expect(sources, `${label}: ${directive}`).not.toContain("'unsafe-inline'");
    expect(sources, `${label}: ${directive}`).not.toContain("'unsafe-eval'");
    expect(sources, `${label}: ${directive}`).not.toContain('*');
  }
  expect(policy.get('frame-ancestors'), label).toEqual(["'none'"]);
  expect(policy.get('object-src'), label).toEqual(["'none'"]);
  expect(policy.get('base-uri'), label).toEqual(["'self'"]);
  expect(response.headers['x-frame-options'], label).toBe('DENY');
  expect(response.headers['x-content-type-options'], label).toBe('nosniff');
  expect(response.headers['referrer-policy'], label).toMatch(/^(no-referrer|same-origin|strict-origin|strict-origin-when-cross-origin)$/);
  expect(response.headers['cross-origin-opener-policy'], label).toBe('same-origin');
  expect(response.headers['x-powered-by'], label).toBeUndefined();
}

const expectNotStored = (response: Response, label: string) => expect(response.headers['cache-control'], label).toMatch(/\bno-store\b/);

/** A download read whole, whatever its type. */
const download = (agent: Agent, path: string) =>
  agent
    .get(path)
    .buffer(true)
    .parse((res, callback) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => callback(null, Buffer.concat(chunks)));
    });

describe('security headers over http (development, tests)', () => {
  let testApp: TestApp;
  beforeAll(async () => {
    testApp = await startTestApp();
  });
  afterAll(() => testApp.close());

  it('protects public pages, and sends no HSTS on an http address', async () => {
    for (const path of ['/', '/help']) {
      const page = await testApp.anonymous().get(path).expect(200);
      expectProtectiveHeaders(page, path);
      expect(page.headers['strict-transport-security'], path).toBeUndefined();
    }
  });

  it('protects private pages and keeps them out of every cache', async () => {
    const staff = await testApp.signIn('gest.sciences');
    for (const path of ['/', '/conventions', '/hosts', '/offers', '/statistics']) {
      const page = await staff.get(path).expect(200);
      expectProtectiveHeaders(page, path);
      expectNotStored(page, path);
    }
  });

  it('protects downloads of personal data: named, typed, never stored by a cache', async () => {
    const staff = await testApp.signIn('gest.sciences');
    const { number } = (await testApp
      .knex('convention')
      .join('centre', 'centre.id', 'convention.centre_id')
      .where({ 'centre.name': 'UFR Sciences et techniques' })
      .whereNotNull('number')
      .orderBy('number')
      .first('number')) as { number: number };
    const downloads = [
      { path: `/conventions/${number}/convention.pdf?lang=fr`, type: /^application\/pdf/, name: `convention-${number}-fr.pdf` },
      { path: `/conventions/${number}/summary.pdf`, type: /^application\/pdf/, name: `convention-${number}-recapitulatif.pdf` },
      { path: '/conventions/export.xlsx?columns=number,studentLastName', type: /spreadsheetml\.sheet/, name: '.xlsx' },
      { path: '/conventions/export.csv?columns=number,studentLastName', type: /^text\/csv/, name: '.csv' },
      { path: '/statistics/export.xlsx', type: /spreadsheetml\.sheet/, name: '.xlsx' },
      { path: '/me/data', type: /^application\/json/, name: 'conventio-mes-donnees-' },
    ];
    for (const { path, type, name } of downloads) {
      const file = await download(staff, path);
      expect(file.status, path).toBe(200);
      expect((file.body as Buffer).length, path).toBeGreaterThan(0);
      expect(file.headers['content-type'], path).toMatch(type);
      expect(file.headers['content-disposition'], path).toMatch(/^(attachment|inline); filename/);
      expect(file.headers['content-disposition'], path).toContain(name);
      expectProtectiveHeaders(file, path);
      expectNotStored(file, path);
    }
  });

  it('protects error pages, and keeps those of a signed-in person out of caches', async () => {
    const notFound = await testApp.anonymous().get('/nulle-part').expect(404);
    expectProtectiveHeaders(notFound, '404');
    const student = await testApp.signIn('etu.sciences1');
    const forbidden = await student.get('/centres').expect(403);
    expectProtectiveHeaders(forbidden, '403');
    expectNotStored(forbidden, '403');
    const badRequest = await student.get('/conventions/1/convention.pdf?lang=xx');
    expect(badRequest.status).toBeGreaterThanOrEqual(400);
    expectProtectiveHeaders(badRequest, String(badRequest.status));
    expectNotStored(badRequest, String(badRequest.status));
    // A fault the code cannot expect: a table it reads has gone.
    await testApp.knex.raw('ALTER TABLE study_step RENAME TO study_step_gone');
    try {
      const failure = await student.get('/').expect(500);
      expect(failure.text).toContain('Erreur interne');
      expectProtectiveHeaders(failure, '500');
      expectNotStored(failure, '500');
    } finally {
      await testApp.knex.raw('ALTER TABLE study_step_gone RENAME TO study_step');
    }
  });

  it('protects static files, served with their own type so that nothing is sniffed', async () => {
    for (const [path, type] of [
      ['/static/css/app.css', /^text\/css/],
      ['/static/js/app.js', /^(text|application)\/javascript/],
      ['/static/favicon.svg', /^image\/svg\+xml/],
    ] as const) {
      const file = await request(testApp.app).get(path).expect(200);
      expect(file.headers['content-type'], path).toMatch(type);
      expectProtectiveHeaders(file, path);
    }
  });
});

describe('security headers behind an https proxy (production)', () => {
  const throughProxy = { 'X-Forwarded-Proto': 'https' };
  let testApp: TestApp;
  beforeAll(async () => {
    testApp = await startTestApp({ environment: { PUBLIC_BASE_URL: 'https://conventio.test', TRUST_PROXY: 'true' } });
  });
  afterAll(() => testApp.close());

  /** The session cookie of a sign-in made through the proxy (a Secure cookie, which an http agent would not send back). */
  async function signInThroughProxy(login: string): Promise<string> {
    const toCas = await request(testApp.app).get('/auth/login').set(throughProxy).expect(302);
    const service = new URL(toCas.headers.location as string).searchParams.get('service')!;
    const back = await request(testApp.app)
      .get(`/auth/login?ticket=${testApp.cas.issueTicket(login, service)}`)
      .set(throughProxy)
      .expect(302);
    const cookies = back.headers['set-cookie'] as unknown as string[];
    return cookies.find((cookie) => cookie.startsWith('__Host-conventio.sid='))!.split(';')[0]!;
  }

  it('asks browsers to use https only, for a year, on every kind of answer', async () => {
    const cookie = await signInThroughProxy('gest.sciences');
    const answers: [string, Response][] = [
      ['public page', await request(testApp.app).get('/help').set(throughProxy).expect(200)],
      ['private page', await request(testApp.app).get('/conventions').set(throughProxy).set('Cookie', cookie).expect(200)],
      ['error page', await request(testApp.app).get('/nulle-part').set(throughProxy).expect(404)],
      ['static file', await request(testApp.app).get('/static/css/app.css').set(throughProxy).expect(200)],
    ];
    for (const [label, answer] of answers) {
      expectProtectiveHeaders(answer, label);
      const hsts = answer.headers['strict-transport-security'] as string | undefined;
      expect(hsts, label).toMatch(/^max-age=(\d+); includeSubDomains$/);
      expect(Number(/max-age=(\d+)/.exec(hsts!)![1]), label).toBeGreaterThanOrEqual(365 * 24 * 3600);
      expect(policyOf(answer).has('upgrade-insecure-requests'), label).toBe(true);
    }
    expect(answers[1]![1].text).toContain('Se déconnecter');
  });
});
