import type { Knex } from 'knex';
import { tinyPng } from '../centres/support.ts';
import { contactFields, enrolmentOf, hostFields, serviceFields, studentFields } from '../conventions/support.ts';
import { offerFields } from '../offers/support.ts';
import { ACTOR_KINDS, copyAmendment, copyConvention, hostOfItsOwn, type ActorKind, type Fields, type Fixtures } from './route-matrix-support.ts';

/**
 * The authorisation matrix: for every route of the application, the answer each kind of
 * actor gets. Columns, in this order:
 *
 *   anonymous · student owner · other student · supervising teacher · other teacher ·
 *   READ · WRITE · ADMIN of the centre · WRITE of another centre · super-admin
 *
 * `in` is the redirection to sign-in (302 to /auth/login); anonymous visitors post with a valid CSRF
 * token of their own session, so that their 401 comes from the sign-in check, not from CSRF. Refusals
 * are 403 when the record's existence is no secret to the person (centres, hosts, a role's page),
 * 404 when it is. Requests that succeed either repeat harmlessly (a form submitted as shown) or act on
 * a record of their own (`fresh`).
 */
export interface Context {
  knex: Knex;
  fx: Fixtures;
}

export interface MatrixEntry {
  /** Expected answers, one per actor kind, in the order above. */
  expect: string;
  /** Values of the address's parameters, when not the fixtures' defaults. */
  params?: (fx: Fixtures) => Record<string, string | number>;
  query?: (fx: Fixtures) => string;
  /** A page whose form posting to the address gives the fields, read as the super-admin sees it. */
  form?: string;
  /** Fields to send (over those of `form`), given the actor and the address's parameters. */
  fields?: (context: Context, actor: ActorKind, params: Record<string, string | number>) => Fields | Promise<Fields>;
  files?: () => { field: string; bytes: Buffer; name: string }[];
  /** For actors whose request succeeds: the parameters of a record made for them (or a state restored). */
  fresh?: (context: Context, actor: ActorKind) => Promise<Record<string, string | number>>;
  /** The request ends the session: it is sent from a session of its own. */
  ownSession?: boolean;
  /** Run after every other entry (it changes what the others rely on). */
  last?: boolean;
}

const PUBLIC = '200 200 200 200 200 200 200 200 200 200';
const SIGNED_IN = 'in 200 200 200 200 200 200 200 200 200';
const STAFF = 'in 403 403 403 403 200 200 200 200 200';
const SUPER_ADMIN = 'in 403 403 403 403 403 403 403 403 200';
const CENTRE_MEMBER = 'in 403 403 403 403 200 200 200 403 200';
const CENTRE_ADMIN = '401 403 403 403 403 403 403 302 403 302';
const HOST_MANAGER = 'in 403 403 403 403 403 200 200 200 200';
const HOST_CHANGE = '401 403 403 403 403 403 302 302 302 302';
const CONVENTION_VIEW = 'in 200 404 200 404 200 200 200 404 200';
const CONVENTION_EDIT_PAGE = 'in 200 404 403 404 403 200 200 404 200';
const CONVENTION_EDIT = '401 302 404 403 404 403 302 302 404 302';
const DRAFT_VIEW = 'in 200 404 404 404 404 404 404 404 200';
const DRAFT_EDIT = '401 302 404 404 404 404 404 404 404 302';
const OFFER_VIEW = 'in 404 404 403 403 200 200 200 404 200';
const OFFER_MANAGE_PAGE = 'in 404 404 403 403 403 200 200 404 200';
const OFFER_MANAGE = '401 404 404 403 403 403 302 302 404 302';
const OFFER_CREATOR = 'in 403 403 403 403 403 200 200 200 200';
const STATISTICS = STAFF;

const DRAFT = (fx: Fixtures) => ({ id: fx.draftId });
const VALIDATED = (fx: Fixtures) => ({ number: fx.validatedNumber, amendment: fx.amendment });

const version = async (knex: Knex, table: string, where: Record<string, unknown>) =>
  String(((await knex(table).where(where).first('version')) as { version: number }).version);

/** A copy of the submitted convention, with a host of its own so that copies add no hours in one host (924 h a year). */
async function freshConvention({ knex, fx }: Context): Promise<{ number: number }> {
  const copy = await copyConvention(knex, fx.conventionId, await hostOfItsOwn(knex));
  return { number: copy.number! };
}

