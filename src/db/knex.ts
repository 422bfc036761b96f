import knexFactory, { type Knex } from 'knex';
import pg from 'pg';

// DATE columns come back as 'YYYY-MM-DD' strings: a calendar date has no time zone.
pg.types.setTypeParser(pg.types.builtins.DATE, (value) => value);
// Counts come back as numbers; NUMERIC is left a string so that money is never rounded through a float.
pg.types.setTypeParser(pg.types.builtins.INT8, (value) => Number(value));

export interface KnexOptions {
  poolMax?: number;
  /** How long a query may wait for a free connection before failing (then a 503). */
  acquireTimeoutMs?: number;
}

export function createKnex(databaseUrl: string, options: KnexOptions = {}): Knex {
  const acquireTimeoutMs = options.acquireTimeoutMs ?? 2000;
  return knexFactory({
    client: 'pg',
    connection: {
      connectionString: databaseUrl,
      // A request must never hang on a database that is gone: fail fast and let the caller answer 503.
      connectionTimeoutMillis: acquireTimeoutMs,
      statement_timeout: 30000,
    },
    pool: { min: 0, max: options.poolMax ?? 10, acquireTimeoutMillis: acquireTimeoutMs },
    acquireConnectionTimeout: acquireTimeoutMs,
  });
}
