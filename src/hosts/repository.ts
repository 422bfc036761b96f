import type { Knex } from 'knex';
import type { ContactInput, HostInput, HostSearchCriteria, ServiceInput } from './schemas.ts';
import { postalPrefixOf } from './schemas.ts';
import { containing } from '../db/text-search.ts';
import type { Db } from '../db/knex.ts';

/**
 * Knex queries of the host directory. No rights here: every function is reached through the service,
 * which checks the actor first. Deleted records (`deleted_at` set) are never returned.
 */
// ---------------------------------------------------------------------------------------------------
// Hosts
// ---------------------------------------------------------------------------------------------------

export interface HostRecord extends HostInput {
  id: number;
  to_check: boolean;
  checked_by: string | null;
  checked_at: Date | null;
  created_at: Date;
  created_by: string | null;
  updated_at: Date;
  updated_by: string | null;
  version: number;
}

const HOST_COLUMNS = [
  'id',
  'name',
  'siret',
  'naf_code',
  'legal_status_code',
  'host_type_code',
  'headcount_code',
  'address',
  'postal_code',
  'town',
  'country_code',
  'phone',
  'email',
  'website',
  'to_check',
  'checked_by',
  'checked_at',
  'created_at',
  'created_by',
  'updated_at',
  'updated_by',
  'version',
];

export async function findHost(db: Db, id: number, options: { lock?: boolean } = {}): Promise<HostRecord | undefined> {
  const query = db('host').where({ id }).whereNull('deleted_at').first(HOST_COLUMNS);
  if (options.lock) query.forUpdate();
  return (await query) as HostRecord | undefined;
}

/** The labels of a host's reference codes, for its sheet. */
export interface HostLabels {
  naf_label: string | null;
  legal_status_label: string | null;
  host_type_label: string | null;
  headcount_label: string | null;
  country_label: string | null;
}

export async function findHostLabels(db: Db, id: number): Promise<HostLabels | undefined> {
  const label = (alias: string, list: string, column: string) => (join: Knex.JoinClause) =>
    join.on(`${alias}.code`, `h.${column}`).andOnVal(`${alias}.list`, list);
  return (await db('host as h')
    .leftJoin('reference_item as naf', label('naf', 'nafClasses', 'naf_code'))
    .leftJoin('reference_item as ls', label('ls', 'legalStatuses', 'legal_status_code'))
    .leftJoin('reference_item as ht', label('ht', 'hostTypes', 'host_type_code'))
    .leftJoin('reference_item as hc', label('hc', 'headcountBands', 'headcount_code'))
    .leftJoin('reference_item as co', label('co', 'countries', 'country_code'))
    .where('h.id', id)
    .first(
      'naf.label as naf_label',
      'ls.label as legal_status_label',
      'ht.label as host_type_label',
      'hc.label as headcount_label',
      'co.label as country_label',
    )) as HostLabels | undefined;
}

/** The host (not deleted) that has this SIRET, other than `exceptId`. */
export async function findHostBySiret(db: Db, siret: string, exceptId?: number): Promise<{ id: number; name: string } | undefined> {
  const query = db('host').where({ siret }).whereNull('deleted_at').first('id', 'name');
  if (exceptId !== undefined) query.whereNot('id', exceptId);
  return (await query) as { id: number; name: string } | undefined;
}

export async function insertHost(db: Db, values: HostInput, login: string, toCheck: boolean): Promise<number> {
  const [row] = (await db('host')
    .insert({ ...values, to_check: toCheck, created_by: login, updated_by: login })
    .returning('id')) as { id: number }[];
  return row!.id;
}

/** Every save is a new version, so that a form opened before it can tell it is out of date. */
async function save(db: Db, table: string, id: number, columns: object, login: string): Promise<void> {
  await db(table)
    .where({ id })
    .update({ ...columns, version: db.raw('version + 1'), updated_at: db.fn.now(), updated_by: login });
}

export const updateHost = (db: Db, id: number, values: HostInput, login: string) => save(db, 'host', id, values, login);

export const markHostChecked = (db: Db, id: number, login: string) =>
  save(db, 'host', id, { to_check: false, checked_by: login, checked_at: db.fn.now() }, login);

export const softDelete = (db: Db, table: 'host' | 'host_service' | 'host_contact', id: number, login: string) =>
  save(db, table, id, { deleted_at: db.fn.now(), deleted_by: login }, login);

// ---------------------------------------------------------------------------------------------------
// Search
// ---------------------------------------------------------------------------------------------------

