import { Router } from 'express';
import type { Knex } from 'knex';

/** For load balancers and monitoring: 200 when the database answers, 503 otherwise. */
export function healthRoutes(knex: Knex): Router {
  const router = Router();
  router.get('/healthz', async (_req, res) => {
    try {
      await Promise.race([knex.raw('SELECT 1'), new Promise((_resolve, reject) => setTimeout(() => reject(new Error('database timeout')), 1500).unref())]);
      res.json({ status: 'ok', database: 'ok' });
    } catch {
      res.status(503).json({ status: 'error', database: 'down' });
    }
  });
  return router;
}
