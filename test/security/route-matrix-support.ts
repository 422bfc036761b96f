import { randomUUID } from 'node:crypto';
import type { Knex } from 'knex';
import type TestAgent from 'supertest/lib/agent.js';
import type { Response } from 'supertest';
import { csrfTokenFrom, type TestApp } from '../support/test-app.ts';
import { insertable } from '../support/insertable.ts';

/**
 * What the security tests share: the kinds of actor (docs/domain.md) and their demo logins, the demo
 * records they act on (resolved from the database, never hard-coded ids), signed-in agents with their
 * CSRF tokens, forms read from pages as a browser submits them, copies of records for requests that
 * succeed, and a fingerprint of the database to prove that a refused request changed nothing.
 */
export const ACTOR_KINDS = ['anonymous', 'owner', 'otherStudent', 'supervisor', 'otherTeacher', 'read', 'write', 'admin', 'otherCentre', 'superAdmin'] as const;
export type ActorKind = (typeof ACTOR_KINDS)[number];

/** The records are etu.sciences1's, supervised by prof.martin, in the centre "UFR Sciences et techniques". */
export const LOGINS: Record<Exclude<ActorKind, 'anonymous'>, string> = {
  owner: 'etu.sciences1',
  otherStudent: 'etu.sciences2',
  supervisor: 'prof.martin',
  otherTeacher: 'prof.durand',
  read: 'lect.sciences',
  write: 'gest.sciences',
  admin: 'resp.sciences',
  otherCentre: 'gest.droit',
  superAdmin: 'admin',
};

export type Fields = Record<string, string | string[]>;

export interface Fixtures {
  /** etu.sciences1's submitted convention, supervised by prof.martin. */
  number: number;
  conventionId: number;
  /** etu.sciences1's draft. */
  draftId: number;
  /** A validated copy of `number`, with amendment 1 submitted by etu.sciences1. */
  validatedNumber: number;
  amendment: number;
  /** The host of those conventions, its service and contact (the tutor). */
  hostId: number;
  serviceId: number;
  contactId: number;
  /** The Sciences centre, one of its criteria, and a READ member that no actor kind depends on. */
  centreId: number;
  criterionId: number;
  memberId: number;
  /** A saved offer of Sciences, and one with an attached file. */
  offerId: number;
  fileOfferId: number;
  companyCentreId: number;
  /** The company centre's deposit secret. */
  secret: string;
  ids: { student: (login: string) => Promise<number>; teacher: (login: string) => Promise<number>; staff: (login: string) => Promise<number> };
}

const idOf = async (knex: Knex, table: string, where: Record<string, unknown>) => ((await knex(table).where(where).first('id')) as { id: number }).id;

/** A copy of a convention (a draft when `number` is null), with everything but its identity and history. */
export async function copyConvention(knex: Knex, conventionId: number, changes: Record<string, unknown> = {}): Promise<{ id: number; number: number | null }> {
  const source = await insertable(knex, 'convention', await knex('convention').where({ id: conventionId }).first());
  const { id: _id, number, created_at: _created, updated_at: _updated, ...rest } = source;
  const next = number === null ? null : ((await knex.raw("SELECT nextval('convention_number_seq')::int AS n")) as { rows: { n: number }[] }).rows[0]!.n;
  const [row] = (await knex('convention')
    .insert({ ...rest, version: 1, number: next, ...changes })
    .returning(['id', 'number'])) as { id: number; number: number | null }[];
  return row!;
}

/** A new host with one service and one contact, as a convention names them (host, service, tutor, signatory). */
export async function hostOfItsOwn(knex: Knex): Promise<{ host_id: number; service_id: number; tutor_id: number; signatory_id: number }> {
  const [host] = (await knex('host')
    .insert({ name: `Hôte de test ${randomUUID()}`, country_code: 'BE', created_by: 'test' })
    .returning('id')) as { id: number }[];
  const [service] = (await knex('host_service').insert({ host_id: host!.id, name: 'Service', created_by: 'test' }).returning('id')) as { id: number }[];
  const [contact] = (await knex('host_contact')
    .insert({ host_id: host!.id, service_id: service!.id, last_name: 'Tuteur', first_name: 'Test', created_by: 'test' })
    .returning('id')) as { id: number }[];
  return { host_id: host!.id, service_id: service!.id, tutor_id: contact!.id, signatory_id: contact!.id };
}

/** A copy of an amendment on another convention (the same number: numbering is per convention). */
export async function copyAmendment(
  knex: Knex,
  amendmentNumber: number,
  fromConventionId: number,
  toConventionId: number,
  changes: Record<string, unknown> = {},
): Promise<void> {
  const source = (await knex('amendment').where({ convention_id: fromConventionId, number: amendmentNumber }).first()) as Record<string, unknown>;
  const { id: _id, created_at: _created, updated_at: _updated, ...rest } = source;
  await knex('amendment').insert({ ...rest, convention_id: toConventionId, version: 1, ...changes });
}

