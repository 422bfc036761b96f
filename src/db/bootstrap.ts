import type { Knex } from 'knex';
import type { Config } from '../config.ts';
import type { Logger } from '../logger.ts';
import { createKnex } from './knex.ts';
import { startEmbeddedDatabase, type EmbeddedDatabase } from './embedded.ts';
import { migrateToLatest } from './migrations.ts';
import { seed as seedReferenceData } from '../../seeds/reference.ts';

export interface Database {
  knex: Knex;
  url: string;
  embedded: EmbeddedDatabase | undefined;
  close(): Promise<void>;
}

export const EMBEDDED_DATABASE_NAME = 'conventio';

/** Connects to DATABASE_URL, or starts the embedded server and its `conventio` database. */
export async function openDatabase(config: Config, logger: Logger): Promise<Database> {
  let embedded: EmbeddedDatabase | undefined;
  let url = config.databaseUrl;
  if (!url) {
    embedded = await startEmbeddedDatabase({
      directory: config.embeddedPostgres.directory,
      port: config.embeddedPostgres.port,
      log: (message) => logger.debug({ postgres: message }),
    });
    const admin = createKnex(embedded.url('postgres'), { poolMax: 1 });
    try {
      const exists = await admin('pg_database').where({ datname: EMBEDDED_DATABASE_NAME }).first('datname');
      if (!exists) await admin.raw('CREATE DATABASE ??', [EMBEDDED_DATABASE_NAME]);
    } finally {
      await admin.destroy();
    }
    url = embedded.url(EMBEDDED_DATABASE_NAME);
  }
  const knex = createKnex(url);
  return {
    knex,
    url,
    embedded,
    async close() {
      await knex.destroy();
      await embedded?.stop();
    },
  };
}

/** Brings the schema up to date and refreshes the reference lists and legal parameters. */
export async function prepareSchema(knex: Knex, logger: Logger): Promise<void> {
  const applied = await migrateToLatest(knex);
  if (applied.length > 0) logger.info({ migrations: applied }, 'migrations applied');
  await seedReferenceData(knex);
}
