import { chmod, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import type { TestProject } from 'vitest/node';
import { startEmbeddedDatabase, type EmbeddedDatabase } from '../../src/db/embedded.ts';
import { createKnex } from '../../src/db/knex.ts';
import { migrateToLatest } from '../../src/db/migrations.ts';
import { seed as seedReference } from '../../seeds/reference.ts';
import { seed as seedDemo } from '../../seeds/demo.ts';
import { freePort } from './ports.ts';

/**
 * One PostgreSQL for the whole run — the embedded one, or the server of DATABASE_URL when set — and one
 * migrated template database holding the reference and demo data; each test file then copies it.
 */
declare module 'vitest' {
  export interface ProvidedContext {
    serverUrl: string;
    templateDatabase: string;
  }
}

function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}

export default async function setup(project: TestProject) {
  let embedded: EmbeddedDatabase | undefined;
  let directory: string | undefined;
  let serverUrl: string;
  if (process.env.DATABASE_URL) {
    serverUrl = withDatabase(process.env.DATABASE_URL, 'postgres');
  } else {
    directory = await mkdtemp(path.join(os.tmpdir(), 'conventio-test-'));
    // mkdtemp makes a 0700 folder, which the `postgres` user running the server could not enter.
    await chmod(directory, 0o755);
    embedded = await startEmbeddedDatabase({ directory: path.join(directory, 'pg'), port: await freePort(), ephemeral: true });
    serverUrl = embedded.url('postgres');
  }

  // A random run id: two runs on one shared server (containers reuse pids) never touch each other's databases.
  const runId = randomBytes(4).toString('hex');
  const templateDatabase = `conventio_template_${runId}`;
  const admin = createKnex(serverUrl, { poolMax: 1 });
  await admin.raw('DROP DATABASE IF EXISTS ?? WITH (FORCE)', [templateDatabase]);
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
    throw error;
  }

  project.provide('serverUrl', serverUrl);
  project.provide('templateDatabase', templateDatabase);

  return async () => {
    const leftovers = await admin('pg_database').where('datname', 'like', `conventio_test_${runId}_%`).pluck('datname');
    for (const database of [...leftovers, templateDatabase]) await admin.raw('DROP DATABASE IF EXISTS ?? WITH (FORCE)', [database]);
    await admin.destroy();
    await embedded?.stop();
    if (directory) await rm(directory, { recursive: true, force: true });
  };
}
