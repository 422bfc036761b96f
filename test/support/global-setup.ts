import path from 'node:path';
import { randomBytes } from 'node:crypto';
import type { Knex } from 'knex';
import type { TestProject } from 'vitest/node';
import { startEmbeddedDatabase, type EmbeddedDatabase } from '../../src/db/embedded.ts';
import { createKnex } from '../../src/db/knex.ts';
import { migrateToLatest } from '../../src/db/migrations.ts';
import { seed as seedReference } from '../../seeds/reference.ts';
import { seed as seedDemo } from '../../seeds/demo.ts';
import { copyCluster, initialiseCluster } from './embedded-cluster.ts';
import { freePort } from './ports.ts';
import { createRunDirectory, removeWithItsServers } from './run-directory.ts';

/**
 * One PostgreSQL for the whole run — the embedded one, or the server of DATABASE_URL when set — and one
 * migrated template database holding the reference and demo data; each test file then copies it.
 * Every project that needs a database names this setup: the first one starts the run, the last one
 * to finish ends it.
 */
declare module 'vitest' {
  export interface ProvidedContext {
    serverUrl: string;
    templateDatabase: string;
    initialisedCluster: string;
  }
}

interface Run {
  directory: string;
  serverUrl: string;
  templateDatabase: string;
  admin: Knex;
  embedded?: EmbeddedDatabase;
  /** An embedded cluster just initialised, for tests that need a data directory of their own. */
  initialisedCluster(): Promise<string>;
  projects: number;
}

// The projects' setups are loaded apart from one another, but all run in Vitest's main process.
const RUN = Symbol.for('conventio.test.run');
const shared = globalThis as { [RUN]?: Promise<Run> };

function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}

async function startRun(): Promise<Run> {
  const directory = await createRunDirectory();
  // The test files' own temporary files (their workers inherit it) go with the run's folder.
  process.env.TMPDIR = directory;
  let initialised: Promise<string> | undefined;
  const initialisedCluster = () => (initialised ??= initialiseCluster(path.join(directory, 'initialised')));

  let embedded: EmbeddedDatabase | undefined;
  let serverUrl: string;
  if (process.env.DATABASE_URL) {
    serverUrl = withDatabase(process.env.DATABASE_URL, 'postgres');
  } else {
    const cluster = path.join(directory, 'pg');
    await copyCluster(await initialisedCluster(), cluster);
    embedded = await startEmbeddedDatabase({ directory: cluster, port: await freePort(), ephemeral: true });
    serverUrl = embedded.url('postgres');
  }

  // A random run id: two runs on one shared server (containers reuse pids) never touch each other's databases.
  const runId = randomBytes(4).toString('hex');
  const templateDatabase = `conventio_template_${runId}`;
  const admin = createKnex(serverUrl, { poolMax: 1 });
  try {
    await admin.raw(`CREATE DATABASE ?? ENCODING 'UTF8' TEMPLATE template0`, [templateDatabase]);
    const template = createKnex(withDatabase(serverUrl, templateDatabase), { poolMax: 2 });
    try {
      await migrateToLatest(template);
      await seedReference(template);
      await seedDemo(template);
    } finally {
      await template.destroy();
    }
  } catch (error) {
    await admin.destroy();
    await embedded?.stop();
    removeWithItsServers(directory);
    throw error;
  }
  return { directory, serverUrl, templateDatabase, admin, embedded, initialisedCluster, projects: 0 };
}

async function endRun(run: Run): Promise<void> {
  const runId = run.templateDatabase.split('_').pop();
  const leftovers = await run.admin('pg_database').where('datname', 'like', `conventio_test_${runId}_%`).pluck('datname');
  for (const database of [...leftovers, run.templateDatabase]) await run.admin.raw('DROP DATABASE IF EXISTS ?? WITH (FORCE)', [database]);
  await run.admin.destroy();
  await run.embedded?.stop();
  removeWithItsServers(run.directory);
}

export default async function setup(project: TestProject) {
  shared[RUN] ??= startRun();
  const run = await shared[RUN];
  run.projects += 1;
  project.provide('serverUrl', run.serverUrl);
  project.provide('templateDatabase', run.templateDatabase);
  // Only the tests of the integration project start embedded servers of their own.
  if (project.name === 'integration') project.provide('initialisedCluster', await run.initialisedCluster());

  return async () => {
    run.projects -= 1;
    if (run.projects > 0) return;
    delete shared[RUN];
    await endRun(run);
  };
}
