import type { Knex } from 'knex';
import type TestAgent from 'supertest/lib/agent.js';
import { expect } from 'vitest';
import { csrfTokenFrom } from '../support/test-app.ts';

/** Helpers of the offer tests: the demo host and centres, and the offer form as a browser sends it. */
export async function demoHost(knex: Knex): Promise<{ hostId: number; contactId: number }> {
  const host = await knex('host').where({ name: 'Logiciels Atlantique' }).first('id');
  const contact = await knex('host_contact').where({ host_id: host.id }).orderBy('id').first('id');
  return { hostId: host.id, contactId: contact.id };
}

export async function centreId(knex: Knex, name: string): Promise<number> {
  return (await knex('centre').where({ name }).first('id')).id as number;
}

export const SCIENCES = 'UFR Sciences et techniques';
export const DROIT = 'UFR Droit et économie';

/** The full form, filled; `overrides` replace or add fields (an array value sends the field several times). */
export async function offerFields(knex: Knex, overrides: Record<string, string | string[]> = {}): Promise<Record<string, string | string[]>> {
  const { hostId, contactId } = await demoHost(knex);
  return {
    host_id: String(hostId),
    centre_id: String(await centreId(knex, SCIENCES)),
    offer_type: 'STAGE',
    contract: '',
    title: 'Développeur web stagiaire',
    kind: 'form',
    missions: 'Développer une application de suivi des expériences de laboratoire.',
    domain: 'Informatique',
    postal_code: '44000',
    town: 'Nantes',
    country_code: 'FR',
    paid: 'yes',
    pay_details: 'Gratification légale',
    start_month: '3',
    start_year: '2027',
    duration_value: '6',
    duration_unit: 'MONTH',
    working_time: 'TCOMP',
    training_level: '3',
    skills: 'TypeScript, PostgreSQL',
    application_modes: ['MAIL', 'TEL'],
    application_contact_id: String(contactId),
    host_shown: 'on',
    ...overrides,
  };
}

/** Posts the creation form as multipart, with an optional file, from the creation page's CSRF token. */
export async function postOffer(agent: TestAgent, knex: Knex, fields: Record<string, string | string[]>, file?: { bytes: Buffer; name: string }) {
  const token = await csrfTokenFrom(agent, `/offers/new?host=${fields.host_id ?? (await demoHost(knex)).hostId}`);
  const request = agent.post('/offers').field('_csrf', token);
  for (const [name, value] of Object.entries(fields)) for (const item of [value].flat()) request.field(name, item);
  if (file) request.attach('file', file.bytes, file.name);
  return request;
}

/** Creates an offer through the form and returns its number. */
export async function createOffer(agent: TestAgent, knex: Knex, overrides: Record<string, string | string[]> = {}): Promise<number> {
  const response = await postOffer(agent, knex, await offerFields(knex, overrides));
  expect(response.status, response.text.slice(0, 3000)).toBe(302);
  const match = /^\/offers\/(\d+)$/.exec(response.headers.location as string);
  expect(match).not.toBeNull();
  return Number(match![1]);
}

/** Posts a form of the offer page with the offer's current version. */
export async function offerAction(agent: TestAgent, knex: Knex, id: number, path: string, fields: Record<string, string | string[]> = {}) {
  const token = await csrfTokenFrom(agent, `/offers/${id}`);
  const { version } = await knex('offer').where({ id }).first('version');
  return agent
    .post(path)
    .type('form')
    .send({ _csrf: token, version: String(version), ...fields });
}
