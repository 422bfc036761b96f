import { loadConfig, ConfigError, type Config } from '../config.ts';
import { createLogger, type Logger } from '../logger.ts';
import { openDatabase, prepareSchema, type Database } from '../db/bootstrap.ts';

/**
 * Shared frame of the command-line scripts: configuration, database (embedded unless DATABASE_URL is
 * set), schema brought up to date, then the script's work, and the database closed whatever happens.
 */
export async function runWithDatabase(work: (database: Database, config: Config, logger: Logger) => Promise<number>): Promise<never> {
  let config: Config;
  try {
    config = loadConfig();
  } catch (error) {
    process.stderr.write(`${error instanceof ConfigError ? error.message : String(error)}\n`);
    process.exit(2);
  }
  const logger = createLogger(config.logLevel === 'info' ? 'warn' : config.logLevel);
  let database: Database | undefined;
  let exitCode = 1;
  try {
    database = await openDatabase(config, logger);
    await prepareSchema(database.knex, logger);
    exitCode = await work(database, config, logger);
  } catch (error) {
    process.stderr.write(`Échec : ${error instanceof Error ? error.message : String(error)}\n`);
  } finally {
    await database?.close();
  }
  process.exit(exitCode);
}
