import readline from 'node:readline/promises';
import { loadConfig } from '../config.ts';
import { createLogger } from '../logger.ts';
import { backupFormatOf, openBackupTarget, restoreConventioBackup, restoreWithPgRestore, BackupError } from '../db/backup.ts';
import { createKnex } from '../db/knex.ts';

/**
 * `npm run restore -- FILE [--yes]`: replaces the whole database by a backup, in one transaction. Asks
 * before doing so unless --yes is given; refuses while Conventio runs on the embedded data directory.
 */
const flags = process.argv.slice(2).filter((argument) => argument.startsWith('-'));
const files = process.argv.slice(2).filter((argument) => !argument.startsWith('-'));
if (files.length !== 1 || flags.some((flag) => flag !== '--yes')) {
  process.stderr.write('Usage : npm run restore -- fichier [--yes]\n');
  process.exit(2);
}
const file = files[0]!;

async function confirmed(description: string): Promise<boolean> {
  if (flags.includes('--yes')) return true;
  if (!process.stdin.isTTY) throw new BackupError('confirmation impossible sans terminal : ajoutez --yes.');
  const prompt = readline.createInterface({ input: process.stdin, output: process.stdout });
  try {
    const answer = await prompt.question(`Tout le contenu de la base (${description}) sera remplacé par ${file}. Continuer ? (oui/non) `);
    return /^o(ui)?$/i.test(answer.trim());
  } finally {
    prompt.close();
  }
}

let exitCode = 1;
try {
  const config = loadConfig();
  const format = await backupFormatOf(file);
  const target = await openBackupTarget(config, createLogger('silent'), 'restore');
  try {
    if (!(await confirmed(target.description))) {
      process.stdout.write('Restauration abandonnée : rien n’a changé.\n');
    } else if (format === 'pg_dump') {
      await restoreWithPgRestore(target.url, file);
      process.stdout.write(`Base restaurée depuis ${file} (pg_restore).\n`);
    } else {
      const knex = createKnex(target.url, { poolMax: 1 });
      try {
        const summary = await restoreConventioBackup(knex, file);
        process.stdout.write(
          `Base restaurée depuis ${file} : ${summary.tables} tables, ${summary.rows} lignes. Les migrations plus récentes s’appliqueront au prochain démarrage.\n`,
        );
      } finally {
        await knex.destroy();
      }
    }
    exitCode = 0;
  } finally {
    await target.close();
  }
} catch (error) {
  process.stderr.write(`Restauration impossible : ${error instanceof Error ? error.message : String(error)}\n`);
}
process.exit(exitCode);
