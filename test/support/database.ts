import { randomBytes } from 'node:crypto';
import { inject } from 'vitest';
import type { Knex } from 'knex';
import { createKnex } from '../../src/db/knex.ts';

/** Test files run side by side on two cores: a request may wait longer for a connection than in production. */
export const TEST_DATABASE_WAIT_MS = 15000;

export interface TestDatabase {
  knex: Knex;
  url: string;
  drop(): Promise<void>;
}

/** A private copy of the template database (schema, reference and demo data) for one test file. */
export async function createTestDatabase(): Promise<TestDatabase> {
  const serverUrl = inject('serverUrl');
  const template = inject('templateDatabase');
  const name = `conventio_test_${template.split('_').pop()}_${randomBytes(5).toString('hex')}`;
  const admin = createKnex(serverUrl, { poolMax: 1 });
  await admin.raw('CREATE DATABASE ?? TEMPLATE ??', [name, template]);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  const knex = createKnex(url.toString(), { poolMax: 8, acquireTimeoutMs: TEST_DATABASE_WAIT_MS });
  return {
    knex,
    url: url.toString(),
    async drop() {
      await knex.destroy();
      await admin.raw('DROP DATABASE IF EXISTS ?? WITH (FORCE)', [name]);
      await admin.destroy();
    },
  };
}
