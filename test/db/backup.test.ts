import { execFile, spawnSync } from 'node:child_process';
import { chmod, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { gunzipSync, gzipSync } from 'node:zlib';
import type { Knex } from 'knex';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';
import { copyOfInitialisedCluster } from '../support/embedded-cluster.ts';
import { freePort } from '../support/ports.ts';
import { backupWithPgDump, restoreWithPgRestore, writeConventioBackup, restoreConventioBackup, BackupError } from '../../src/db/backup.ts';
import { openDatabase, prepareSchema, type Database } from '../../src/db/bootstrap.ts';
import { loadConfig } from '../../src/config.ts';
import { createLogger } from '../../src/logger.ts';

/**
 * What a restore must give back: every table of the schema, row for row (count and checksum of the rows'
 * text), and the sequences, so that the next convention number follows the restored ones.
 */
async function fingerprint(knex: Knex): Promise<Record<string, string>> {
  const tables = (await knex.raw("SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename")).rows as { tablename: string }[];
  const result: Record<string, string> = {};
  for (const { tablename } of tables) {
    const row = (await knex.raw(`SELECT count(*) AS count, md5(coalesce(string_agg(t::text, E'\\n' ORDER BY t::text), '')) AS sum FROM ?? t`, [tablename]))
      .rows[0];
    result[tablename] = `${row.count} ${row.sum}`;
  }
  for (const sequence of (await knex.raw("SELECT sequencename, last_value FROM pg_sequences WHERE schemaname = 'public'")).rows as {
    sequencename: string;
    last_value: string | null;
  }[]) {
    result[`sequence ${sequence.sequencename}`] = String(sequence.last_value);
  }
  return result;
}

/** Changes a person would see: a host renamed, conventions and notifications gone, a number drawn. */
async function changeData(knex: Knex): Promise<void> {
  await knex('host').update({ name: knex.raw("name || ' (modifié)'") });
  await knex('notification').del();
  await knex.raw("SELECT nextval('convention_number_seq')");
  await knex('convention').where({ status: 'draft' }).del();
}

function pgDumpMajor(): number | undefined {
  const version = spawnSync('pg_dump', ['--version'], { encoding: 'utf8' });
  const match = /(\d+)(\.\d+)?/.exec(version.stdout ?? '');
  return version.status === 0 && match ? Number(match[1]) : undefined;
}

describe('backup and restore of a database (npm run backup / restore)', () => {
  let database: TestDatabase;
  let directory: string;
  beforeAll(async () => {
    database = await createTestDatabase();
    directory = await mkdtemp(path.join(os.tmpdir(), 'conventio-backup-'));
  });
  afterAll(async () => {
    await database.drop();
    await rm(directory, { recursive: true, force: true });
  });

  it('gives back every row, the schema’s triggers and the sequences after the data changed (Conventio format)', async () => {
    const original = await fingerprint(database.knex);
    expect(Number(original.convention!.split(' ')[0])).toBeGreaterThan(0);
    const file = path.join(directory, 'conventio.dump');
    const summary = await writeConventioBackup(database.knex, file);
    expect(summary.rows).toBeGreaterThan(100);
    // Backups hold personal data: readable by their owner only.
    expect((await stat(file)).mode & 0o777).toBe(0o600);

    await changeData(database.knex);
    expect(await fingerprint(database.knex)).not.toEqual(original);

    await restoreConventioBackup(database.knex, file);
    expect(await fingerprint(database.knex)).toEqual(original);
    // The rules written in the schema hold again: a validated convention is still read-only.
    const validated = database.knex('convention').where({ status: 'validated' });
    expect(Number((await validated.clone().count({ count: '*' }).first())!.count)).toBeGreaterThan(0);
    await expect(validated.clone().update({ subject: 'falsifié' })).rejects.toThrow(/changed only by amendments/);
    const next = (await database.knex.raw("SELECT nextval('convention_number_seq') AS value")).rows[0].value;
    const highest = (await database.knex('convention').max({ number: 'number' }).first())!.number as number;
    expect(Number(next)).toBeGreaterThan(highest);
  });

  it('a damaged backup changes nothing and says why in French', async () => {
    const file = path.join(directory, 'complete.dump');
    await writeConventioBackup(database.knex, file);
    await changeData(database.knex);
    const changed = await fingerprint(database.knex);

    const truncated = path.join(directory, 'truncated.dump');
    const lines = gunzipSync(await readFile(file))
      .toString('utf8')
      .split('\n');
    await writeFile(truncated, gzipSync(lines.slice(0, Math.floor(lines.length / 2)).join('\n')));
    await expect(restoreConventioBackup(database.knex, truncated)).rejects.toThrow(/^Sauvegarde incomplète : la table \w+ (est tronquée|manque)\.$/);
    expect(await fingerprint(database.knex)).toEqual(changed);

    const cut = path.join(directory, 'cut.dump');
    const bytes = await readFile(file);
    await writeFile(cut, bytes.subarray(0, Math.floor(bytes.length / 2)));
    await expect(restoreConventioBackup(database.knex, cut)).rejects.toThrow(/^Sauvegarde endommagée : .* n'est pas un fichier gzip complet/);
    expect(await fingerprint(database.knex)).toEqual(changed);

    const newer = path.join(directory, 'newer.dump');
    const header = JSON.parse(lines[0]!);
    header.migrations.push('29991231000000_from_the_future.ts');
    await writeFile(newer, gzipSync([JSON.stringify(header), ...lines.slice(1)].join('\n')));
    const refusal = restoreConventioBackup(database.knex, newer);
    await expect(refusal).rejects.toThrow(BackupError);
    await expect(refusal).rejects.toThrow(
      'Sauvegarde faite par une version plus récente de Conventio (migration 29991231000000_from_the_future.ts inconnue) : mettez Conventio à jour avant de restaurer.',
    );
    expect(await fingerprint(database.knex)).toEqual(changed);
  });

  it('pg_dump -Fc and pg_restore --clean --single-transaction for an external server', async ({ skip }) => {
    const server = Number(((await database.knex.raw('SHOW server_version_num')).rows[0].server_version_num as string).slice(0, -4));
    const client = pgDumpMajor();
    // pg_dump refuses a newer server: this runs against the machine's PostgreSQL (CI's DATABASE_URL run).
    if (client === undefined || client < server) skip(`pg_dump ${client ?? 'absent'} cannot dump PostgreSQL ${server}`);
    const original = await fingerprint(database.knex);
    const file = path.join(directory, 'external.dump');
    await backupWithPgDump(database.url, file);
    expect((await readFile(file)).subarray(0, 5).toString('latin1')).toBe('PGDMP');
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    await changeData(database.knex);
    await restoreWithPgRestore(database.url, file);
    expect(await fingerprint(database.knex)).toEqual(original);
  });

  it('pg_dump’s own error, in one French line, when it cannot reach the server', async () => {
    const file = path.join(directory, 'unreachable.dump');
    const attempt = backupWithPgDump(`postgres://nobody:secret@127.0.0.1:${await freePort()}/conventio`, file);
    await expect(attempt).rejects.toThrow(/^(pg_dump a échoué : .*(connection|connexion).*|pg_dump est introuvable : .*)$/);
    await expect(stat(file)).rejects.toThrow();
    await expect(stat(`${file}.partial`)).rejects.toThrow();
  });
});

const run = promisify(execFile);

/** The commands as a person types them, on an embedded data directory of their own. */
async function command(script: 'backup' | 'restore', args: string[], environment: Record<string, string>) {
  try {
    const { stdout, stderr } = await run(process.execPath, ['--import', 'tsx', `src/cli/${script}.ts`, ...args], {
      env: { PATH: process.env.PATH, HOME: process.env.HOME, LOG_LEVEL: 'silent', ...environment },
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failure = error as { code: number; stdout: string; stderr: string };
    return { code: failure.code, stdout: failure.stdout, stderr: failure.stderr };
  }
}

describe('npm run backup / npm run restore on the embedded PostgreSQL', () => {
  let root: string;
  let environment: Record<string, string>;
  let database: Database | undefined;
  const logger = createLogger('silent');
  beforeAll(async () => {
    root = await mkdtemp(path.join(os.tmpdir(), 'conventio-backup-cli-'));
    await chmod(root, 0o755);
    environment = { EMBEDDED_PG_DIR: path.join(root, 'pg'), EMBEDDED_PG_PORT: String(await freePort()) };
    await copyOfInitialisedCluster(environment.EMBEDDED_PG_DIR!);
    database = await openDatabase(loadConfig(environment), logger);
    await prepareSchema(database.knex, logger);
  });
  afterAll(async () => {
    await database?.close();
    await rm(root, { recursive: true, force: true });
  });

  it('backs up while the server runs, refuses to restore under it, then restores once it is stopped, or on a new machine', { timeout: 180_000 }, async () => {
    const knex = database!.knex;
    const original = await fingerprint(knex);
    const file = path.join(root, 'sauvegarde.dump');

    const backup = await command('backup', [file], environment);
    expect(backup.stderr).toBe('');
    expect(backup.code).toBe(0);
    expect(backup.stdout).toMatch(/^Sauvegarde écrite : .*sauvegarde\.dump \(\d+ tables, \d+ lignes, PostgreSQL embarqué/);

    await knex('reference_item').del();
    const refused = await command('restore', [file, '--yes'], environment);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(
      /^Restauration impossible : Conventio utilise ce répertoire de données \(.*, processus \d+\) : arrêtez-le avant de restaurer\.\n$/,
    );

    await database!.close();
    database = undefined;
    const unconfirmed = await command('restore', [file], environment);
    expect(unconfirmed.code).toBe(1);
    expect(unconfirmed.stderr).toBe('Restauration impossible : confirmation impossible sans terminal : ajoutez --yes.\n');

    const restored = await command('restore', [file, '--yes'], environment);
    expect(restored.stderr).toBe('');
    expect(restored.code).toBe(0);
    expect(restored.stdout).toMatch(/^Base restaurée depuis .*sauvegarde\.dump : \d+ tables, \d+ lignes\./);

    database = await openDatabase(loadConfig(environment), logger);
    expect(await fingerprint(database.knex)).toEqual(original);

    // A new machine: no data directory yet. The restore creates it, and the backup's data is there.
    const elsewhere = { EMBEDDED_PG_DIR: path.join(root, 'nouvelle-machine'), EMBEDDED_PG_PORT: String(await freePort()) };
    const missing = await command('backup', [path.join(root, 'rien.dump')], elsewhere);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toBe(`Sauvegarde impossible : Aucune base PostgreSQL embarquée dans ${elsewhere.EMBEDDED_PG_DIR} : vérifiez EMBEDDED_PG_DIR.\n`);
    const onNewMachine = await command('restore', [file, '--yes'], elsewhere);
    expect(onNewMachine.stderr).toBe('');
    expect(onNewMachine.code).toBe(0);
    const copy = await openDatabase(loadConfig(elsewhere), logger);
    try {
      expect(await fingerprint(copy.knex)).toEqual(original);
    } finally {
      await copy.close();
    }
  });

  it('says in one line that a file is no backup', async () => {
    const file = path.join(root, 'notes.txt');
    await writeFile(file, 'pas une sauvegarde');
    const result = await command('restore', [file, '--yes'], environment);
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(`Restauration impossible : ${file} n'est pas une sauvegarde de Conventio (ni npm run backup, ni pg_dump -Fc).\n`);
  });
});
