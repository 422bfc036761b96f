import type { Db } from '../db/knex.ts';
import type { Knex } from 'knex';
import { audit } from '../audit/audit-log.ts';
import type { Actor } from '../access/actor.ts';
import { getHost } from '../hosts/service.ts';
import { t } from '../i18n/index.ts';
import { academicYearOf, type SwitchOver } from '../rules/academic-year.ts';
import type { FieldErrors, FormResult } from '../web/forms.ts';
import { checkOfferFile, type OfferFileProblem } from './file-check.ts';
import { ForbiddenError, NotFoundError, RuleViolation, StaleVersionError } from '../errors.ts';
import { loadOfferReferences } from './references.ts';
import {
  findCompanyCentre,
  findVisibleOffer,
  insertOffer,
  listCentres,
  listHostContacts,
  listTargetIds,
  replaceTargets,
  updateOffer,
  type CentreChoice,
  type OfferRow,
} from './repository.ts';
import { offerAudience, type OfferAudience } from './scope.ts';
import { OFFER_ACTIONS, offerActionAllowed, type OfferTransition } from './life-cycle.ts';
import { mayManageOffer } from '../access/policy.ts';
import {
  EMPTY_DESCRIPTION,
  validateCentre,
  validateContacts,
  validateDetails,
  validateKind,
  validatePublication,
  type OfferKind,
  type PublicationInput,
} from './schemas.ts';
import { addMonths } from './dates.ts';

/**
 * The rules of an offer (life cycle in docs/domain.md): creation, the edition of each block of its page and its
 * life cycle. Each change runs in one transaction that reads the offer through the scoped door, locks
 * it, checks the right, writes at the version the form was opened at and records the audit row.
 */
const message = (key: string) => t(`offers.validation.${key}`);

export interface OfferContext {
  actor: Actor;
  requestId?: string;
  /** Today in France: publication dates and expiry are counted from it. */
  today: string;
}

/** What arrived in the file field: its bytes and name, or the reason none could be read. */
export type OfferUpload = { bytes: Buffer; name: string } | { problem: Extract<OfferFileProblem, 'missing' | 'too_large' | 'too_many' | 'unreadable'> };

const FILE_MESSAGES: Record<OfferFileProblem, string> = {
  missing: 'fileMissing',
  empty: 'fileEmpty',
  too_large: 'fileTooLarge',
  wrong_type: 'fileType',
  too_many: 'fileTooMany',
  unreadable: 'fileUnreadable',
};

/** The centres whose offers the actor manages: WRITE (or ADMIN) staff of them; the super-admin all. */
export async function managedCentres(db: Db, actor: Actor): Promise<CentreChoice[]> {
  const centres = await listCentres(db);
  return centres.filter((centre) => mayManageOffer(actor, { centre_id: centre.id }));
}

function fail(results: FormResult<unknown>[], extra: FieldErrors = {}): FieldErrors | null {
  const errors: FieldErrors = { ...extra };
  for (const result of results) if (!result.ok) Object.assign(errors, result.errors);
  return Object.keys(errors).length > 0 ? errors : null;
}

/** The file columns of an upload, or the French reason it is refused — nothing is stored then. */
function fileColumns(upload: OfferUpload | null): { ok: true; value: Record<string, unknown> } | { ok: false; error: string } {
  if (upload === null) return { ok: false, error: message(FILE_MESSAGES.missing) };
  if ('problem' in upload) return { ok: false, error: message(FILE_MESSAGES[upload.problem]) };
  const check = checkOfferFile(upload.bytes);
  if (!check.ok) return { ok: false, error: message(FILE_MESSAGES[check.problem]) };
  const name = upload.name.normalize('NFC').replace(/[\\/]/g, '_').slice(-200);
  return { ok: true, value: { file_name: name, file_type: check.type, file_content: upload.bytes, file_size: upload.bytes.length } };
}

const NO_FILE = { file_name: null, file_type: null, file_content: null, file_size: null };

async function hostContacts(db: Db, actor: Actor, hostId: number): Promise<Set<number> | null> {
  try {
    await getHost(db, actor, hostId);
  } catch (error) {
    if (error instanceof NotFoundError) return null;
    throw error;
  }
  return new Set((await listHostContacts(db, hostId)).map((contact) => contact.id));
}

/** The centres an offer may be published to besides its managing centre. */
export async function publicationTargets(db: Db, managingCentreId: number): Promise<CentreChoice[]> {
  return (await listCentres(db)).filter((centre) => centre.id !== managingCentreId);
}

function withoutCentre(publication: FormResult<PublicationInput>, centreId: number | null): FormResult<PublicationInput> {
  if (!publication.ok) return publication;
  return { ok: true, value: { ...publication.value, targetCentreIds: publication.value.targetCentreIds.filter((id) => id !== centreId) } };
}

