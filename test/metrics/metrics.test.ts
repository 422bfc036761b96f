import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startTestApp, type TestApp } from '../support/test-app.ts';
import { freePort } from '../support/ports.ts';
import { createApp } from '../../src/app.ts';
import { createKnex } from '../../src/db/knex.ts';
import { createLogger } from '../../src/logger.ts';
import { loadConfig } from '../../src/config.ts';
import { Registry } from 'prom-client';
import { boundedCounter, OVERFLOW_LABEL } from '../../src/metrics/bounded.ts';

const TOKEN = 'a-metrics-token-that-is-long-enough-0123456789';

/** The samples of a scrape, as Prometheus reads them: `name{labels}` → value. */
function samples(text: string): Map<string, number> {
  const result = new Map<string, number>();
  for (const line of text.trimEnd().split('\n')) {
    // The format allows empty lines; prom-client writes one between metrics.
    if (line === '') continue;
    if (line.startsWith('#')) {
      expect(line).toMatch(/^# (HELP|TYPE) [a-z_]+ .+$/);
      continue;
    }
    const match = /^([a-z_]+(?:\{[^}]*\})?) (\S+)$/.exec(line);
    expect(match, line).not.toBeNull();
    result.set(match![1]!, Number(match![2]));
  }
  return result;
}

describe('/metrics', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp({ environment: { METRICS_TOKEN: TOKEN } });
  });
  afterAll(() => app.close());

  const scrape = async () => {
    const response = await app.anonymous().get('/metrics').set('Authorization', `Bearer ${TOKEN}`);
    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toBe('text/plain; version=0.0.4; charset=utf-8');
    return { text: response.text, samples: samples(response.text) };
  };

  it('is closed to whoever lacks the token, with or without a session', async () => {
    expect((await app.anonymous().get('/metrics')).status).toBe(401);
    expect(
      (
        await app
          .anonymous()
          .get('/metrics')
          .set('Authorization', `Bearer ${TOKEN.slice(0, -1)}x`)
      ).status,
    ).toBe(401);
    expect((await app.anonymous().get('/metrics').set('Authorization', 'Bearer court')).status).toBe(401);
    expect(
      (
        await app
          .anonymous()
          .get('/metrics')
          .set('Authorization', `Basic ${Buffer.from(`x:${TOKEN}`).toString('base64')}`)
      ).status,
    ).toBe(401);
    const admin = await app.signIn('admin');
    const refused = await admin.get('/metrics');
    expect(refused.status).toBe(401);
    expect(refused.headers['www-authenticate']).toBe('Bearer realm="metrics"');
    expect(refused.text).toBe('');
  });

  it('counts requests by method, route pattern and status class, never by the address typed', async () => {
    const staff = await app.signIn('gest.sciences');
    const number = (
      await app
        .knex('convention as c')
        .join('centre as ce', 'ce.id', 'c.centre_id')
        .where('ce.name', 'like', '%Sciences%')
        .whereNotNull('c.number')
        .first('c.number')
    ).number as number;
    const before = (await scrape()).samples;
    const key = 'conventio_http_requests_total{method="GET",route="/conventions/:number",status="2xx"}';
    expect((await staff.get(`/conventions/${number}`)).status).toBe(200);
    expect((await staff.get(`/conventions/${number}`)).status).toBe(200);
    expect((await staff.get('/une-page-qui-n-existe-pas-123456')).status).toBe(404);
    // A tab of the convention, answered by a router mounted on /conventions/:number.
    expect((await staff.get(`/conventions/${number}/student`)).status).toBe(200);

    const { text, samples: after } = await scrape();
    expect((after.get(key) ?? 0) - (before.get(key) ?? 0)).toBe(2);
    expect(after.get('conventio_http_requests_total{method="GET",route="unmatched",status="4xx"}')).toBeGreaterThanOrEqual(1);
    expect(after.get('conventio_http_requests_total{method="GET",route="/conventions/:id/student",status="2xx"}')).toBe(1);
    expect(text).not.toContain(`/conventions/${number}`);
    expect(text).not.toContain('123456');

    const durationCount = after.get('conventio_http_request_duration_seconds_count{method="GET",route="/conventions/:number"}')!;
    expect(durationCount).toBeGreaterThanOrEqual(2);
    expect(after.get('conventio_http_request_duration_seconds_bucket{le="+Inf",method="GET",route="/conventions/:number"}')).toBe(durationCount);
    expect(after.get('conventio_http_request_duration_seconds_sum{method="GET",route="/conventions/:number"}')).toBeGreaterThan(0);
  });

  it('shows the database pool at work and the process’s memory', async () => {
    // Connections opened for the requests of the tests before may still be on their way to the pool.
    const pool = (app.knex.client as { pool: { numPendingCreates(): number } }).pool;
    await vi.waitFor(() => expect(pool.numPendingCreates()).toBe(0), { timeout: 5000 });
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let busy!: () => void;
    const started = new Promise<void>((resolve) => (busy = resolve));
    const transaction = app.knex.transaction(async (trx) => {
      await trx.raw('SELECT 1');
      busy();
      await held;
    });
    await started;
    try {
      const { samples: during } = await scrape();
      expect(during.get('conventio_db_pool_connections{state="used"}')).toBeGreaterThanOrEqual(1);
      expect(during.has('conventio_db_pool_connections{state="free"}')).toBe(true);
      expect(during.get('conventio_db_pool_connections{state="pending"}')).toBe(0);
      expect(during.get('conventio_db_pool_max_connections')).toBe(8);
      expect(during.get('process_resident_memory_bytes')).toBeGreaterThan(10_000_000);
      expect(during.get('nodejs_heap_used_bytes')).toBeGreaterThan(1_000_000);
    } finally {
      release();
      await transaction;
    }
    const { samples: after } = await scrape();
    expect(after.get('conventio_db_pool_connections{state="used"}')).toBe(0);
  });
});

