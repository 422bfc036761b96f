import type { Server } from 'node:http';
import { loadConfig, ConfigError, type Config } from './config.ts';
import { createLogger } from './logger.ts';
import { openDatabase, prepareSchema, type Database } from './db/bootstrap.ts';
import { EmbeddedDatabaseError } from './db/embedded.ts';
import { createApp } from './app.ts';
import { startNotificationWorker } from './notifications/sender.ts';
import { seed as seedDemoData, databaseIsEmpty } from '../seeds/demo.ts';
import { DEMO_ACCOUNTS } from './web/auth/demo-accounts.ts';
import { translator } from './i18n/index.ts';

/**
 * `npm start`: configuration, database (embedded unless DATABASE_URL is set), migrations, reference and
 * demo data, then the web server; SIGINT/SIGTERM let requests in flight finish before the database stops.
 */
function fail(message: string): never {
  process.stderr.write(`Conventio n'a pas démarré : ${message}\n`);
  process.exit(1);
}

let config: Config;
try {
  config = loadConfig();
} catch (error) {
  fail(error instanceof ConfigError ? error.message : String(error));
}
const logger = createLogger(config.logLevel);

// A signal during start-up is honoured once the step in progress (initdb, a migration) has finished,
// so that no half-built database is left behind.
let stopRequested: string | undefined;
let shutdown: (signal: string) => Promise<void> = async (signal) => {
  stopRequested = signal;
};
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, () => void shutdown(signal));

async function stopDuringStartUp(): Promise<void> {
  if (!stopRequested) return;
  await database?.close();
  process.stdout.write('Conventio est arrêté.\n');
  process.exit(0);
}

let database: Database | undefined;
try {
  database = await openDatabase(config, logger);
  await stopDuringStartUp();
  await prepareSchema(database.knex, logger);
  if (config.auth.mode === 'demo' && (await databaseIsEmpty(database.knex))) {
    await seedDemoData(database.knex, config.academicYearSwitchOver);
    logger.info('demo data loaded');
  }
  await stopDuringStartUp();
} catch (error) {
  if (error instanceof EmbeddedDatabaseError) fail(error.message);
  const detail = error instanceof Error ? error.message : String(error);
  await database?.close().catch(() => undefined);
  fail(`base de données inaccessible (${detail}). Vérifiez DATABASE_URL ou que le serveur PostgreSQL est démarré.`);
}
const openedDatabase = database;

const { app, close: closeApp } = createApp({ knex: openedDatabase.knex, config, logger, databaseUrl: openedDatabase.url });
const stopNotifications = startNotificationWorker({ knex: openedDatabase.knex, config, logger });
const server: Server = app.listen(config.port, (error?: Error & { code?: string }) => {
  if (error) {
    const message =
      error.code === 'EADDRINUSE'
        ? `le port ${config.port} est déjà utilisé. Choisissez-en un autre, par exemple : PORT=${config.port + 1} npm start`
        : error.message;
    stopNotifications()
      .then(() => closeApp())
      .then(() => openedDatabase.close())
      .finally(() => fail(message));
    return;
  }
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  const url = config.publicBaseUrl ?? `http://localhost:${port}`;
  const t = translator('fr');
  const lines = [
    '',
    `Conventio est prêt : ${url}`,
    `Base de données : ${openedDatabase.embedded ? `PostgreSQL embarqué (${config.embeddedPostgres.directory})` : 'DATABASE_URL'}`,
  ];
  if (config.auth.mode === 'demo') {
    lines.push(`Connexion de démonstration : ${url}/auth/login`);
    lines.push('Attention : en mode démonstration, n’importe qui peut se connecter comme super-administrateur. AUTH_MODE=cas pour une installation réelle.');
    for (const account of DEMO_ACCOUNTS) lines.push(`  ${account.login.padEnd(15)} ${t(`common.auth.demoRoles.${account.roleKey}`)}`);
  } else {
    lines.push(`Connexion par le CAS : ${config.auth.casBaseUrl}`);
  }
  lines.push('Ctrl-C pour arrêter.', '');
  process.stdout.write(lines.join('\n'));
});
server.keepAliveTimeout = 5000;

let stopping = false;
shutdown = async (signal) => {
  if (stopping) return;
  stopping = true;
  logger.info({ signal }, 'shutting down');
  const forceExit = setTimeout(() => {
    logger.error('requests still running after 10 s: stopping anyway');
    server.closeAllConnections();
  }, 10000);
  forceExit.unref();
  // A browser keeps its connection open after its last answer: each one is closed as soon as it has no
  // request in progress, instead of waiting for keepAliveTimeout while the database is still up.
  const closeIdle = setInterval(() => server.closeIdleConnections(), 100);
  await new Promise<void>((resolve) => {
    server.close(() => resolve());
    server.closeIdleConnections();
  });
  clearInterval(closeIdle);
  await stopNotifications();
  await closeApp();
  await openedDatabase.close();
  clearTimeout(forceExit);
  process.stdout.write('Conventio est arrêté.\n');
  process.exit(0);
};
if (stopRequested) void shutdown(stopRequested);