/** The query of `fingerprint` per database: the tables do not change during a test file, and listing them is a query of its own. */
const fingerprintQueries = new WeakMap<Knex, Promise<string>>();

async function fingerprintQuery(knex: Knex): Promise<string> {
  const tables = (
    (await knex.raw(
      "SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename NOT IN ('session', 'cas_ticket', 'rate_limit_counter') AND tablename NOT LIKE 'knex_%' ORDER BY tablename",
    )) as { rows: { tablename: string }[] }
  ).rows.map((row) => row.tablename);
  // Order-free: a count and a sum of row hashes need no sort, and any change of any row moves them.
  const columns = tables.map((table) =>
    knex.raw("(SELECT count(*) || ':' || coalesce(sum(hashtext(t::text)::bigint), 0) FROM ?? t) AS ??", [table, table]).toString(),
  );
  return `SELECT ${columns.join(', ')}`;
}

/** A digest of every table a request could change (sessions, sign-in tickets and rate-limit counters aside: they count refused requests too), in one query. */
export async function fingerprint(knex: Knex): Promise<Record<string, string>> {
  if (!fingerprintQueries.has(knex)) fingerprintQueries.set(knex, fingerprintQuery(knex));
  const result = (await knex.raw(await fingerprintQueries.get(knex)!)) as { rows: Record<string, string>[] };
  return result.rows[0]!;
}

