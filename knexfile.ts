import { loadConfig } from './src/config.ts';
import { migrationConfig } from './src/db/migrations.ts';

/** For the knex command line against an external database (`DATABASE_URL`); the app migrates itself at start. */
const config = loadConfig();

export default {
  client: 'pg',
  connection: config.databaseUrl,
  migrations: migrationConfig,
};
