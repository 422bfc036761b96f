import type { Db } from '../db/knex.ts';
import type { Knex } from 'knex';
import type { Actor } from '../access/actor.ts';
import { t } from '../i18n/index.ts';
import { formatSiret } from '../rules/siret.ts';
import { hostAccessOf, mayOnHosts, type HostAccess, type HostAction } from '../access/policy.ts';
import { recordChange, type ChangeContext } from '../audit/audit-log.ts';
import { ForbiddenError, NotFoundError, RuleViolation, StaleVersionError, violatedUniqueConstraint } from '../errors.ts';
import { loadHostReferences, optionsOf, type SelectOption } from './references.ts';
import * as repository from './repository.ts';
import type { ContactRecord, HostLabels, HostListRow, HostRecord, HostToCheckRow, ServiceRecord } from './repository.ts';
import { MAX_LENGTHS, validateContact, validateHost, validateService, type HostSearchCriteria } from './schemas.ts';
import { conventionCountOf, type ConventionUsage } from './usage.ts';

/**
 * The host directory's business rules: searches, host sheets, creation, edition, deletion (kept as
 * history) and validation of hosts, services and contacts. Every function takes the actor (or a change
 * context holding it) and checks its rights first; the directory pages and the convention wizard
 * (steps 2 to 4) both go through here. Input is the submitted form, validated here: no caller can skip
 * a rule. Refusals are thrown: ForbiddenError, NotFoundError, RuleViolation, StaleVersionError.
 */

/** Every service function starts here, so that no directory data is read or changed without the check. */
function authorise(actor: Actor, action: HostAction): HostAccess {
  const access = hostAccessOf(actor);
  if (access === null || !mayOnHosts(actor, action)) throw new ForbiddenError();
  return access;
}

export type { ChangeContext, HostAccess };
export type { ContactRecord, HostLabels, HostListRow, HostRecord, HostToCheckRow, ServiceRecord };

// ---------------------------------------------------------------------------------------------------
// Search and reading
// ---------------------------------------------------------------------------------------------------

export const HOST_PAGE_SIZE = 20;

export interface HostSearchResult {
  rows: HostListRow[];
  total: number;
  page: number;
  pageSize: number;
  pageCount: number;
}

/** One page of the hosts matching the criteria, sorted by name: one query for the page, one for the count. */
export async function searchHosts(db: Db, actor: Actor, criteria: HostSearchCriteria, page = 1, pageSize = HOST_PAGE_SIZE): Promise<HostSearchResult> {
  authorise(actor, 'read');
  const [rows, total] = await Promise.all([repository.searchHostPage(db, criteria, pageSize, (page - 1) * pageSize), repository.countHosts(db, criteria)]);
  return { rows, total, page, pageSize, pageCount: Math.max(1, Math.ceil(total / pageSize)) };
}

async function existingHost(db: Db, hostId: number, options: { lock?: boolean } = {}): Promise<HostRecord> {
  const host = await repository.findHost(db, hostId, options);
  if (!host) throw new NotFoundError('host');
  return host;
}

/** A host (not deleted), for anybody who may read the directory. */
export async function getHost(db: Db, actor: Actor, hostId: number): Promise<HostRecord> {
  authorise(actor, 'read');
  return existingHost(db, hostId);
}

export interface HostSheet {
  host: HostRecord;
  labels: HostLabels;
  services: ServiceRecord[];
  contacts: ContactRecord[];
  conventionCount: number;
  mayManage: boolean;
}

/** Everything the host sheet shows: details with their labels, services, contacts, conventions. */
export async function hostSheet(db: Db, actor: Actor, hostId: number, usage: ConventionUsage): Promise<HostSheet> {
  authorise(actor, 'read');
  const host = await existingHost(db, hostId);
  const [labels, services, contacts, conventionCount] = await Promise.all([
    repository.findHostLabels(db, hostId),
    repository.listServices(db, hostId),
    repository.listContacts(db, hostId),
    conventionCountOf(usage, db, hostId),
  ]);
  return { host, labels: labels!, services, contacts, conventionCount, mayManage: mayOnHosts(actor, 'manage') };
}

/** Hosts created by students, waiting for WRITE staff to correct and validate them. */
export async function hostsToCheck(db: Db, actor: Actor): Promise<HostToCheckRow[]> {
  authorise(actor, 'manage');
  return repository.listHostsToCheck(db);
}

export async function listServices(db: Db, actor: Actor, hostId: number): Promise<ServiceRecord[]> {
  authorise(actor, 'read');
  await existingHost(db, hostId);
  return repository.listServices(db, hostId);
}

