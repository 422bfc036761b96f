import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createKnex } from '../../src/db/knex.ts';
import { createLogger } from '../../src/logger.ts';
import { DatabaseRateLimitStore } from '../../src/web/rate-limit-store.ts';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';
import { startFakeCas, type FakeCas } from '../support/fake-cas.ts';
import { freePort } from '../support/ports.ts';
import { PUBLIC_BASE_URL } from '../support/test-app.ts';
import { startServer, type ServerProcess } from '../support/server-process.ts';

/**
 * The rate limits count in the database (src/web/rate-limit-store.ts): two Conventio processes on one
 * PostgreSQL, as behind a load balancer, share the count of refused sign-ins of an address, so that the
 * limit is reached across both instead of once on each.
 */

/** The sign-in limit of `npm start`: attempts allowed per address every 5 minutes. */
const SIGN_IN_LIMIT = 100;

describe('rate limits shared by two app processes', () => {
  let database: TestDatabase;
  let cas: FakeCas;
  let servers: { url: string; process: ServerProcess }[];

  beforeAll(async () => {
    [database, cas] = await Promise.all([createTestDatabase(), startFakeCas()]);
    const start = async (): Promise<(typeof servers)[number]> => {
      const port = await freePort();
      const process = startServer({
        DATABASE_URL: database.url,
        PORT: String(port),
        AUTH_MODE: 'cas',
        CAS_BASE_URL: cas.baseUrl,
        PUBLIC_BASE_URL,
        SESSION_SECRET: 'a-test-secret-that-is-long-enough-for-sessions',
      });
      try {
        await process.waitFor('Ctrl-C');
      } catch (error) {
        // Another test process may take the free port between its choice and the server's start.
        if (process.output().stderr.includes('est déjà utilisé')) return start();
        throw error;
      }
      return { url: `http://127.0.0.1:${port}`, process };
    };
    // One after the other: the second chooses its port once the first listens on its own.
    servers = [await start()];
    servers.push(await start());
  }, 120_000);
  afterAll(async () => {
    for (const server of servers ?? []) server.process.child.kill('SIGTERM');
    await Promise.all((servers ?? []).map((server) => server.process.exited));
    await Promise.all([database?.drop(), cas?.close()]);
  });

  it('counts refused sign-ins on one process against the other: the limit reached across both gives 429 on both', { timeout: 120_000 }, async () => {
    const [first, second] = servers as [(typeof servers)[0], (typeof servers)[0]];
    const attempt = async (server: { url: string }) => (await fetch(`${server.url}/auth/login?ticket=ST-guess`, { redirect: 'manual' })).status;
    const answers: number[] = [];
    for (let index = 0; index < SIGN_IN_LIMIT; index += 1) answers.push(await attempt(index % 2 === 0 ? first : second));
    expect(new Set(answers)).toEqual(new Set([401]));
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