function publicationColumns(today: string, publication: PublicationInput) {
  return { state: 'published', published_on: today, published_until: addMonths(today, publication.months) };
}

// The audit rows describe the offer without the file's bytes.
const summary = ({ file_content: _bytes, ...rest }: Record<string, unknown>) => rest;

export interface CreateOfferInput {
  body: Record<string, unknown>;
  upload: OfferUpload | null;
  switchOver: SwitchOver;
}

export async function createOffer(knex: Knex, context: OfferContext, input: CreateOfferInput): Promise<number> {
  const { body, upload } = input;
  return knex.transaction(async (trx) => {
    const centres = await managedCentres(trx, context.actor);
    if (centres.length === 0) throw new ForbiddenError();
    const references = await loadOfferReferences(trx);
    const hostId = /^[1-9][0-9]{0,9}$/.test(String(body.host_id ?? '')) ? Number(body.host_id) : null;
    const contactIds = hostId === null ? null : await hostContacts(trx, context.actor, hostId);
    const centre = validateCentre(new Set(centres.map((choice) => choice.id)), body);
    const kind = validateKind(body);
    const chosenKind: OfferKind = kind.ok ? kind.value.kind : 'form';
    const details = validateDetails(references, chosenKind, body);
    const contacts = validateContacts(contactIds ?? new Set(), chosenKind, body);
    const file = chosenKind === 'file' ? fileColumns(upload) : ({ ok: true, value: NO_FILE } as const);
    const publishNow = body.publish_now === 'on';
    // Ticking the managing centre among the targets changes nothing: it always receives its offers.
    const publication = publishNow
      ? withoutCentre(
          validatePublication(
            (await listCentres(trx)).map((choice) => choice.id),
            body,
          ),
          centre.ok ? centre.value.centre_id : null,
        )
      : null;
    const errors = fail([centre, kind, details, contacts, ...(publication ? [publication] : [])], {
      ...(contactIds === null ? { host_id: message('host') } : {}),
      ...(file.ok ? {} : { file: file.error }),
    });
    if (errors || !centre.ok || !kind.ok || !details.ok || !contacts.ok || !file.ok || contactIds === null || hostId === null)
      throw new RuleViolation(errors ?? {});

    const values = {
      ...centre.value,
      host_id: hostId,
      ...EMPTY_DESCRIPTION,
      ...details.value,
      ...contacts.value,
      ...kind.value,
      ...file.value,
      academic_year: academicYearOf(context.today, input.switchOver),
      ...(publication?.ok ? publicationColumns(context.today, publication.value) : {}),
    };
    const id = await insertOffer(trx, values, context.actor.login);
    if (publication?.ok) await replaceTargets(trx, id, publication.value.targetCentreIds);
    await audit(trx, {
      actorLogin: context.actor.login,
      requestId: context.requestId,
      action: 'offer.create',
      entity: 'offer',
      entityId: id,
      after: { ...summary(values), targets: publication?.ok ? publication.value.targetCentreIds : [] },
    });
    return id;
  });
}

/** An offer the actor may see, or "not found" — the same answer for one that does not exist. */
export async function openOffer(db: Db, audience: OfferAudience, id: number, options: { lock?: boolean } = {}): Promise<OfferRow> {
  const offer = await findVisibleOffer(db, audience, id, options);
  if (!offer) throw new NotFoundError('offer');
  return offer;
}

interface Change {
  action: string;
  /** The columns to write, or the French errors next to the fields. */
  decide(
    trx: Knex.Transaction,
    offer: OfferRow,
    audience: OfferAudience,
  ): Promise<{ values: Record<string, unknown>; targets?: number[] } | { errors: FieldErrors; status?: 409 | 422 }>;
}

/** The frame of every change of an existing offer: scope, lock, right, version, rule, write, audit. */
async function changeOffer(knex: Knex, context: OfferContext, id: number, version: number, change: Change): Promise<void> {
  // Outside the transaction: it reads two tables at once, which one transaction's connection cannot.
  const audience = await offerAudience(knex, context.actor, context.today);
  await knex.transaction(async (trx) => {
    const before = await openOffer(trx, audience, id, { lock: true });
    if (!mayManageOffer(context.actor, before)) throw new ForbiddenError();
    if (before.version !== version) throw new StaleVersionError();
    const decision = await change.decide(trx, before, audience);
    if ('errors' in decision) throw new RuleViolation(decision.errors, decision.status === 409 ? 'conflict' : 'invalid');
    if (!(await updateOffer(trx, audience, id, version, decision.values, context.actor.login))) throw new StaleVersionError();
    if (decision.targets) await replaceTargets(trx, id, decision.targets);
    const changed = Object.fromEntries(Object.keys(decision.values).map((key) => [key, (before as unknown as Record<string, unknown>)[key]]));
    await audit(trx, {
      actorLogin: context.actor.login,
      requestId: context.requestId,
      action: change.action,
      entity: 'offer',
      entityId: id,
      before: summary(changed),
      after: { ...summary(decision.values), ...(decision.targets ? { targets: decision.targets } : {}) },
    });
  });
}