describe('/metrics without METRICS_TOKEN', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp();
  });
  afterAll(() => app.close());

  it('does not exist', async () => {
    expect((await app.anonymous().get('/metrics').set('Authorization', 'Bearer anything-at-all')).status).toBe(404);
  });

  it('refuses to start with a token short enough to guess', () => {
    expect(() => loadConfig({ METRICS_TOKEN: 'court' })).toThrow('Configuration invalide — METRICS_TOKEN : au moins 32 caractères');
  });
});

describe('/metrics when the database is down', () => {
  it('counts the 503 answers as server errors', async () => {
    const url = `postgres://nobody:secret@127.0.0.1:${await freePort()}/conventio`;
    const knex = createKnex(url, { acquireTimeoutMs: 300 });
    const config = loadConfig({
      NODE_ENV: 'test',
      LOG_LEVEL: 'silent',
      METRICS_TOKEN: TOKEN,
      SESSION_SECRET: 'a-test-secret-that-is-long-enough-for-sessions',
    });
    const { app, close } = createApp({ knex, config, logger: createLogger('silent'), databaseUrl: url, sessionConnectionTimeoutMs: 300 });
    try {
      expect((await request(app).get('/healthz')).status).toBe(503);
      const scrape = await request(app).get('/metrics').set('Authorization', `Bearer ${TOKEN}`);
      const values = samples(scrape.text);
      expect(values.get('conventio_http_server_errors_total{method="GET",route="/healthz"}')).toBe(1);
      expect(values.get('conventio_http_requests_total{method="GET",route="/healthz",status="5xx"}')).toBe(1);
    } finally {
      await close();
      await knex.destroy();
    }
  });
});

describe('the metrics registry', () => {
  const sampleLines = async (registry: Registry) => (await registry.metrics()).split('\n').filter((line) => line !== '' && !line.startsWith('#'));

  it('folds label sets past its cap into "other", so that typed addresses cannot grow it without bound', async () => {
    const registry = new Registry();
    const counter = boundedCounter(registry, { name: 'test_total', help: 'Test.', labelNames: ['route'] });
    for (let index = 0; index < 800; index += 1) counter.inc({ route: `/conventions/mot${index}/student` });
    const lines = await sampleLines(registry);
    expect(lines).toHaveLength(501);
    expect(lines).toContain(`test_total{route="${OVERFLOW_LABEL}"} 300`);
  });

  it('escapes label values as the text format requires', async () => {
    const registry = new Registry();
    boundedCounter(registry, { name: 'test_total', help: 'Test.', labelNames: ['route'] }).inc({ route: 'a"b\\c\nd' });
    expect(await sampleLines(registry)).toContain('test_total{route="a\\"b\\\\c\\nd"} 1');
  });
});
