import type { Knex } from 'knex';
import { expect } from 'vitest';
import type TestAgent from 'supertest/lib/agent.js';
import { loadActor, type Actor } from '../../src/access/actor.ts';
import { luhnValid } from '../../src/rules/siret.ts';
import { csrfTokenFrom } from '../support/test-app.ts';

/** A valid SIRET (Luhn) made of the 13 digits given and the check digit that completes them. */
export function siretFrom(thirteenDigits: string): string {
  for (let digit = 0; digit <= 9; digit += 1) {
    if (luhnValid(`${thirteenDigits}${digit}`)) return `${thirteenDigits}${digit}`;
  }
  throw new Error('unreachable');
}

/** A complete, valid host form for a host in Paris; fields may be overridden. */
export function hostForm(overrides: Record<string, string> = {}): Record<string, string> {
  return {
    name: 'Atelier Numérique',
    siret: '732 829 320 00074',
    naf_code: '62.01Z',
    legal_status_code: 'SAS',
    host_type_code: '3',
    headcount_code: '12',
    address: '12 rue des Écoles',
    postal_code: '75005',
    town: 'Paris',
    country_code: 'FR',
    phone: '01 23 45 67 89',
    email: 'contact@atelier-numerique.fr',
    website: 'https://atelier-numerique.fr',
    ...overrides,
  };
}

export function serviceForm(overrides: Record<string, string> = {}): Record<string, string> {
  return { name: 'Direction informatique', same_address_as_host: 'on', phone: '01 23 45 67 00', ...overrides };
}

export function contactForm(serviceId: number, overrides: Record<string, string> = {}): Record<string, string> {
  return {
    service_id: String(serviceId),
    civility: 'MME',
    last_name: 'Lefèvre',
    first_name: 'Hélène',
    function: 'Responsable des systèmes d’information',
    phone: '06 12 34 56 78',
    email: 'helene.lefevre@atelier-numerique.fr',
    ...overrides,
  };
}

export interface HostRow {
  name: string;
  siret?: string | null;
  naf_code?: string | null;
  legal_status_code?: string | null;
  host_type_code?: string | null;
  address?: string | null;
  postal_code?: string | null;
  town?: string | null;
  country_code?: string;
  phone?: string | null;
  to_check?: boolean;
  created_by?: string;
}

/** Hosts written straight into the database, for the searches. */
export async function insertHosts(knex: Knex, rows: HostRow[]): Promise<number[]> {
  const inserted = (await knex('host')
    .insert(rows.map((row) => ({ legal_status_code: 'SAS', host_type_code: '3', country_code: 'FR', created_by: 'fixture', updated_by: 'fixture', ...row })))
    .returning('id')) as { id: number }[];
  return inserted.map((row) => row.id);
}

export async function insertService(knex: Knex, hostId: number, name: string): Promise<number> {
  const [row] = (await knex('host_service').insert({ host_id: hostId, name, created_by: 'fixture', updated_by: 'fixture' }).returning('id')) as {
    id: number;
  }[];
  return row!.id;
}

export async function insertContact(knex: Knex, hostId: number, serviceId: number, lastName: string): Promise<number> {
  const [row] = (await knex('host_contact')
    .insert({
      host_id: hostId,
      service_id: serviceId,
      civility: 'M',
      last_name: lastName,
      first_name: 'Paul',
      function: 'Tuteur',
      phone: '01 02 03 04 05',
      email: 'paul@example.fr',
      created_by: 'fixture',
      updated_by: 'fixture',
    })
    .returning('id')) as { id: number }[];
  return row!.id;
}

/** Posts a form as a browser would, with the session's CSRF token (taken from the home page's sign-out form). */
export async function postForm(agent: TestAgent, path: string, fields: Record<string, string>, expectedStatus: number) {
  const token = await csrfTokenFrom(agent, '/');
  const response = await agent
    .post(path)
    .type('form')
    .send({ _csrf: token, ...fields });
  expect(response.status, `POST ${path}: ${response.text.slice(0, 500)}`).toBe(expectedStatus);
  return response;
}

/** Everything the directory pages can change, to prove that a refused request changed nothing. */
export async function directoryTables(knex: Knex): Promise<string> {
  const [hosts, services, contacts, audit] = await Promise.all([
    knex('host').orderBy('id'),
    knex('host_service').orderBy('id'),
    knex('host_contact').orderBy('id'),
    knex('audit_log').count({ count: '*' }).first(),
  ]);
  return JSON.stringify({ hosts, services, contacts, audit });
}

export async function actorOf(knex: Knex, login: string): Promise<Actor> {
  const actor = await loadActor(knex, login, ['admin']);
  if (!actor) throw new Error(`unknown login ${login}`);
  return actor;
}

/** The host names of a result page, in their order. */
export function namesOn(html: string): string[] {
  const body = /<tbody>([\s\S]*?)<\/tbody>/.exec(html)?.[1] ?? '';
  return [...body.matchAll(/<th scope="row">\s*<a href="\/hosts\/\d+">([^<]*)<\/a>/g)].map((match) => decode(match[1]!));
}

const decode = (text: string) =>
  text
    .replace(/&#39;/g, "'")
    .replace(/&quot;/g, '"')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
