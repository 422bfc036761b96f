import type { Knex } from 'knex';
import type TestAgent from 'supertest/lib/agent.js';
import { csrfTokenFrom } from '../support/test-app.ts';

/** Helpers of the personal-data tests. */

/** Valid NIRs: their keys computed by src/rules/nir.ts. */
export const NIR = {
  mainland: '185057800608491',
  corsicaSouth: '185052A00608435',
  corsicaNorth: '290022B12345608',
} as const;

export { fieldError } from '../support/form-errors.ts';

/** Posts the settings form of /admin/settings with the current version and the given values. */
export async function postSettings(admin: TestAgent, values: Record<string, string>) {
  const page = await admin.get('/admin/settings').expect(200);
  const version = /name="version" value="(\d+)"/.exec(page.text)![1]!;
  return admin
    .post('/admin/settings')
    .type('form')
    .send({ _csrf: await csrfTokenFrom(admin, '/admin/settings'), version, retention_years: '5', privacy_notice: '', accessibility_statement: '', ...values });
}

export async function setNirCollection(knex: Knex, on: boolean): Promise<void> {
  await knex('institution_setting').where({ id: 1 }).update({ collect_social_security_number: on });
}