/**
 * The accent- and case-insensitive form of a typed text, as the `*_search` columns store their column
 * (`lower` after `unaccent`, so that "É" becomes "e" whatever the database's collation).
 */
const SEARCHABLE_PARAMETER = 'lower(immutable_unaccent(?))';

const words = (text: string | null): string[] => (text ? text.split(/\s+/).filter((word) => word !== '') : []);

/**
 * Every word must appear in the search column (trigram-indexed), in any order: "generale societe"
 * finds "Société Générale".
 */
function whereContainsWords(query: Knex.QueryBuilder, searchColumn: string, text: string | null): void {
  for (const word of words(text)) query.whereRaw(`?? LIKE ${SEARCHABLE_PARAMETER}`, [searchColumn, containing(word)]);
}

/** Postal codes of a French département (in France or a French overseas territory). */
function whereFrenchPostalPrefix(db: Db, query: Knex.QueryBuilder, prefix: string): void {
  query
    .where('h.postal_code', 'like', `${prefix}%`)
    .whereIn('h.country_code', db('reference_item').where({ list: 'countries' }).whereRaw("(attributes->>'siretRequired')::boolean").select('code'));
}

/** The hosts (not deleted) matching every criterion given; no criterion: every host. */
export function hostSearchQuery(db: Db, criteria: HostSearchCriteria): Knex.QueryBuilder {
  const query = db('host as h').whereNull('h.deleted_at');
  whereContainsWords(query, 'h.name_search', criteria.name);
  if (criteria.department) whereFrenchPostalPrefix(db, query, postalPrefixOf(criteria.department));
  // SIRET, NAF and phone are normalised by the schema (digits, "62.01Z" form): a prefix search on the index.
  if (criteria.siret) query.where('h.siret', 'like', `${criteria.siret}%`);
  if (criteria.naf) query.where('h.naf_code', 'like', `${criteria.naf}%`);
  if (criteria.phone) query.where('h.phone_digits', 'like', `${criteria.phone}%`);
  whereContainsWords(query, 'h.address_search', criteria.street);
  whereContainsWords(query, 'h.town_search', criteria.town);
  if (criteria.postal) {
    if (/^[0-9]{5}$/.test(criteria.postal)) query.where('h.postal_code', criteria.postal);
    else whereFrenchPostalPrefix(db, query, postalPrefixOf(criteria.postal));
  }
  if (criteria.country) query.where('h.country_code', criteria.country);
  if (criteria.service) {
    query.whereExists((services) => {
      services.select(db.raw('1')).from('host_service as s').whereRaw('s.host_id = h.id').whereNull('s.deleted_at');
      whereContainsWords(services, 's.name_search', criteria.service);
    });
  }
  return query;
}

export interface HostListRow {
  id: number;
  name: string;
  siret: string | null;
  address: string | null;
  postal_code: string | null;
  town: string | null;
  country_code: string;
  country_label: string | null;
  to_check: boolean;
}

/** One page of the matching hosts, sorted by name, with their country's label: one query. */
export async function searchHostPage(db: Db, criteria: HostSearchCriteria, limit: number, offset: number): Promise<HostListRow[]> {
  return (await hostSearchQuery(db, criteria)
    .leftJoin('reference_item as c', (join) => join.on('c.code', 'h.country_code').andOnVal('c.list', 'countries'))
    .orderBy(['h.name_search', 'h.id'])
    .limit(limit)
    .offset(offset)
    .select('h.id', 'h.name', 'h.siret', 'h.address', 'h.postal_code', 'h.town', 'h.country_code', 'c.label as country_label', 'h.to_check')) as HostListRow[];
}

export async function countHosts(db: Db, criteria: HostSearchCriteria): Promise<number> {
  const row = (await hostSearchQuery(db, criteria).count({ n: '*' }).first()) as { n: number } | undefined;
  return Number(row?.n ?? 0);
}

export interface HostToCheckRow extends HostListRow {
  created_at: Date;
  created_by: string | null;
}

/** Hosts created by students, waiting for staff to check them, oldest first. */
export async function listHostsToCheck(db: Db): Promise<HostToCheckRow[]> {
  return (await db('host as h')
    .leftJoin('reference_item as c', (join) => join.on('c.code', 'h.country_code').andOnVal('c.list', 'countries'))
    .where('h.to_check', true)
    .whereNull('h.deleted_at')
    .orderBy(['h.created_at', 'h.id'])
    .select(
      'h.id',
      'h.name',
      'h.siret',
      'h.address',
      'h.postal_code',
      'h.town',
      'h.country_code',
      'c.label as country_label',
      'h.to_check',
      'h.created_at',
      'h.created_by',
    )) as HostToCheckRow[];
}

