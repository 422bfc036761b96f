import type { Knex } from 'knex';
import type TestAgent from 'supertest/lib/agent.js';
import { expect } from 'vitest';
import { csrfTokenFrom } from '../support/test-app.ts';

/** Helpers of the convention tests: the wizard's forms as a browser would post them. */

export const CPAM_PARIS = "Caisse primaire d'assurance maladie (CPAM) de Paris - 75948 Paris Cedex 19";

/** A SIRET with a valid Luhn checksum (INSEE's own example). */
export const VALID_SIRET = '732 829 320 00074';

export const studentFields = (enrolmentId: number | string): Record<string, string> => ({
  enrolment_id: String(enrolmentId),
  student_address: '10 rue des Écoles',
  student_postal_code: '75005',
  student_town: 'Paris',
  student_country: 'FR',
  student_phone: '01 23 45 67 89',
  student_mobile_phone: '',
  student_personal_email: 'lea.moreau@example.org',
  social_security_affiliation: 'ASSETUDIANT',
  health_insurance_scheme: 'CPAM',
  cpam_office: CPAM_PARIS,
});

export const hostFields = (overrides: Record<string, string> = {}): Record<string, string> => ({
  name: 'Laboratoire Exemple',
  siret: VALID_SIRET,
  naf_code: '72.19Z',
  legal_status_code: 'SAS',
  host_type_code: '3',
  headcount_code: '',
  address: '5 avenue de la Recherche',
  postal_code: '69007',
  town: 'Lyon',
  country_code: 'FR',
  phone: '04 72 00 00 00',
  email: 'contact@labo-exemple.fr',
  website: '',
  ...overrides,
});

export const serviceFields = (overrides: Record<string, string> = {}): Record<string, string> => ({
  name: 'Service informatique',
  phone: '',
  same_address_as_host: 'on',
  address: '',
  postal_code: '',
  town: '',
  country_code: 'FR',
  ...overrides,
});

export const contactFields = (overrides: Record<string, string> = {}): Record<string, string> => ({
  civility: 'MME',
  last_name: 'Tutrice',
  first_name: 'Tina',
  function: 'Ingénieure',
  phone: '04 72 00 00 01',
  email: 'tina.tutrice@labo-exemple.fr',
  ...overrides,
});

/** A 3-month internship Monday–Friday at 35 h in spring 2027 (about 420 h: gratification mandatory). */
export const internshipFields = (overrides: Record<string, string> = {}): Record<string, string> => ({
  convention_type: 'FI',
  internship_kind: 'OBL',
  theme: '1',
  subject: 'Développement d’un outil de suivi',
  activities: 'Analyse, développement, tests.',
  skills: 'Conduite de projet, programmation.',
  start_date: '2027-03-01',
  end_date: '2027-05-28',
  days_per_week: '5',
  hours_per_week: '35',
  working_time: 'TCOMP',
  supervision_terms: 'Point hebdomadaire avec la tutrice ; visite de l’enseignant référent.',
  gratification: 'yes',
  gratification_amount: '4.50',
  gratification_per: 'hour',
  gratification_basis: 'NET',
  gratification_payment_mode: 'VIREMENT',
  gratification_currency: '',
  internship_country: 'FR',
  print_language: 'fr',
  ...overrides,
});

/** Posts a form with the CSRF token of a page the person can open. */
export async function post(agent: TestAgent, path: string, fields: Record<string, string>, tokenPage = '/conventions') {
  const token = await csrfTokenFrom(agent, tokenPage);
  return agent
    .post(path)
    .type('form')
    .send({ _csrf: token, ...fields });
}

/** The version field of the form of a page. */
export async function versionOf(agent: TestAgent, path: string): Promise<string> {
  const page = await agent.get(path);
  const match = /name="version" value="(\d+)"/.exec(page.text);
  if (!match) throw new Error(`no version on ${path} (status ${page.status}): ${page.text.slice(0, 500)}`);
  return match[1]!;
}

/** Posts a step form with the version it carries now. */
export async function postStep(agent: TestAgent, base: string, step: string, fields: Record<string, string>, formPage = `${base}/${step}`) {
  const version = await versionOf(agent, formPage);
  return post(agent, `${base}/${step}`, { version, ...fields }, formPage);
}

