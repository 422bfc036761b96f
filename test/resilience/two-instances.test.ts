import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import request from 'supertest';
import type { Knex } from 'knex';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/app.ts';
import { loadConfig } from '../../src/config.ts';
import { createKnex } from '../../src/db/knex.ts';
import { createLogger } from '../../src/logger.ts';
import { isPublicHoliday } from '../../src/rules/public-holidays.ts';
import { createTestDatabase, TEST_DATABASE_WAIT_MS, type TestDatabase } from '../support/database.ts';
import { startFakeCas, type FakeCas } from '../support/fake-cas.ts';
import { PUBLIC_BASE_URL } from '../support/test-app.ts';
import { completeWizard, enrolmentOf } from '../conventions/support.ts';
import { demoCentres, tinyPng } from '../centres/support.ts';

/**
 * Two Conventio processes behind a proxy, as the README describes: two apps, each with its own pool and
 * its own port, on one PostgreSQL, with the same configuration. Nothing is shared between them but the
 * database: sessions, numbers and uploads must all live there.
 */
interface Instance {
  url: string;
  app: ReturnType<typeof createApp>['app'];
  close(): Promise<void>;
}

/** A browser's cookie jar for one site: the proxy sends each request to either instance. */
class Browser {
  private readonly cookies = new Map<string, string>();

  async get(url: string): Promise<Response> {
    return this.keep(await fetch(url, { headers: this.header(), redirect: 'manual' }));
  }

  async post(url: string, fields: Record<string, string> | FormData): Promise<Response> {
    const body = fields instanceof FormData ? fields : new URLSearchParams(fields);
    return this.keep(await fetch(url, { method: 'POST', headers: this.header(), body, redirect: 'manual' }));
  }

  private header(): Record<string, string> {
    return this.cookies.size === 0 ? {} : { Cookie: [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ') };
  }

  private keep(response: Response): Response {
    for (const cookie of response.headers.getSetCookie()) {
      const [pair] = cookie.split(';');
      const separator = pair!.indexOf('=');
      this.cookies.set(pair!.slice(0, separator), pair!.slice(separator + 1));
    }
    return response;
  }
}

/** One weekday that is no public holiday per convention: 100 days of 7 hours stay under the 924-hour cap. */
function workingDays(from: string, count: number): string[] {
  const days: string[] = [];
  for (const date = new Date(`${from}T00:00:00Z`); days.length < count; date.setUTCDate(date.getUTCDate() + 1)) {
    const iso = date.toISOString().slice(0, 10);
    if (date.getUTCDay() !== 0 && date.getUTCDay() !== 6 && !isPublicHoliday(iso)) days.push(iso);
  }
  return days;
}

describe('two instances on one database', () => {
  let database: TestDatabase;
  let cas: FakeCas;
  let instances: Instance[];

  beforeAll(async () => {
    [database, cas] = await Promise.all([createTestDatabase(), startFakeCas()]);
    const config = loadConfig({
      NODE_ENV: 'test',
      AUTH_MODE: 'cas',
      CAS_BASE_URL: cas.baseUrl,
      PUBLIC_BASE_URL,
      ADMIN_LOGINS: 'admin',
      SESSION_SECRET: 'a-test-secret-that-is-long-enough-for-sessions',
      LOG_LEVEL: 'silent',
    });
    const start = async (): Promise<Instance> => {
      const knex = createKnex(database.url, { poolMax: 5, acquireTimeoutMs: TEST_DATABASE_WAIT_MS });
      const { app, close } = createApp({
        knex,
        config,
        logger: createLogger('silent'),
        databaseUrl: database.url,
        sessionConnectionTimeoutMs: TEST_DATABASE_WAIT_MS,
      });
      const server: Server = await new Promise((resolve) => {
        const listening = app.listen(0, '127.0.0.1', () => resolve(listening));
      });
      return {
        url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
        app,
        async close() {
          await new Promise((resolve) => server.close(resolve));
          await close();
          await knex.destroy();
        },
      };
    };
    instances = [await start(), await start()];
  });
  afterAll(async () => {
    await Promise.all(instances.map((instance) => instance.close()));
    await Promise.all([database.drop(), cas.close()]);
  });

  async function signIn(browser: Browser, instance: Instance, login: string): Promise<void> {
    const toCas = await browser.get(`${instance.url}/auth/login`);
    expect(toCas.status).toBe(302);
    const service = new URL(toCas.headers.get('location')!).searchParams.get('service')!;
    const back = await browser.get(`${instance.url}/auth/login?ticket=${cas.issueTicket(login, service)}`);
    expect(back.status).toBe(302);
  }

  it('a session opened on one instance is signed in on the other, and signing out on the other ends it everywhere', async () => {
    const [first, second] = instances as [Instance, Instance];
    const browser = new Browser();
    const before = await browser.get(`${second.url}/conventions`);
    expect(before.status).toBe(302);
    expect(before.headers.get('location')).toMatch(/\/auth\/login/);

    await signIn(browser, first, 'gest.sciences');
    const page = await browser.get(`${second.url}/conventions`);
    expect(page.status).toBe(200);
    const html = await page.text();
    const staff = await database.knex('staff').where({ login: 'gest.sciences' }).first('first_name', 'last_name');
    expect(html).toContain(staff.last_name);

    const token = /name="_csrf" value="([^"]+)"/.exec(html)![1]!;
    const signedOut = await browser.post(`${second.url}/auth/logout`, { _csrf: token });
    expect(signedOut.status).toBe(302);
    const after = await browser.get(`${first.url}/conventions`);
    expect(after.status).toBe(302);
    expect(after.headers.get('location')).toMatch(/\/auth\/login/);
  });

  it('a file uploaded through one instance is served by the other: nothing lives on local disks', async () => {
    const [first, second] = instances as [Instance, Instance];
    const { sciences } = await demoCentres(database.knex);
    const browser = new Browser();
    await signIn(browser, first, 'resp.sciences');
    const page = await (await browser.get(`${second.url}/centres/${sciences}`)).text();
    const form = new FormData();
    form.append('_csrf', /name="_csrf" value="([^"]+)"/.exec(page)![1]!);
    form.append('logo', new Blob([new Uint8Array(tinyPng())], { type: 'image/png' }), 'logo.png');
    expect((await browser.post(`${first.url}/centres/${sciences}/logo`, form)).status).toBe(302);

    const served = await browser.get(`${second.url}/centres/${sciences}/logo`);
    expect(served.status).toBe(200);
    expect(served.headers.get('content-type')).toBe('image/png');
    expect(Buffer.compare(Buffer.from(await served.arrayBuffer()), tinyPng())).toBe(0);
  });

