import { createHash, timingSafeEqual } from 'node:crypto';
import { Router, type RequestHandler } from 'express';
import type { Knex } from 'knex';
import { Gauge, Registry } from 'prom-client';
import { httpMetrics } from './http.ts';

/**
 * `/metrics` for Prometheus: HTTP traffic, the database pool and the process's memory. Only for who holds
 * METRICS_TOKEN (`Authorization: Bearer …`); without the setting the address does not exist (404).
 */
export interface MetricsModule {
  /** Goes first, so that every request is measured, those refused early included. */
  record: RequestHandler;
  router: Router;
}

/** tarn's pool, which knex keeps on its client. */
interface TarnPool {
  numUsed(): number;
  numFree(): number;
  numPendingAcquires(): number;
  numPendingCreates(): number;
  max: number;
}

function poolOf(knex: Knex): TarnPool | undefined {
  return (knex.client as { pool?: TarnPool }).pool;
}

/** Digests of equal length, compared in constant time: the answer's timing tells nothing of the token. */
function sameToken(given: string, expected: string): boolean {
  const digest = (value: string) => createHash('sha256').update(value).digest();
  return timingSafeEqual(digest(given), digest(expected));
}

export function metricsModule(knex: Knex, token: string | undefined): MetricsModule {
  // A registry of this application's own, not prom-client's global one: two applications in one
  // process (the tests) count apart.
  const registry = new Registry();
  const record = httpMetrics(registry);
  // Gauges read when scraped.
  new Gauge({
    name: 'conventio_db_pool_connections',
    help: 'Connections of the database pool: in use, free, and requests waiting for one.',
    labelNames: ['state'],
    registers: [registry],
    collect() {
      this.reset();
      const current = poolOf(knex);
      if (!current) return;
      this.set({ state: 'used' }, current.numUsed());
      this.set({ state: 'free' }, current.numFree());
      this.set({ state: 'pending' }, current.numPendingAcquires() + current.numPendingCreates());
    },
  });
  new Gauge({
    name: 'conventio_db_pool_max_connections',
    help: 'Size limit of the database pool.',
    registers: [registry],
    collect() {
      this.reset();
      const current = poolOf(knex);
      if (current) this.set(current.max);
    },
  });
  new Gauge({
    name: 'process_resident_memory_bytes',
    help: 'Resident memory of the process.',
    registers: [registry],
    collect() {
      this.set(process.memoryUsage().rss);
    },
  });
  new Gauge({
    name: 'nodejs_heap_used_bytes',
    help: 'JavaScript heap in use.',
    registers: [registry],
    collect() {
      this.set(process.memoryUsage().heapUsed);
    },
  });
  new Gauge({
    name: 'process_uptime_seconds',
    help: 'Time since the process started.',
    registers: [registry],
    collect() {
      this.set(process.uptime());
    },
  });

  const router = Router();
  router.get('/metrics', async (req, res, next) => {
    if (!token) {
      next();
      return;
    }
    const match = /^Bearer (.+)$/.exec(req.get('authorization') ?? '');
    if (!match || !sameToken(match[1]!, token)) {
      req.log.warn({ path: req.path }, 'metrics: missing or wrong token');
      res.status(401).set('WWW-Authenticate', 'Bearer realm="metrics"').end();
      return;
    }
    const text = await registry.metrics();
    res.set('Content-Type', registry.contentType).set('Cache-Control', 'no-store').send(text);
  });
  return { record, router };
}