// ---------------------------------------------------------------------------------------------------
// Services
// ---------------------------------------------------------------------------------------------------

export interface ServiceRecord extends ServiceInput {
  id: number;
  host_id: number;
  country_label: string | null;
  version: number;
  created_at: Date;
  created_by: string | null;
  updated_at: Date;
  updated_by: string | null;
}

const SERVICE_COLUMNS = [
  's.id',
  's.host_id',
  's.name',
  's.same_address_as_host',
  's.address',
  's.postal_code',
  's.town',
  's.country_code',
  'c.label as country_label',
  's.phone',
  's.version',
  's.created_at',
  's.created_by',
  's.updated_at',
  's.updated_by',
];

const services = (db: Db) =>
  db('host_service as s')
    .leftJoin('reference_item as c', (join) => join.on('c.code', 's.country_code').andOnVal('c.list', 'countries'))
    .whereNull('s.deleted_at');

export async function listServices(db: Db, hostId: number): Promise<ServiceRecord[]> {
  return (await services(db).where('s.host_id', hostId).orderBy(['s.name_search', 's.id']).select(SERVICE_COLUMNS)) as ServiceRecord[];
}

/** The service, if it belongs to this host: an id of another host's service is "not found". */
export async function findService(db: Db, hostId: number, serviceId: number, options: { lock?: boolean } = {}): Promise<ServiceRecord | undefined> {
  const query = services(db).where({ 's.id': serviceId, 's.host_id': hostId }).first(SERVICE_COLUMNS);
  if (options.lock) query.forUpdate('s');
  return (await query) as ServiceRecord | undefined;
}

export async function insertService(db: Db, hostId: number, values: ServiceInput, login: string): Promise<number> {
  const [row] = (await db('host_service')
    .insert({ ...values, host_id: hostId, created_by: login, updated_by: login })
    .returning('id')) as { id: number }[];
  return row!.id;
}

export const updateService = (db: Db, id: number, values: ServiceInput, login: string) => save(db, 'host_service', id, values, login);

export async function countContactsOfService(db: Db, serviceId: number): Promise<number> {
  const row = (await db('host_contact').where({ service_id: serviceId }).whereNull('deleted_at').count({ n: '*' }).first()) as { n: number } | undefined;
  return Number(row?.n ?? 0);
}

// ---------------------------------------------------------------------------------------------------
// Contacts
// ---------------------------------------------------------------------------------------------------

export interface ContactRecord extends ContactInput {
  id: number;
  host_id: number;
  service_name: string;
  civility_label: string | null;
  version: number;
  created_at: Date;
  created_by: string | null;
  updated_at: Date;
  updated_by: string | null;
}

const CONTACT_COLUMNS = [
  'k.id',
  'k.host_id',
  'k.service_id',
  's.name as service_name',
  'k.civility',
  'r.label as civility_label',
  'k.last_name',
  'k.first_name',
  'k.function',
  'k.phone',
  'k.email',
  'k.version',
  'k.created_at',
  'k.created_by',
  'k.updated_at',
  'k.updated_by',
];

const contacts = (db: Db) =>
  db('host_contact as k')
    .join('host_service as s', 's.id', 'k.service_id')
    .leftJoin('reference_item as r', (join) => join.on('r.code', 'k.civility').andOnVal('r.list', 'civilities'))
    .whereNull('k.deleted_at');

/** The contacts of a host, or of one of its services, by name. */
export async function listContacts(db: Db, hostId: number, serviceId?: number): Promise<ContactRecord[]> {
  const query = contacts(db).where('k.host_id', hostId);
  if (serviceId !== undefined) query.where('k.service_id', serviceId);
  return (await query.orderBy(['k.last_name', 'k.first_name', 'k.id']).select(CONTACT_COLUMNS)) as ContactRecord[];
}

export async function findContact(db: Db, hostId: number, contactId: number, options: { lock?: boolean } = {}): Promise<ContactRecord | undefined> {
  const query = contacts(db).where({ 'k.id': contactId, 'k.host_id': hostId }).first(CONTACT_COLUMNS);
  if (options.lock) query.forUpdate('k');
  return (await query) as ContactRecord | undefined;
}

export async function insertContact(db: Db, hostId: number, values: ContactInput, login: string): Promise<number> {
  const [row] = (await db('host_contact')
    .insert({ ...values, host_id: hostId, created_by: login, updated_by: login })
    .returning('id')) as { id: number }[];
  return row!.id;
}

export const updateContact = (db: Db, id: number, values: ContactInput, login: string) => save(db, 'host_contact', id, values, login);