export async function getService(db: Db, actor: Actor, hostId: number, serviceId: number): Promise<ServiceRecord> {
  authorise(actor, 'read');
  const service = await repository.findService(db, hostId, serviceId);
  if (!service || !(await repository.findHost(db, hostId))) throw new NotFoundError('host');
  return service;
}

/** The contacts of a host, or of one of its services (the tutor step of the wizard). */
export async function listContacts(db: Db, actor: Actor, hostId: number, serviceId?: number): Promise<ContactRecord[]> {
  authorise(actor, 'read');
  await existingHost(db, hostId);
  return repository.listContacts(db, hostId, serviceId);
}

export async function getContact(db: Db, actor: Actor, hostId: number, contactId: number): Promise<ContactRecord> {
  authorise(actor, 'read');
  const contact = await repository.findContact(db, hostId, contactId);
  if (!contact || !(await repository.findHost(db, hostId))) throw new NotFoundError('host');
  return contact;
}

// ---------------------------------------------------------------------------------------------------
// Form choices
// ---------------------------------------------------------------------------------------------------

export interface HostFormChoices {
  countries: SelectOption[];
  legalStatuses: SelectOption[];
  hostTypes: SelectOption[];
  headcountBands: SelectOption[];
  civilities: SelectOption[];
  maxLengths: typeof MAX_LENGTHS;
}

/** The lists the host, service and contact forms offer (active entries, plus the current values). */
export async function hostFormChoices(db: Db, values: object = {}): Promise<HostFormChoices> {
  const current = values as Record<string, unknown>;
  const references = await loadHostReferences(db, ['countries', 'legalStatuses', 'hostTypes', 'headcountBands', 'civilities']);
  return {
    countries: optionsOf(references.countries, current.country_code),
    legalStatuses: optionsOf(references.legalStatuses, current.legal_status_code),
    hostTypes: optionsOf(references.hostTypes, current.host_type_code),
    headcountBands: optionsOf(references.headcountBands, current.headcount_code),
    civilities: optionsOf(references.civilities, current.civility),
    maxLengths: MAX_LENGTHS,
  };
}

/** The countries of the search form. */
export async function countryChoices(db: Db): Promise<SelectOption[]> {
  return optionsOf((await loadHostReferences(db, ['countries'])).countries);
}

// ---------------------------------------------------------------------------------------------------
// Hosts: changes
// ---------------------------------------------------------------------------------------------------

function siretTaken(existing: { id: number; name: string }, siret: string): RuleViolation {
  return new RuleViolation({ siret: t('hosts.validation.siretTaken', { siret: formatSiret(siret), name: existing.name, id: existing.id }) });
}

async function assertSiretFree(db: Db, siret: string | null, exceptId?: number): Promise<void> {
  if (siret === null) return;
  const existing = await repository.findHostBySiret(db, siret, exceptId);
  if (existing) throw siretTaken(existing, siret);
}

/** Another user took the SIRET between the check and the save: the unique index refused it. */
async function explainSiretConflict(knex: Knex, error: unknown, siret: string | null, exceptId?: number): Promise<never> {
  if (siret !== null && violatedUniqueConstraint(error) === 'host_siret_unique') {
    const existing = await repository.findHostBySiret(knex, siret, exceptId);
    if (existing) throw siretTaken(existing, siret);
  }
  throw error;
}

/**
 * Creates a host. Staff who manage the directory create checked hosts; a student's host is flagged
 * "to check" until WRITE staff validate it. Returns its id.
 */
export async function createHost(knex: Knex, context: ChangeContext, input: unknown): Promise<number> {
  const access = authorise(context.actor, 'create');
  const form = validateHost(await loadHostReferences(knex), input);
  if (!form.ok) throw new RuleViolation(form.errors);
  const values = form.value;
  try {
    return await knex.transaction(async (trx) => {
      await assertSiretFree(trx, values.siret);
      const id = await repository.insertHost(trx, values, context.actor.login, access === 'student');
      await recordChange(trx, context, { action: 'host.create', entity: 'host', entityId: id, after: await repository.findHost(trx, id) });
      return id;
    });
  } catch (error) {
    return explainSiretConflict(knex, error, values.siret);
  }
}