const stateRefused = (key: string) => ({ errors: { _form: message(key) }, status: 409 as const });

export function updateCentreBlock(knex: Knex, context: OfferContext, id: number, version: number, body: unknown): Promise<void> {
  return changeOffer(knex, context, id, version, {
    action: 'offer.update.centre',
    async decide(trx) {
      const centres = await managedCentres(trx, context.actor);
      const centre = validateCentre(new Set(centres.map((choice) => choice.id)), body);
      return centre.ok ? { values: { centre_id: centre.value.centre_id } } : { errors: centre.errors };
    },
  });
}

export function updateHostBlock(knex: Knex, context: OfferContext, id: number, version: number, body: Record<string, unknown>): Promise<void> {
  return changeOffer(knex, context, id, version, {
    action: 'offer.update.host',
    async decide(trx, offer) {
      const hostId = /^[1-9][0-9]{0,9}$/.test(String(body.host_id ?? '')) ? Number(body.host_id) : null;
      const contactIds = hostId === null ? null : await hostContacts(trx, context.actor, hostId);
      if (contactIds === null) return { errors: { host_id: message('host') } };
      const contacts = validateContacts(contactIds, offer.kind, body);
      return contacts.ok ? { values: { host_id: hostId, ...contacts.value } } : { errors: contacts.errors };
    },
  });
}

export function updateDetailsBlock(knex: Knex, context: OfferContext, id: number, version: number, body: unknown): Promise<void> {
  return changeOffer(knex, context, id, version, {
    action: 'offer.update.details',
    async decide(trx, offer) {
      const details = validateDetails(await loadOfferReferences(trx), offer.kind, body);
      return details.ok ? { values: { ...details.value } } : { errors: details.errors };
    },
  });
}

export function updateContentBlock(knex: Knex, context: OfferContext, id: number, version: number, body: unknown, upload: OfferUpload | null): Promise<void> {
  return changeOffer(knex, context, id, version, {
    action: 'offer.update.content',
    async decide(_trx, offer) {
      const kind = validateKind(body);
      if (!kind.ok) return { errors: kind.errors };
      if (kind.value.kind === 'form' && offer.application_contact_id === null) return { errors: { kind: message('formNeedsContact') } };
      if (kind.value.kind !== 'file') return { values: { ...kind.value, ...NO_FILE } };
      // An offer that already has its file keeps it when no other file is sent.
      if (upload === null && offer.kind === 'file') return { values: { ...kind.value } };
      const file = fileColumns(upload);
      return file.ok ? { values: { ...kind.value, ...file.value } } : { errors: { file: file.error } };
    },
  });
}

export function publishOffer(knex: Knex, context: OfferContext, id: number, version: number, body: unknown): Promise<void> {
  return changeOffer(knex, context, id, version, {
    action: 'offer.publish',
    async decide(trx, offer) {
      if (!offerActionAllowed('publish', offer.state)) return stateRefused(OFFER_ACTIONS.publish.refused);
      const targets = (await publicationTargets(trx, offer.centre_id)).map((centre) => centre.id);
      const publication = validatePublication(targets, body);
      if (!publication.ok) return { errors: publication.errors };
      return { values: publicationColumns(context.today, publication.value), targets: publication.value.targetCentreIds };
    },
  });
}

/** A transition that needs no input (stop, fill, unfill, delete), as the life cycle's table says. */
export function changeOfferState(knex: Knex, context: OfferContext, id: number, version: number, transition: OfferTransition): Promise<void> {
  const rule = OFFER_ACTIONS[transition];
  return changeOffer(knex, context, id, version, {
    action: `offer.${transition}`,
    async decide(_trx, offer) {
      return offerActionAllowed(transition, offer.state) ? { values: { state: rule.to } } : stateRefused(rule.refused);
    },
  });
}

/** The company centre takes the offer over, with its host and contacts; it stops being a target of its own offer. */
export function transferOffer(knex: Knex, context: OfferContext, id: number, version: number): Promise<void> {
  return changeOffer(knex, context, id, version, {
    action: 'offer.transfer',
    async decide(trx, offer) {
      const company = await findCompanyCentre(trx);
      if (!company) return stateRefused('noCompanyCentre');
      if (offer.centre_id === company.id || !offerActionAllowed('transfer', offer.state)) return stateRefused(OFFER_ACTIONS.transfer.refused);
      const targets = await listTargetIds(trx, offer.id);
      return { values: { centre_id: company.id }, targets: targets.filter((centreId) => centreId !== company.id) };
    },
  });
}
