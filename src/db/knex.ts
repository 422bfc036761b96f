import knexFactory, { type Knex } from 'knex';
import pg from 'pg';
import type { Pool } from 'tarn';

// DATE columns come back as 'YYYY-MM-DD' strings: a calendar date has no time zone.
pg.types.setTypeParser(pg.types.builtins.DATE, (value) => value);
// Counts come back as numbers; NUMERIC is left a string so that money is never rounded through a float.
pg.types.setTypeParser(pg.types.builtins.INT8, (value) => Number(value));

/** A connection or a transaction: what repositories run their queries on. */
export type Db = Knex | Knex.Transaction;

export interface KnexOptions {
  poolMax?: number;
  /**
   * How long a query may wait for a connection before failing (then a 503): for a busy pool, the time
   * for one to be free; for a new connection, capped by CONNECT_TIMEOUT_MS.
   */
  acquireTimeoutMs?: number;
}

/** A database that is gone must not hold a request: opening a connection fails after this long. */
export const CONNECT_TIMEOUT_MS = 2000;

/**
 * At the busiest hour, every connection may be taken by other requests for a moment: a request waits
 * for one rather than failing. It does not wait on a database that is down: a failed connection attempt
 * fails the waiting request at once (tarn's propagateCreateError, on by default in knex).
 */
const BUSY_POOL_WAIT_MS = 10000;

export function createKnex(databaseUrl: string, options: KnexOptions = {}): Knex {
  const acquireTimeoutMs = options.acquireTimeoutMs ?? BUSY_POOL_WAIT_MS;
  const knex = knexFactory({
    client: 'pg',
    connection: {
      connectionString: databaseUrl,
      connectionTimeoutMillis: Math.min(acquireTimeoutMs, CONNECT_TIMEOUT_MS),
      statement_timeout: 30000,
    },
    pool: { min: 0, max: options.poolMax ?? 10, acquireTimeoutMillis: acquireTimeoutMs },
    acquireConnectionTimeout: acquireTimeoutMs,
  });
  failEveryWaitingRequestWhenTheDatabaseIsUnreachable(knex);
  return knex;
}

/**
 * When a new connection fails, tarn hands the error to one waiting request, then tries again 200 ms
 * later: with the database gone and thirty requests waiting, the last would wait six seconds. They
 * all fail at once instead (then a 503); the next request tries to connect again.
 */
function failEveryWaitingRequestWhenTheDatabaseIsUnreachable(knex: Knex): void {
  const pool = (knex.client as { pool?: Pool<unknown> }).pool;
  pool?.on('createFail', (_eventId, error) => {
    // tarn declares its queue protected, yet rejecting a waiting acquisition is its own way out of it.
    const waiting = (pool as unknown as { pendingAcquires: { reject(error: Error): void }[] }).pendingAcquires;
    for (const acquisition of [...waiting]) acquisition.reject(error);
  });
}