/** Saves a host if nobody saved it since `version` (the version the form was opened at). */
export async function updateHost(knex: Knex, context: ChangeContext, hostId: number, version: number, input: unknown): Promise<void> {
  authorise(context.actor, 'manage');
  await existingHost(knex, hostId);
  const form = validateHost(await loadHostReferences(knex), input);
  if (!form.ok) throw new RuleViolation(form.errors);
  const values = form.value;
  try {
    await knex.transaction(async (trx) => {
      const before = await existingHost(trx, hostId, { lock: true });
      if (before.version !== version) throw new StaleVersionError(before.version);
      await assertSiretFree(trx, values.siret, hostId);
      await repository.updateHost(trx, hostId, values, context.actor.login);
      await recordChange(trx, context, { action: 'host.update', entity: 'host', entityId: hostId, before, after: await repository.findHost(trx, hostId) });
    });
  } catch (error) {
    await explainSiretConflict(knex, error, values.siret, hostId);
  }
}

/** Validates a host flagged "to check" (after it was corrected through the edition form). */
export async function markHostChecked(knex: Knex, context: ChangeContext, hostId: number, version: number): Promise<void> {
  authorise(context.actor, 'manage');
  await knex.transaction(async (trx) => {
    const before = await existingHost(trx, hostId, { lock: true });
    if (before.version !== version) throw new StaleVersionError(before.version);
    if (!before.to_check) return;
    await repository.markHostChecked(trx, hostId, context.actor.login);
    await recordChange(trx, context, { action: 'host.check', entity: 'host', entityId: hostId, before, after: await repository.findHost(trx, hostId) });
  });
}

/**
 * Deletes a host: its row stays, as history, with the date and author of the deletion, and it
 * disappears from searches; its services and contacts stay with it. Refused while conventions use it.
 * Returns its name.
 */
export async function deleteHost(knex: Knex, context: ChangeContext, hostId: number, usage: ConventionUsage): Promise<string> {
  authorise(context.actor, 'manage');
  return knex.transaction(async (trx) => {
    const before = await existingHost(trx, hostId, { lock: true });
    // A host may be deleted (kept as history, hidden from searches) only while no convention uses it.
    const conventions = await conventionCountOf(usage, trx, hostId);
    if (conventions > 0) throw new RuleViolation({ _form: t('hosts.errors.hostInUse', { count: conventions }) }, 'conflict');
    await repository.softDelete(trx, 'host', hostId, context.actor.login);
    await recordChange(trx, context, { action: 'host.delete', entity: 'host', entityId: hostId, before, after: { deleted: true } });
    return before.name;
  });
}

// ---------------------------------------------------------------------------------------------------
// Services
// ---------------------------------------------------------------------------------------------------

const serviceNameTaken = () => new RuleViolation({ name: t('hosts.validation.serviceNameTaken') });

async function saveService(knex: Knex, work: () => Promise<number>): Promise<number> {
  try {
    return await work();
  } catch (error) {
    if (violatedUniqueConstraint(error) === 'host_service_name_unique') throw serviceNameTaken();
    throw error;
  }
}

/** Adds a service to a host (directory staff, and students from the wizard). Returns its id. */
export async function createService(knex: Knex, context: ChangeContext, hostId: number, input: unknown): Promise<number> {
  authorise(context.actor, 'create');
  await existingHost(knex, hostId);
  const form = validateService(await loadHostReferences(knex, ['countries']), input);
  if (!form.ok) throw new RuleViolation(form.errors);
  return saveService(knex, () =>
    knex.transaction(async (trx) => {
      await existingHost(trx, hostId, { lock: true });
      const id = await repository.insertService(trx, hostId, form.value, context.actor.login);
      await recordChange(trx, context, {
        action: 'host_service.create',
        entity: 'host_service',
        entityId: id,
        after: await repository.findService(trx, hostId, id),
      });
      return id;
    }),
  );
}

export async function updateService(knex: Knex, context: ChangeContext, hostId: number, serviceId: number, version: number, input: unknown): Promise<void> {
  authorise(context.actor, 'manage');
  await getService(knex, context.actor, hostId, serviceId);
  const form = validateService(await loadHostReferences(knex, ['countries']), input);
  if (!form.ok) throw new RuleViolation(form.errors);
  await saveService(knex, () =>
    knex.transaction(async (trx) => {
      await existingHost(trx, hostId, { lock: true });
      const before = await repository.findService(trx, hostId, serviceId, { lock: true });
      if (!before) throw new NotFoundError('host');
      if (before.version !== version) throw new StaleVersionError(before.version);
      await repository.updateService(trx, serviceId, form.value, context.actor.login);
      const after = await repository.findService(trx, hostId, serviceId);
      await recordChange(trx, context, { action: 'host_service.update', entity: 'host_service', entityId: serviceId, before, after });
      return serviceId;
    }),
  );
}

