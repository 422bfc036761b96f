import { loadConfig } from '../config.ts';
import { createLogger } from '../logger.ts';
import { backupWithPgDump, defaultBackupFile, openBackupTarget, writeConventioBackup } from '../db/backup.ts';
import { createKnex } from '../db/knex.ts';

/**
 * `npm run backup [-- FILE]`: the whole database in one file (data/backups/conventio-<date>.dump unless
 * told): pg_dump's custom format for DATABASE_URL, Conventio's own for the embedded server. Safe while
 * Conventio runs: both read one consistent snapshot.
 */
const file = process.argv[2] ?? defaultBackupFile();
if (file.startsWith('-')) {
  process.stderr.write('Usage : npm run backup [-- fichier]\n');
  process.exit(2);
}

let exitCode = 1;
try {
  const config = loadConfig();
  const target = await openBackupTarget(config, createLogger('silent'), 'backup');
  try {
    if (config.databaseUrl) {
      await backupWithPgDump(target.url, file);
      process.stdout.write(`Sauvegarde écrite (pg_dump) : ${file}\n`);
    } else {
      const knex = createKnex(target.url, { poolMax: 1 });
      try {
        const summary = await writeConventioBackup(knex, file);
        process.stdout.write(`Sauvegarde écrite : ${file} (${summary.tables} tables, ${summary.rows} lignes, ${target.description})\n`);
      } finally {
        await knex.destroy();
      }
    }
    exitCode = 0;
  } finally {
    await target.close();
  }
} catch (error) {
  process.stderr.write(`Sauvegarde impossible : ${error instanceof Error ? error.message : String(error)}\n`);
}
process.exit(exitCode);