async function freshDraft({ knex, fx }: Context): Promise<{ id: number }> {
  const { signatory_id: _none, ...host } = await hostOfItsOwn(knex);
  const copy = await copyConvention(knex, fx.draftId, host);
  return { id: copy.id };
}

/** A validated convention of its own with a copy of amendment 1 in the given status. */
async function freshAmendment({ knex, fx }: Context, status: 'submitted' | 'validated'): Promise<{ number: number; amendment: number }> {
  const source = (await knex('convention').where({ number: fx.validatedNumber }).first('id')) as { id: number };
  const copy = await copyConvention(knex, source.id, await hostOfItsOwn(knex));
  await copyAmendment(
    knex,
    fx.amendment,
    source.id,
    copy.id,
    status === 'validated' ? { status, validated_at: new Date(), validated_by: 'gest.sciences' } : {},
  );
  return { number: copy.number!, amendment: fx.amendment };
}

async function freshOffer({ knex, fx }: Context): Promise<{ id: number }> {
  const { id: _id, created_at: _created, updated_at: _updated, ...offer } = (await knex('offer').where({ id: fx.offerId }).first()) as Record<string, unknown>;
  const [row] = (await knex('offer')
    .insert({ ...offer, version: 1 })
    .returning('id')) as { id: number }[];
  return { id: row!.id };
}

async function freshHost({ knex }: Context, actor: ActorKind): Promise<{ id: number }> {
  const [row] = (await knex('host')
    .insert({ name: `Hôte à supprimer ${actor}`, country_code: 'BE', created_by: 'test' })
    .returning('id')) as { id: number }[];
  return { id: row!.id };
}

async function freshService({ knex, fx }: Context, actor: ActorKind): Promise<{ serviceId: number }> {
  const [row] = (await knex('host_service')
    .insert({ host_id: fx.hostId, name: `Service à supprimer ${actor}`, created_by: 'test' })
    .returning('id')) as { id: number }[];
  return { serviceId: row!.id };
}

async function freshContact({ knex, fx }: Context, actor: ActorKind): Promise<{ contactId: number }> {
  const [row] = (await knex('host_contact')
    .insert({ host_id: fx.hostId, service_id: fx.serviceId, last_name: `Contact ${actor}`, first_name: 'À supprimer', created_by: 'test' })
    .returning('id')) as { id: number }[];
  return { contactId: row!.id };
}

/** agent.stages, attached to the centre anew (no actor kind depends on that membership). */
async function freshMember({ knex, fx }: Context): Promise<{ memberId: number }> {
  const staffId = await fx.ids.staff('agent.stages');
  await knex('centre_member').where({ centre_id: fx.centreId, staff_id: staffId }).delete();
  const [row] = (await knex('centre_member')
    .insert({ centre_id: fx.centreId, staff_id: staffId, access_right: 'READ', created_by: 'test' })
    .returning('id')) as { id: number }[];
  return { memberId: row!.id };
}

/** The convention of an address, by number or (drafts) by id. */
async function conventionOf({ knex }: Context, params: Record<string, string | number>): Promise<{ id: number; version: number; service_id: number }> {
  const where = params.number !== undefined ? { number: params.number } : { id: params.id };
  return (await knex('convention').where(where).first('id', 'version', 'service_id')) as { id: number; version: number; service_id: number };
}

const currentVersion = async (context: Context, _actor: ActorKind, params: Record<string, string | number>) => ({
  version: String((await conventionOf(context, params)).version),
});

const amendmentVersion = async ({ knex }: Context, _actor: ActorKind, params: Record<string, string | number>) => {
  const row = (await knex('amendment as a')
    .join('convention as c', 'c.id', 'a.convention_id')
    .where({ 'c.number': params.number, 'a.number': params.amendment })
    .first('a.version')) as { version: number };
  return { version: String(row.version) };
};

const offerVersion = async ({ knex }: Context, _actor: ActorKind, params: Record<string, string | number>) => ({
  version: await version(knex, 'offer', { id: params.id }),
});