const ENTITIES: Record<string, string> = { '&amp;': '&', '&lt;': '<', '&gt;': '>', '&quot;': '"', '&#39;': "'", '&#x27;': "'", '&#34;': '"' };
const decode = (text: string) => text.replace(/&(?:amp|lt|gt|quot|#39|#x27|#34);/g, (entity) => ENTITIES[entity]!);
const attribute = (tag: string, name: string) => {
  const match = new RegExp(`\\s${name}="([^"]*)"`).exec(tag);
  return match ? decode(match[1]!) : undefined;
};

/** The fields a browser would submit with the form posting to `action`, as the page shows them. */
export function formFields(html: string, action: string): Fields {
  const form = [...html.matchAll(/<form\b([^>]*)>([\s\S]*?)<\/form>/g)].find(
    (match) => attribute(match[1]!, 'action') === action && attribute(match[1]!, 'method')?.toLowerCase() === 'post',
  );
  if (!form) throw new Error(`no form posting to ${action}`);
  const fields: Fields = {};
  const add = (name: string, value: string) => {
    const current = fields[name];
    fields[name] = current === undefined ? value : [current].flat().concat(value);
  };
  // Fields of a table row may sit outside their form and name it with form="…".
  const id = attribute(form[1]!, 'id');
  const outside = id
    ? [...html.matchAll(new RegExp(`<(input|select|textarea)\\b[^>]*\\sform="${id}"[^>]*>(?:[\\s\\S]*?</\\1>)?`, 'g'))].map((match) => match[0])
    : [];
  const body = [form[2]!, ...outside].join('\n');
  for (const [tag] of body.matchAll(/<input\b[^>]*>/g)) {
    const name = attribute(tag, 'name');
    const type = attribute(tag, 'type') ?? 'text';
    if (!name || name === '_csrf' || ['submit', 'button', 'file', 'image', 'reset'].includes(type)) continue;
    if ((type === 'checkbox' || type === 'radio') && !/\schecked\b/.test(tag)) continue;
    add(name, attribute(tag, 'value') ?? (type === 'checkbox' || type === 'radio' ? 'on' : ''));
  }
  for (const [, open, options] of body.matchAll(/<select\b([^>]*)>([\s\S]*?)<\/select>/g)) {
    const name = attribute(open!, 'name');
    if (!name) continue;
    const all = [...options!.matchAll(/<option\b([^>]*)>([\s\S]*?)<\/option>/g)];
    const chosen = all.filter(([, tag]) => /\sselected\b/.test(tag!));
    for (const [, tag, text] of chosen.length > 0 || /\smultiple\b/.test(open!) ? chosen : all.slice(0, 1))
      add(name, attribute(tag!, 'value') ?? decode(text!.trim()));
  }
  for (const [, open, text] of body.matchAll(/<textarea\b([^>]*)>([\s\S]*?)<\/textarea>/g)) {
    const name = attribute(open!, 'name');
    if (name) add(name, decode(text!.replace(/^\n/, '')));
  }
  return fields;
}

/** Signed-in agents of every kind, each with the CSRF token of its session. */
export class Actors {
  private readonly agents = new Map<ActorKind, TestAgent>();
  private readonly tokens = new Map<ActorKind, string>();

  constructor(private readonly app: TestApp) {}

  /** Signs every kind in once; the anonymous visitor takes its token from the public deposit form. */
  async signInAll(secret: string): Promise<void> {
    for (const kind of ACTOR_KINDS) {
      const { agent, token } = await this.fresh(kind, secret);
      this.agents.set(kind, agent);
      this.tokens.set(kind, token);
    }
  }

  /** A new session of that kind, for requests that end it (sign-out). */
  async fresh(kind: ActorKind, secret: string): Promise<{ agent: TestAgent; token: string }> {
    const agent = kind === 'anonymous' ? this.app.anonymous() : await this.app.signIn(LOGINS[kind]);
    const token = await csrfTokenFrom(agent, kind === 'anonymous' ? `/offers/deposit/${secret}` : '/');
    return { agent, token };
  }

  agent(kind: ActorKind): TestAgent {
    return this.agents.get(kind)!;
  }

  token(kind: ActorKind): string {
    return this.tokens.get(kind)!;
  }
}

/** Posts a form as the actor's browser would: its own token, urlencoded, or multipart when it carries files. */
export function send(
  agent: TestAgent,
  token: string,
  url: string,
  fields: Fields,
  files: { field: string; bytes: Buffer; name: string }[] = [],
): Promise<Response> {
  if (files.length === 0)
    return agent
      .post(url)
      .type('form')
      .send({ ...fields, _csrf: token });
  const request = agent.post(url).field('_csrf', token);
  for (const [name, value] of Object.entries(fields)) for (const item of [value].flat()) request.field(name, item);
  for (const file of files) request.attach(file.field, file.bytes, file.name);
  return request;
}

/** The demo records the tests act on, with the few made for them (a validated convention and its amendment, a logo, a deposit link, an offer with a file). */
export async function resolveFixtures(
  app: TestApp,
  setup: { gestSciences: TestAgent; logo: Buffer; offerWithFile: (agent: TestAgent) => Promise<number> },
): Promise<Fixtures> {
  const { knex } = app;
  const studentId = await idOf(knex, 'student', { login: 'etu.sciences1' });
  const submitted = (await knex('convention')
    .where({ student_id: studentId, status: 'submitted' })
    .first('id', 'number', 'host_id', 'service_id', 'tutor_id')) as { id: number; number: number; host_id: number; service_id: number; tutor_id: number };
  const draftId = await idOf(knex, 'convention', { student_id: studentId, status: 'draft' });
  const centreId = await idOf(knex, 'centre', { name: 'UFR Sciences et techniques' });
  const companyCentreId = await idOf(knex, 'centre', { level: 'ENTREPRISE' });

  const validated = await copyConvention(knex, submitted.id, { status: 'validated', ...(await hostOfItsOwn(knex)) });
  const reason = 'Changement de sujet demandé par l’organisme.';
  const token = await csrfTokenFrom(setup.gestSciences, '/');
  const created = await setup.gestSciences
    .post(`/conventions/${validated.number}/amendments/new`)
    .type('form')
    .send({ _csrf: token, kind: 'changes', reason, subject: 'Nouveau sujet du stage', confirmed: 'on' });
  if (created.status !== 302) throw new Error(`amendment not created: ${created.status} ${created.text.slice(0, 500)}`);

  const criterionId = await idOf(knex, 'centre_criterion', { centre_id: centreId });
  const gestIut = await idOf(knex, 'staff', { login: 'gest.iut' });
  const [member] = (await knex('centre_member')
    .insert({ centre_id: centreId, staff_id: gestIut, access_right: 'READ', created_by: 'test' })
    .returning('id')) as { id: number }[];
  await knex('centre').where({ id: centreId }).update({ logo: setup.logo, logo_mime_type: 'image/png' });

  const offerId = await idOf(knex, 'offer', { centre_id: centreId, state: 'saved' });
  const fileOfferId = await setup.offerWithFile(setup.gestSciences);

  const agentStages = await app.signIn('agent.stages');
  const linkToken = await csrfTokenFrom(agentStages, '/offers/deposit-link');
  const link = await agentStages
    .post('/offers/deposit-link')
    .type('form')
    .send({ _csrf: linkToken, centre_id: String(companyCentreId) });
  const secret = /\/offers\/deposit\/([A-Za-z0-9_-]{43})/.exec(link.text)?.[1];
  if (!secret) throw new Error(`no deposit secret: ${link.status}`);

  return {
    number: submitted.number,
    conventionId: submitted.id,
    draftId,
    validatedNumber: validated.number!,
    amendment: 1,
    hostId: submitted.host_id,
    serviceId: submitted.service_id,
    contactId: submitted.tutor_id,
    centreId,
    criterionId,
    memberId: member!.id,
    offerId,
    fileOfferId,
    companyCentreId,
    secret,
    ids: {
      student: (login) => idOf(knex, 'student', { login }),
      teacher: (login) => idOf(knex, 'teacher', { login }),
      staff: (login) => idOf(knex, 'staff', { login }),
    },
  };
}
