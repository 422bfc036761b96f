import knexFactory, { type Knex } from 'knex';
import pg from 'pg';

// DATE columns come back as 'YYYY-MM-DD' strings: a calendar date has no time zone.
pg.types.setTypeParser(pg.types.builtins.DATE, (value) => value);
// Counts come back as numbers; NUMERIC is left a string so that money is never rounded through a float.
pg.types.setTypeParser(pg.types.builtins.INT8, (value) => Number(value));

export function createKnex(databaseUrl: string, options: { poolMax?: number } = {}): Knex {
  return knexFactory({
    client: 'pg',
    connection: {
      connectionString: databaseUrl,
      // A request must never hang on a database that is gone: fail fast and let the caller answer 503.
      connectionTimeoutMillis: 2000,
      statement_timeout: 30000,
    },
    pool: { min: 0, max: options.poolMax ?? 10, acquireTimeoutMillis: 2000 },
    acquireConnectionTimeout: 2000,
  });
}
