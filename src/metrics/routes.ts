import { createHash, timingSafeEqual } from 'node:crypto';
import { Router, type RequestHandler } from 'express';
import type { Knex } from 'knex';
import { Gauge, renderMetrics, CONTENT_TYPE } from './registry.ts';
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
  const http = httpMetrics();
  const pool = new Gauge('conventio_db_pool_connections', 'Connections of the database pool: in use, free, and requests waiting for one.', () => {
    const current = poolOf(knex);
    if (!current) return [];
    return [
      { labels: { state: 'used' }, value: current.numUsed() },
      { labels: { state: 'free' }, value: current.numFree() },
      { labels: { state: 'pending' }, value: current.numPendingAcquires() + current.numPendingCreates() },
    ];
  });
  const poolMax = new Gauge('conventio_db_pool_max_connections', 'Size limit of the database pool.', () => {
    const current = poolOf(knex);
    return current ? [{ value: current.max }] : [];
  });
  const memory = new Gauge('process_resident_memory_bytes', 'Resident memory of the process.', () => [{ value: process.memoryUsage().rss }]);
  const heap = new Gauge('nodejs_heap_used_bytes', 'JavaScript heap in use.', () => [{ value: process.memoryUsage().heapUsed }]);
  const uptime = new Gauge('process_uptime_seconds', 'Time since the process started.', () => [{ value: process.uptime() }]);
  const all = [http.requests, http.duration, http.serverErrors, pool, poolMax, memory, heap, uptime];

  const router = Router();
  router.get('/metrics', (req, res, next) => {
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
    res.set('Content-Type', CONTENT_TYPE).set('Cache-Control', 'no-store').send(renderMetrics(all));
  });
  return { record: http.record, router };
}