/** Deletes a service (kept as history); refused while it has contacts or conventions use it. Returns its name. */
export async function deleteService(knex: Knex, context: ChangeContext, hostId: number, serviceId: number, usage: ConventionUsage): Promise<string> {
  authorise(context.actor, 'manage');
  return knex.transaction(async (trx) => {
    // Every change of a host's services and contacts locks the host first: they cannot cross.
    await existingHost(trx, hostId, { lock: true });
    const before = await repository.findService(trx, hostId, serviceId, { lock: true });
    if (!before) throw new NotFoundError('host');
    const contacts = await repository.countContactsOfService(trx, serviceId);
    if (contacts > 0) throw new RuleViolation({ _form: t('hosts.errors.serviceHasContacts', { name: before.name, count: contacts }) }, 'conflict');
    if (await usage.serviceInUse(trx, serviceId)) throw new RuleViolation({ _form: t('hosts.errors.serviceInUse', { name: before.name }) }, 'conflict');
    await repository.softDelete(trx, 'host_service', serviceId, context.actor.login);
    await recordChange(trx, context, { action: 'host_service.delete', entity: 'host_service', entityId: serviceId, before, after: { deleted: true } });
    return before.name;
  });
}

// ---------------------------------------------------------------------------------------------------
// Contacts
// ---------------------------------------------------------------------------------------------------

async function serviceIdsOf(db: Db, hostId: number): Promise<Set<number>> {
  return new Set((await repository.listServices(db, hostId)).map((service) => service.id));
}

/** Adds a contact (tutor or signatory) to one of the host's services. Returns its id. */
export async function createContact(knex: Knex, context: ChangeContext, hostId: number, input: unknown): Promise<number> {
  authorise(context.actor, 'create');
  await existingHost(knex, hostId);
  const form = validateContact(await loadHostReferences(knex, ['civilities']), await serviceIdsOf(knex, hostId), input);
  if (!form.ok) throw new RuleViolation(form.errors);
  return knex.transaction(async (trx) => {
    await existingHost(trx, hostId, { lock: true });
    // The service may have been deleted since the form was checked: the lock on the host settles it.
    if (!(await repository.findService(trx, hostId, form.value.service_id))) throw new RuleViolation({ service_id: t('hosts.validation.chooseService') });
    const id = await repository.insertContact(trx, hostId, form.value, context.actor.login);
    await recordChange(trx, context, {
      action: 'host_contact.create',
      entity: 'host_contact',
      entityId: id,
      after: await repository.findContact(trx, hostId, id),
    });
    return id;
  });
}

export async function updateContact(knex: Knex, context: ChangeContext, hostId: number, contactId: number, version: number, input: unknown): Promise<void> {
  authorise(context.actor, 'manage');
  await getContact(knex, context.actor, hostId, contactId);
  const form = validateContact(await loadHostReferences(knex, ['civilities']), await serviceIdsOf(knex, hostId), input);
  if (!form.ok) throw new RuleViolation(form.errors);
  await knex.transaction(async (trx) => {
    await existingHost(trx, hostId, { lock: true });
    const before = await repository.findContact(trx, hostId, contactId, { lock: true });
    if (!before) throw new NotFoundError('host');
    if (before.version !== version) throw new StaleVersionError(before.version);
    if (!(await repository.findService(trx, hostId, form.value.service_id))) throw new RuleViolation({ service_id: t('hosts.validation.chooseService') });
    await repository.updateContact(trx, contactId, form.value, context.actor.login);
    const after = await repository.findContact(trx, hostId, contactId);
    await recordChange(trx, context, { action: 'host_contact.update', entity: 'host_contact', entityId: contactId, before, after });
  });
}

/** Deletes a contact (kept as history); refused while a validated convention names it. Returns its name. */
export async function deleteContact(knex: Knex, context: ChangeContext, hostId: number, contactId: number, usage: ConventionUsage): Promise<string> {
  authorise(context.actor, 'manage');
  return knex.transaction(async (trx) => {
    await existingHost(trx, hostId, { lock: true });
    const before = await repository.findContact(trx, hostId, contactId, { lock: true });
    if (!before) throw new NotFoundError('host');
    const name = `${before.first_name} ${before.last_name}`;
    if (await usage.contactInUse(trx, contactId)) throw new RuleViolation({ _form: t('hosts.errors.contactInUse', { name }) }, 'conflict');
    await repository.softDelete(trx, 'host_contact', contactId, context.actor.login);
    await recordChange(trx, context, { action: 'host_contact.delete', entity: 'host_contact', entityId: contactId, before, after: { deleted: true } });
    return name;
  });
}