export function expectRedirect(response: { status: number; text: string; headers: Record<string, string> }, location?: string | RegExp): string {
  expect(response.status, response.text.slice(0, 2000)).toBe(302);
  const target = response.headers.location!;
  if (typeof location === 'string') expect(target).toBe(location);
  else if (location) expect(target).toMatch(location);
  return target;
}

export async function enrolmentOf(knex: Knex, login: string): Promise<{ id: number; studentId: number }> {
  const row = await knex('enrolment as e').join('student as s', 's.id', 'e.student_id').where('s.login', login).first('e.id', 's.id as student_id');
  return { id: row.id, studentId: row.student_id };
}

export async function teacherId(knex: Knex, login: string): Promise<number> {
  return (await knex('teacher').where({ login }).first('id')).id;
}

/**
 * Runs the whole wizard through HTTP. For a student, `studentId` is null; for staff, the student found.
 * Returns the draft's address and, when `create` is set, the number.
 */
export async function completeWizard(
  agent: TestAgent,
  knex: Knex,
  options: { login: string; studentId?: number; create?: boolean; host?: Record<string, string>; internship?: Record<string, string>; supervisor?: string },
): Promise<{ base: string; number: number | null }> {
  const enrolment = await enrolmentOf(knex, options.login);
  const newPage = options.studentId ? `/conventions/new/student?student=${options.studentId}` : '/conventions/new/student';
  const first = await post(
    agent,
    '/conventions/new/student',
    { ...studentFields(enrolment.id), ...(options.studentId ? { student_id: String(options.studentId) } : {}) },
    newPage,
  );
  const hostStep = expectRedirect(first, /^\/conventions\/drafts\/\d+\/host$/);
  const base = hostStep.replace(/\/host$/, '');

  // The directory keeps one host per SIRET and one service per name: a host seen before is picked from the search.
  const fields = hostFields(options.host);
  const known = await knex('host').where({ name: fields.name }).whereNull('deleted_at').first('id');
  if (known) {
    const selected = `${base}/host?name=${encodeURIComponent(fields.name!)}&selected=${known.id}`;
    expectRedirect(await postStep(agent, base, 'host', { host_id: String(known.id) }, selected), `${base}/service`);
  } else {
    expectRedirect(await postStep(agent, base, 'host/new', fields, `${base}/host/new`), `${base}/service`);
  }
  const hostId = (
    await knex('convention')
      .where({ id: Number(base.split('/').pop()) })
      .first('host_id')
  ).host_id as number;
  const service = await knex('host_service').where({ host_id: hostId, name: serviceFields().name }).first('id');
  if (service) expectRedirect(await postStep(agent, base, 'service', { service_id: String(service.id) }, `${base}/service/new`), `${base}/tutor`);
  else expectRedirect(await postStep(agent, base, 'service/new', serviceFields(), `${base}/service/new`), `${base}/tutor`);
  expectRedirect(await postStep(agent, base, 'tutor/new', contactFields(), `${base}/tutor/new`), `${base}/internship`);
  expectRedirect(await postStep(agent, base, 'internship', internshipFields(options.internship)), `${base}/internship/confirm`);
  expectRedirect(await postStep(agent, base, 'internship/confirm', {}), `${base}/supervisor`);
  const supervisor: Record<string, string> = options.supervisor ? { supervisor_teacher_id: String(await teacherId(knex, options.supervisor)) } : { skip: '1' };
  expectRedirect(await postStep(agent, base, 'supervisor', supervisor), `${base}/signatory`);
  expectRedirect(await postStep(agent, base, 'signatory', { skip: '1' }), `${base}/summary`);
  if (!options.create) return { base, number: null };
  const created = await postStep(agent, base, 'create', { confirm_warnings: 'on' }, `${base}/summary`);
  const target = expectRedirect(created, /^\/conventions\/\d+$/);
  return { base, number: Number(target.split('/').pop()) };
}

/** Everything a refused request must leave as it was. */
export async function conventionTables(knex: Knex): Promise<string> {
  const [conventions, interruptions, hosts, audit] = await Promise.all([
    knex('convention').orderBy('id'),
    knex('convention_interruption').orderBy('id'),
    knex('host').count({ count: '*' }).first(),
    knex('audit_log').count({ count: '*' }).first(),
  ]);
  return JSON.stringify({ conventions, interruptions, hosts, audit });
}