export const MATRIX: Record<string, MatrixEntry> = {
  // Infrastructure, sign-in and home
  'GET /static/*splat': { expect: PUBLIC, params: () => ({ splat: 'favicon.svg' }) },
  'GET /favicon.ico': { expect: '301 301 301 301 301 301 301 301 301 301' },
  'GET /healthz': { expect: PUBLIC },
  // Not served while no METRICS_TOKEN is configured (the tests configure none).
  'GET /metrics': { expect: '404 404 404 404 404 404 404 404 404 404' },
  // Signed-in people post it with their token; an anonymous post must come from a page of the site (Origin).
  'POST /language': { expect: '403 303 303 303 303 303 303 303 303 303', fields: () => ({ lang: 'fr', returnTo: '/' }) },
  // Anonymous visitors go to the CAS server, signed-in people home.
  'GET /auth/login': { expect: '302 302 302 302 302 302 302 302 302 302' },
  'POST /auth/demo': { expect: '403 403 403 403 403 403 403 403 403 403', fields: () => ({ login: 'admin' }) },
  'GET /auth/logout': { expect: '302 200 200 200 200 200 200 200 200 200' },
  'POST /auth/logout': { expect: '302 302 302 302 302 302 302 302 302 302', ownSession: true },
  // Anonymous visitors get the welcome page with the sign-in button.
  'GET /': { expect: PUBLIC },
  'GET /help': { expect: PUBLIC },

  // Centres
  'GET /centres': { expect: STAFF },
  'GET /centres/new': { expect: SUPER_ADMIN },
  'POST /centres': {
    expect: '401 403 403 403 403 403 403 403 403 302',
    form: '/centres/new',
    fields: (_context, actor) => ({ name: `Centre créé par ${actor}`, phone: '01 02 03 04 05' }),
  },
  'GET /centres/:id': { expect: CENTRE_MEMBER },
  'POST /centres/:id': { expect: CENTRE_ADMIN, form: '/centres/:id' },
  'POST /centres/:id/criteria': {
    expect: CENTRE_ADMIN,
    fields: (_context, actor): Fields => (actor === 'superAdmin' ? { kind: 'faculty', faculty_code: 'LLSH' } : { kind: 'step', step_code: 'L2HIST' }),
  },
  'POST /centres/:id/criteria/:criterionId/delete': {
    expect: CENTRE_ADMIN,
    fresh: async ({ knex, fx }, actor) => {
      const [row] = (await knex('centre_criterion')
        .insert({ centre_id: fx.centreId, kind: 'step', code: actor === 'superAdmin' ? 'M1BIO' : 'M2INFO' })
        .returning('id')) as { id: number }[];
      return { criterionId: row!.id };
    },
  },
  'GET /centres/:id/logo': { expect: CENTRE_MEMBER },
  'POST /centres/:id/logo': { expect: CENTRE_ADMIN, files: () => [{ field: 'logo', bytes: tinyPng(), name: 'logo.png' }] },
  'POST /centres/:id/logo/delete': {
    expect: CENTRE_ADMIN,
    fresh: async ({ knex, fx }) => {
      await knex('centre').where({ id: fx.centreId }).update({ logo: tinyPng(), logo_mime_type: 'image/png' });
      return {};
    },
  },
  'GET /centres/:id/delete': { expect: SUPER_ADMIN },
  'POST /centres/:id/delete': {
    expect: '401 403 403 403 403 403 403 403 403 302',
    fresh: async ({ knex }) => {
      const [row] = (await knex('centre')
        .insert({ name: 'Centre à supprimer', level: 'UFR', phone: '01 02 03 04 05', created_by: 'test' })
        .returning('id')) as { id: number }[];
      return { id: row!.id };
    },
  },
  'GET /centres/:id/members': { expect: CENTRE_MEMBER },
  'POST /centres/:id/members': {
    expect: CENTRE_ADMIN,
    fields: async ({ fx }) => ({ staff_id: String(await fx.ids.staff('agent.stages')), access_right: 'READ' }),
    fresh: async ({ knex, fx }) => {
      await knex('centre_member')
        .where({ centre_id: fx.centreId, staff_id: await fx.ids.staff('agent.stages') })
        .delete();
      return {};
    },
  },
  'POST /centres/:id/members/:memberId': { expect: CENTRE_ADMIN, form: '/centres/:id/members' },
  'POST /centres/:id/members/:memberId/delete': { expect: CENTRE_ADMIN, fresh: freshMember },

  // Administration
  'GET /admin': { expect: SUPER_ADMIN },
  'GET /admin/imports': { expect: SUPER_ADMIN },
  // The super-admin passes the rights and is told the file is missing.
  'POST /admin/imports': { expect: '401 403 403 403 403 403 403 403 403 400', fields: () => ({ kind: 'students' }) },
  'GET /admin/outbox': { expect: SUPER_ADMIN },
  'GET /admin/legal-rates': { expect: SUPER_ADMIN },
  'POST /admin/legal-rates': {
    expect: '401 403 403 403 403 403 403 403 403 303',
    form: '/admin/legal-rates',
    fields: () => ({ year: '2026', hourly_social_security_ceiling: '30' }),
  },
  'GET /admin/settings': { expect: SUPER_ADMIN },
  'POST /admin/settings': { expect: '401 403 403 403 403 403 403 403 403 302', form: '/admin/settings' },
  'GET /admin/settings/anonymisation': { expect: SUPER_ADMIN },
  // Posted without its confirmation: the super-admin passes the rights and is asked to confirm.
  'POST /admin/settings/anonymisation': { expect: '401 403 403 403 403 403 403 403 403 422' },

  // Personal data
  'GET /privacy': { expect: PUBLIC },
  'GET /accessibility': { expect: PUBLIC },
  'GET /me/data': { expect: SIGNED_IN },

  // Host directory (shared by the whole institution: staff of any centre manage it)
  'GET /hosts': { expect: STAFF },
  'GET /hosts/new': { expect: HOST_MANAGER },
  'POST /hosts': {
    expect: HOST_CHANGE,
    fields: (_context, actor) => hostFields({ name: `Hôte créé par ${actor}`, siret: '', country_code: 'BE', postal_code: '1000', town: 'Bruxelles' }),
  },
  'GET /hosts/to-check': { expect: HOST_MANAGER },
  'GET /hosts/:id': { expect: STAFF },
  'GET /hosts/:id/edit': { expect: HOST_MANAGER },
  'POST /hosts/:id/edit': { expect: HOST_CHANGE, form: '/hosts/:id/edit' },
  'POST /hosts/:id/delete': { expect: HOST_CHANGE, fresh: freshHost },
  'POST /hosts/:id/check': { expect: HOST_CHANGE, fields: async ({ knex }, _actor, params) => ({ version: await version(knex, 'host', { id: params.id }) }) },
  'GET /hosts/:id/services/new': { expect: HOST_MANAGER },
  'POST /hosts/:id/services': { expect: HOST_CHANGE, fields: (_context, actor) => serviceFields({ name: `Service créé par ${actor}` }) },
  'GET /hosts/:id/services/:serviceId/edit': { expect: HOST_MANAGER },
  'POST /hosts/:id/services/:serviceId/edit': { expect: HOST_CHANGE, form: '/hosts/:id/services/:serviceId/edit' },
  'POST /hosts/:id/services/:serviceId/delete': { expect: HOST_CHANGE, fresh: freshService },
  'GET /hosts/:id/contacts/new': { expect: HOST_MANAGER },
  'POST /hosts/:id/contacts': {
    expect: HOST_CHANGE,
    fields: ({ fx }, actor) => contactFields({ last_name: `Contact de ${actor}`, service_id: String(fx.serviceId) }),
  },
  'GET /hosts/:id/contacts/:contactId/edit': { expect: HOST_MANAGER },
  'POST /hosts/:id/contacts/:contactId/edit': { expect: HOST_CHANGE, form: '/hosts/:id/contacts/:contactId/edit' },
  'POST /hosts/:id/contacts/:contactId/delete': { expect: HOST_CHANGE, fresh: freshContact },

  // Search, exports, bulk validation
  'GET /conventions': { expect: SIGNED_IN },
  'GET /conventions/export': { expect: STAFF },
  'POST /conventions/export': { expect: '401 403 403 403 403 303 303 303 303 303', fields: () => ({ format: 'csv', columns: ['number', 'status'] }) },
  'GET /conventions/export.xlsx': { expect: STAFF },
  'GET /conventions/export.csv': { expect: STAFF },
  'POST /conventions/bulk-validation': {
    // Anybody may post it; each convention the person may not validate is reported as such, and stays as it was.
    expect: '401 200= 200= 200= 200= 200= 200 200 200= 200',
    fields: ({ fx }) => ({ numbers: String(fx.number) }),
    fresh: async (context) => freshConvention(context),
  },

  // Starting a convention
  'GET /conventions/new': { expect: 'in 200 200 403 403 403 200 200 200 200' },
  'GET /conventions/new/student': { expect: 'in 200 200 403 403 403 200 200 200 200' },
  'POST /conventions/new/student': {
    // Only the student themselves and the staff who may write for them find the student at all.
    expect: '401 302 404 404 404 404 302 302 404 302',
    fields: async ({ knex }) => {
      const { id, studentId } = await enrolmentOf(knex, 'etu.sciences1');
      return { ...studentFields(id), student_id: String(studentId) };
    },
  },

  // A student's draft
  'GET /conventions/drafts/:id': { expect: 'in 302 404 404 404 404 404 404 404 302', params: DRAFT },
  ...draftSteps(),
  'GET /conventions/drafts/:id/summary': { expect: DRAFT_VIEW, params: DRAFT },
  'POST /conventions/drafts/:id/create': {
    expect: DRAFT_EDIT,
    params: DRAFT,
    form: '/conventions/drafts/:id/summary',
    fields: () => ({ confirm_warnings: 'on' }),
    fresh: freshDraft,
  },
  'GET /conventions/drafts/:id/cancel': { expect: 'in 403 404 404 404 404 404 404 404 403', params: DRAFT },
  'POST /conventions/drafts/:id/cancel': { expect: '401 400 400 400 400 400 400 400 400 400', params: DRAFT },
  'GET /conventions/drafts/:id/delete': { expect: DRAFT_VIEW, params: DRAFT },
  'POST /conventions/drafts/:id/delete': { expect: DRAFT_EDIT, params: DRAFT, fresh: freshDraft },

  // A created convention
  'GET /conventions/:number': { expect: CONVENTION_VIEW },
  ...conventionSteps(),
  'GET /conventions/:number/summary': { expect: 'in 302 302 302 302 302 302 302 302 302' },
  'POST /conventions/:number/create': { expect: '401 400 400 400 400 400 400 400 400 400', fields: currentVersion },
  'GET /conventions/:number/cancel': { expect: 'in 200 404 403 404 403 403 403 404 403' },
  'POST /conventions/:number/cancel': { expect: '401 302 404 403 404 403 403 403 404 403', fields: currentVersion, fresh: freshConvention },
  'GET /conventions/:number/delete': { expect: CONVENTION_EDIT_PAGE },
  'POST /conventions/:number/delete': { expect: CONVENTION_EDIT, fresh: freshConvention },
  'GET /conventions/:number/validation': { expect: CONVENTION_VIEW },
  'POST /conventions/:number/validation/:action': {
    expect: '401 403 404 302 404 403 302 302 404 302',
    params: (fx) => ({ number: fx.number, action: 'validate_pedagogically' }),
    fields: async (context, _actor, params) => ({ ...(await currentVersion(context, _actor, params)), reason: '' }),
    fresh: async (context) => ({ ...(await freshConvention(context)), action: 'validate_pedagogically' }),
  },
  'GET /conventions/:number/history': { expect: CONVENTION_VIEW },

  // Amendments of a validated convention
  'GET /conventions/:number/amendments': { expect: CONVENTION_VIEW, params: VALIDATED },
  'GET /conventions/:number/amendments/new': { expect: CONVENTION_EDIT_PAGE, params: VALIDATED },
  // Authorised people see the confirmation page; nothing is created before they confirm.
  'POST /conventions/:number/amendments/new': {
    expect: '401 200= 404 403 404 403 200= 200= 404 200=',
    params: VALIDATED,
    fields: () => ({ kind: 'changes', reason: 'Prolongation demandée.', subject: 'Un autre sujet' }),
  },
  'GET /conventions/:number/amendments/:amendment': { expect: CONVENTION_VIEW, params: VALIDATED },
  'POST /conventions/:number/amendments/:amendment': { expect: CONVENTION_EDIT, params: VALIDATED, form: '/conventions/:number/amendments/:amendment' },
  'POST /conventions/:number/amendments/:amendment/validate': {
    expect: '401 403 404 403 404 403 302 302 404 302',
    params: VALIDATED,
    fields: amendmentVersion,
    fresh: (context) => freshAmendment(context, 'submitted'),
  },
  'POST /conventions/:number/amendments/:amendment/delete': {
    expect: CONVENTION_EDIT,
    params: VALIDATED,
    fields: amendmentVersion,
    fresh: (context) => freshAmendment(context, 'submitted'),
  },
  'POST /conventions/:number/amendments/:amendment/withdraw': {
    expect: '401 403 404 403 404 403 302 302 404 302',
    params: VALIDATED,
    fields: amendmentVersion,
    fresh: (context) => freshAmendment(context, 'validated'),
  },

  // Documents
  'GET /conventions/:number/convention.pdf': { expect: CONVENTION_VIEW },
  'GET /conventions/:number/summary.pdf': { expect: CONVENTION_VIEW },
  'GET /conventions/:number/certificate.pdf': { expect: CONVENTION_VIEW, params: VALIDATED },
  'GET /conventions/:number/amendments/:amendment/amendment.pdf': { expect: CONVENTION_VIEW, params: VALIDATED },

  // Statistics
  'GET /statistics': { expect: STATISTICS },
  'GET /statistics/export.xlsx': { expect: STATISTICS },

  // Offers
  'GET /offers': { expect: 'in 200 200 403 403 200 200 200 200 200' },
  'GET /offers/new': { expect: OFFER_CREATOR },
  'GET /offers/new/host': { expect: OFFER_CREATOR },
  'POST /offers/new/host': {
    expect: HOST_CHANGE,
    fields: (_context, actor) => hostFields({ name: `Hôte d’offre de ${actor}`, siret: '', country_code: 'BE', postal_code: '1000', town: 'Bruxelles' }),
  },
  // Another centre's WRITE staff may create offers, but not for this centre.
  'POST /offers': { expect: '401 403 403 403 403 403 302 302 422 302', fields: ({ knex }) => offerFields(knex) },
  'GET /offers/:id/edit/:block': { expect: OFFER_MANAGE_PAGE, params: (fx) => ({ id: fx.offerId, block: 'details' }) },
  'POST /offers/:id/edit/:block': { expect: OFFER_MANAGE, params: (fx) => ({ id: fx.offerId, block: 'details' }), form: '/offers/:id/edit/:block' },
  'GET /offers/contacts/new': { expect: OFFER_CREATOR, query: (fx) => `host=${fx.hostId}` },
  'POST /offers/contacts/new': {
    expect: HOST_CHANGE,
    query: (fx) => `host=${fx.hostId}`,
    fields: ({ fx }, actor) => contactFields({ last_name: `Contact d’offre de ${actor}`, service_id: String(fx.serviceId) }),
  },
  'GET /offers/:id': { expect: OFFER_VIEW },
  'GET /offers/:id/file': { expect: OFFER_VIEW, params: (fx) => ({ id: fx.fileOfferId }) },
  'GET /offers/:id/offer.pdf': { expect: OFFER_VIEW },
  'POST /offers/:id/publish': {
    expect: OFFER_MANAGE,
    fields: async (context, actor, params) => ({ ...(await offerVersion(context, actor, params)), months: '2' }),
    fresh: freshOffer,
  },
  'POST /offers/:id/state/:transition': {
    expect: OFFER_MANAGE,
    params: (fx) => ({ id: fx.offerId, transition: 'delete' }),
    fields: offerVersion,
    fresh: async (context) => ({ ...(await freshOffer(context)), transition: 'delete' }),
  },
  'GET /offers/:id/transfer': { expect: OFFER_MANAGE_PAGE },
  'POST /offers/:id/transfer': { expect: OFFER_MANAGE, fields: offerVersion, fresh: freshOffer },
  // Outside the offers' pages, where teachers are refused: for them the offer is simply not found.
  'POST /offers/:id/moderated': { expect: '401 404 404 404 404 403 302 302 404 302', fields: offerVersion },

  // Company deposit of offers: the link is the company centre's (none of the actor kinds but the super-admin)
  'GET /offers/deposit-link': { expect: 'in 403 403 403 403 403 403 403 403 200' },
  'POST /offers/deposit-link': {
    expect: '401 403 403 403 403 403 403 403 403 200',
    fields: ({ fx }) => ({ centre_id: String(fx.companyCentreId) }),
    last: true,
  },
  'GET /offers/deposit/:secret': { expect: PUBLIC },
  // The public form, posted empty: its errors, for anybody.
  'POST /offers/deposit/:secret': { expect: '422 422 422 422 422 422 422 422 422 422' },
  'GET /offers/deposit/:secret/thanks': { expect: PUBLIC },
};