  it('100 conventions created at once, half through each instance, get 100 different numbers', { timeout: 120_000 }, async () => {
    const [first, second] = instances as [Instance, Instance];
    const knex: Knex = database.knex;
    // The wizard once through HTTP, as staff; the draft is then copied for one working day each.
    const agent = request.agent(first.app);
    const toCas = await agent.get('/auth/login').expect(302);
    const service = new URL(toCas.headers.location as string).searchParams.get('service')!;
    await agent.get(`/auth/login?ticket=${cas.issueTicket('gest.sciences', service)}`).expect(302);
    const student = await enrolmentOf(knex, 'etu.sciences1');
    const { base } = await completeWizard(agent, knex, { login: 'etu.sciences1', studentId: student.studentId });
    const draftId = Number(base.split('/').pop());

    const insertable = (
      await knex.raw(
        "SELECT attname FROM pg_attribute WHERE attrelid = 'convention'::regclass AND attnum > 0 AND NOT attisdropped AND attgenerated = '' AND attname <> 'id'",
      )
    ).rows.map((row: { attname: string }) => row.attname) as string[];
    const draft = await knex('convention').where({ id: draftId }).first(insertable);
    const days = workingDays('2027-01-04', 100);
    const ids = (await knex('convention')
      .insert(days.map((day) => ({ ...draft, start_date: day, end_date: day })))
      .returning('id')) as { id: number }[];
    await knex('convention').where({ id: draftId }).del();

    const browser = new Browser();
    await signIn(browser, first, 'gest.sciences');
    const summary = await (await browser.get(`${second.url}/conventions/drafts/${ids[0]!.id}/summary`)).text();
    const token = /name="_csrf" value="([^"]+)"/.exec(summary)![1]!;
    const version = /name="version" value="(\d+)"/.exec(summary)![1]!;

    const responses = await Promise.all(
      ids.map(({ id }, index) =>
        browser.post(`${instances[index % 2]!.url}/conventions/drafts/${id}/create`, { _csrf: token, version, confirm_warnings: 'on' }),
      ),
    );
    const statuses = responses.map((response) => response.status);
    expect(statuses, JSON.stringify(statuses)).toEqual(ids.map(() => 302));
    const numbers = responses.map((response) => Number(/^\/conventions\/(\d+)$/.exec(response.headers.get('location') ?? '')?.[1]));
    expect(numbers.every((number) => Number.isInteger(number) && number > 0)).toBe(true);
    expect(new Set(numbers).size).toBe(100);

    const stored = await knex('convention')
      .whereIn(
        'id',
        ids.map(({ id }) => id),
      )
      .select('number', 'status');
    expect(stored.every((row) => row.status === 'submitted')).toBe(true);
    expect(new Set(stored.map((row) => row.number)).size).toBe(100);
    expect(stored.map((row) => row.number).sort((a, b) => a - b)).toEqual([...numbers].sort((a, b) => a - b));
  });
});
