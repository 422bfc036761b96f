import type { Knex } from 'knex';
import type TestAgent from 'supertest/lib/agent.js';
import { expect } from 'vitest';
import { csrfTokenFrom, PUBLIC_BASE_URL, type TestApp } from '../support/test-app.ts';

/** Helpers of the company deposit tests. */

/** The demo's company centre, on which agent.stages has WRITE. */
export async function companyCentreId(knex: Knex): Promise<number> {
  const centre = (await knex('centre').where({ level: 'ENTREPRISE', name: 'Centre entreprises' }).first('id')) as { id: number };
  return centre.id;
}

/** Creates (or replaces) the company centre's link through the staff page; returns its path. */
export async function newDepositLink(testApp: TestApp, staff: TestAgent): Promise<string> {
  const centreId = await companyCentreId(testApp.knex);
  const _csrf = await csrfTokenFrom(staff, '/offers/deposit-link');
  const page = await staff
    .post('/offers/deposit-link')
    .type('form')
    .send({ _csrf, centre_id: String(centreId) })
    .expect(200);
  const match = new RegExp(`value="${PUBLIC_BASE_URL}(/offers/deposit/[A-Za-z0-9_-]{43})"`).exec(page.text);
  expect(match, 'the new link is shown').not.toBeNull();
  return match![1]!;
}

/** A complete, valid submission for a new host in Lyon; fields may be overridden. */
export function depositForm(overrides: Record<string, string | string[]> = {}): Record<string, string | string[]> {
  return {
    host_mode: 'new',
    siret: '732 829 320 00074',
    host_name: 'Atelier Numérique',
    host_address: '12 rue de la République',
    host_postal_code: '69002',
    host_town: 'Lyon',
    host_country_code: 'FR',
    host_phone: '04 72 00 00 00',
    host_email: 'contact@atelier-numerique.fr',
    title: 'Stage développeur web',
    offer_type: 'STAGE',
    contract: '',
    missions: 'Développer des pages web accessibles & tester : 2 < 3 reste du texte simple.',
    town: 'Lyon',
    postal_code: '69002',
    country_code: 'FR',
    start_month: '3',
    start_year: '2027',
    duration_value: '5,5',
    duration_unit: 'MONTH',
    working_time: 'TCOMP',
    training_level: '3',
    paid: 'yes',
    pay_details: 'Gratification légale',
    skills: 'HTML, CSS, TypeScript',
    application_modes: ['MAIL', 'TEL'],
    contact_civility: 'MME',
    contact_last_name: 'Martin',
    contact_first_name: 'Claire',
    contact_function: 'Chargée de recrutement',
    contact_email: 'claire.martin@atelier-numerique.fr',
    contact_phone: '04 72 00 00 01',
    website: '',
    ...overrides,
  };
}

/** Posts the form as a browser would: the CSRF token of the page, then the fields. */
export async function postDeposit(agent: TestAgent, path: string, form: Record<string, string | string[]>) {
  const _csrf = await csrfTokenFrom(agent, path);
  return agent
    .post(path)
    .type('form')
    .send({ _csrf, ...form });
}

/** A fingerprint of every table a deposit writes to: equal before and after means nothing was stored. */
export async function depositTables(knex: Knex): Promise<string> {
  const counts = await Promise.all(
    ['offer', 'host', 'host_service', 'host_contact', 'audit_log'].map(
      async (table) => `${table}:${((await knex(table).count({ n: '*' }).first()) as { n: string }).n}`,
    ),
  );
  return counts.join(' ');
}