/** The wizard's steps, on a draft and on a created convention. */
function stepEntries(base: string, view: string, edit: string, params: MatrixEntry['params'], fresh: MatrixEntry['fresh']): Record<string, MatrixEntry> {
  const supervisor = async ({ fx }: Context) => ({ supervisor_teacher_id: String(await fx.ids.teacher('prof.martin')) });
  return {
    [`GET ${base}/student`]: { expect: view, params },
    [`POST ${base}/student`]: { expect: edit, params, form: `${base}/student` },
    [`GET ${base}/internship`]: { expect: view, params },
    [`POST ${base}/internship`]: { expect: edit, params, form: `${base}/internship` },
    [`GET ${base}/internship/confirm`]: { expect: view, params },
    [`POST ${base}/internship/confirm`]: { expect: edit, params, form: `${base}/internship/confirm` },
    [`GET ${base}/supervisor`]: { expect: view, params },
    [`POST ${base}/supervisor`]: { expect: edit, params, form: `${base}/supervisor`, fields: supervisor },
    [`GET ${base}/host`]: { expect: view, params },
    // The choice form appears once a host is selected in the search: posted as it would be then.
    [`POST ${base}/host`]: {
      expect: edit,
      params,
      fields: async (context, actor, values) => ({ ...(await currentVersion(context, actor, values)), host_id: String(context.fx.hostId) }),
    },
    [`GET ${base}/host/new`]: { expect: view === DRAFT_VIEW ? view : CONVENTION_EDIT_PAGE, params },
    [`POST ${base}/host/new`]: {
      expect: edit,
      params,
      form: `${base}/host/new`,
      fields: (_context, actor) =>
        hostFields({ name: `Hôte de l’étape de ${actor} ${base}`, siret: '', country_code: 'BE', postal_code: '1000', town: 'Bruxelles' }),
      fresh,
    },
    [`GET ${base}/service`]: { expect: view, params },
    [`POST ${base}/service`]: { expect: edit, params, form: `${base}/service`, fields: ({ fx }) => ({ service_id: String(fx.serviceId) }) },
    [`GET ${base}/service/new`]: { expect: view === DRAFT_VIEW ? view : CONVENTION_EDIT_PAGE, params },
    [`POST ${base}/service/new`]: {
      expect: edit,
      params,
      form: `${base}/service/new`,
      fields: (_context, actor) => serviceFields({ name: `Service de l’étape de ${actor}` }),
      fresh,
    },
    [`GET ${base}/tutor`]: { expect: view, params },
    [`POST ${base}/tutor`]: { expect: edit, params, form: `${base}/tutor`, fields: ({ fx }) => ({ contact_id: String(fx.contactId) }) },
    [`GET ${base}/tutor/new`]: { expect: view === DRAFT_VIEW ? view : CONVENTION_EDIT_PAGE, params },
    [`POST ${base}/tutor/new`]: { expect: edit, params, form: `${base}/tutor/new`, fields: () => contactFields(), fresh },
    [`GET ${base}/signatory`]: { expect: view, params },
    [`POST ${base}/signatory`]: { expect: edit, params, form: `${base}/signatory`, fields: ({ fx }) => ({ contact_id: String(fx.contactId) }) },
    [`GET ${base}/signatory/new`]: { expect: view === DRAFT_VIEW ? view : CONVENTION_EDIT_PAGE, params },
    [`POST ${base}/signatory/new`]: {
      expect: edit,
      params,
      form: `${base}/signatory/new`,
      fields: async (context, _actor, params) =>
        contactFields({ last_name: 'Signataire', service_id: String((await conventionOf(context, params)).service_id) }),
      fresh,
    },
  };
}

function draftSteps(): Record<string, MatrixEntry> {
  return stepEntries('/conventions/drafts/:id', DRAFT_VIEW, DRAFT_EDIT, DRAFT, freshDraft);
}

function conventionSteps(): Record<string, MatrixEntry> {
  return stepEntries('/conventions/:number', CONVENTION_VIEW, CONVENTION_EDIT, undefined, freshConvention);
}

/** The expected answer of each actor kind: `in` (sign-in) or a status. */
export function expectations(entry: MatrixEntry): Record<ActorKind, string> {
  const tokens = entry.expect.trim().split(/\s+/);
  if (tokens.length !== ACTOR_KINDS.length) throw new Error(`"${entry.expect}" does not name ${ACTOR_KINDS.length} answers`);
  return Object.fromEntries(ACTOR_KINDS.map((kind, index) => [kind, tokens[index]!])) as Record<ActorKind, string>;
}
