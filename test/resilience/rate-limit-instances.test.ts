import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/app.ts';
import { loadConfig } from '../../src/config.ts';
import { createKnex } from '../../src/db/knex.ts';
import { createLogger } from '../../src/logger.ts';
import { DatabaseRateLimitStore } from '../../src/web/rate-limit-store.ts';
import { createTestDatabase, TEST_DATABASE_WAIT_MS, type TestDatabase } from '../support/database.ts';
import { startFakeCas, type FakeCas } from '../support/fake-cas.ts';
import { freePort } from '../support/ports.ts';
import { PUBLIC_BASE_URL } from '../support/test-app.ts';

/**
 * The rate limits count in the database (src/web/rate-limit-store.ts): two Conventio instances on one
 * PostgreSQL, as behind a proxy, share the count of refused sign-ins of an address, so that the limit
 * is reached across both instead of once on each.
 */
interface Instance {
  url: string;
  close(): Promise<void>;
}

const SIGN_IN_LIMIT = 3;

describe('rate limits shared by two instances', () => {
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
        signInRateLimit: SIGN_IN_LIMIT,
        sessionConnectionTimeoutMs: TEST_DATABASE_WAIT_MS,
      });
      const server: Server = await new Promise((resolve) => {
        const listening = app.listen(0, '127.0.0.1', () => resolve(listening));
      });
      return {
        url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
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
    await Promise.all((instances ?? []).map((instance) => instance.close()));
    await Promise.all([database?.drop(), cas?.close()]);
  });

  it('counts refused sign-ins on one instance against the other: the limit reached across both gives 429 on both', async () => {
    const [first, second] = instances as [Instance, Instance];
    const attempt = async (instance: Instance) => (await fetch(`${instance.url}/auth/login?ticket=ST-guess`, { redirect: 'manual' })).status;
    expect([await attempt(first), await attempt(second), await attempt(first)]).toEqual([401, 401, 401]);
    expect(await attempt(second)).toBe(429);
    expect(await attempt(first)).toBe(429);
    const counters = (await database.knex('rate_limit_counter').where('key', 'like', 'sign-in:%').select('hits')) as { hits: number }[];
    expect(counters).toEqual([{ hits: SIGN_IN_LIMIT + 2 }]);
  });

  it('starts a new window in the same statement once the last one has ended, and removes the windows that ended', async () => {
    const store = new DatabaseRateLimitStore(database.knex, 'test', createLogger('silent'));
    store.init({ windowMs: 60_000 } as Parameters<typeof store.init>[0]);
    await database.knex('rate_limit_counter').insert([
      { key: 'test:a', hits: 7, reset_at: database.knex.raw("now() - interval '1 second'") },
      { key: 'test:b', hits: 2, reset_at: database.knex.raw("now() - interval '1 minute'") },
    ]);
    const first = await store.increment('a');
    expect(first.totalHits).toBe(1);
    expect(first.resetTime!.getTime()).toBeGreaterThan(Date.now() + 50_000);
    expect((await store.increment('a')).totalHits).toBe(2);
    await store.decrement('a');
    expect((await store.increment('a')).totalHits).toBe(2);
    expect(await database.knex('rate_limit_counter').where('key', 'like', 'test:%').orderBy('key').pluck('key')).toEqual(['test:a']);
    await store.resetKey('a');
    expect(await database.knex('rate_limit_counter').where('key', 'like', 'test:%').pluck('key')).toEqual([]);
  });

  it('lets a hit through with a warning when the database cannot be reached, instead of failing the request', async () => {
    const lines: string[] = [];
    const down = createKnex(`postgres://postgres@127.0.0.1:${await freePort()}/none`, { poolMax: 1, acquireTimeoutMs: 2000 });
    try {
      const store = new DatabaseRateLimitStore(down, 'sign-in', createLogger('warn', { write: (line: string) => lines.push(line) }));
      store.init({ windowMs: 60_000 } as Parameters<typeof store.init>[0]);
      expect((await store.increment('127.0.0.1')).totalHits).toBe(1);
      await store.decrement('127.0.0.1');
    } finally {
      await down.destroy();
    }
    expect(lines.map((line) => JSON.parse(line) as { level: number; limiter: string })).toEqual([
      expect.objectContaining({ level: 40, limiter: 'sign-in:' }),
      expect.objectContaining({ level: 40, limiter: 'sign-in:' }),
    ]);
  });
});
