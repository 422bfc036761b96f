import type { DepositContact, DepositNewHost, DepositOffer } from './deposit-schemas.ts';
import { visibleOffers, type OfferAudience } from './scope.ts';
import type { Db } from '../db/knex.ts';

/**
 * Knex queries of the company deposit: the secret links, the reference lists of the public
 * form, and the rows a company's offer creates. No rights here: the service checks them first.
 */
// ---------------------------------------------------------------------------------------------------
// Company centres and their links
// ---------------------------------------------------------------------------------------------------

export interface CompanyCentre {
  id: number;
  name: string;
  link_created_at: Date | null;
  link_created_by: string | null;
}

/** The ENTREPRISE-level centres, with the date and author of their current link if any. */
export async function listCompanyCentres(db: Db): Promise<CompanyCentre[]> {
  return (await db('centre as c')
    .leftJoin('offer_deposit_link as l', 'l.centre_id', 'c.id')
    .where('c.level', 'ENTREPRISE')
    .orderBy('c.name')
    .select('c.id', 'c.name', 'l.created_at as link_created_at', 'l.created_by as link_created_by')) as CompanyCentre[];
}

/** Replaces the centre's link: the previous secret stops working in the same statement. */
export async function replaceLink(db: Db, centreId: number, secretSha256: string, login: string): Promise<void> {
  await db('offer_deposit_link')
    .insert({ centre_id: centreId, secret_sha256: secretSha256, created_by: login })
    .onConflict('centre_id')
    .merge({ secret_sha256: secretSha256, created_by: login, created_at: db.fn.now() });
}

/** The company centre whose link has this hash, if any. */
export async function findCentreByLinkHash(db: Db, secretSha256: string): Promise<number | null> {
  const row = (await db('offer_deposit_link').where({ secret_sha256: secretSha256 }).first('centre_id')) as { centre_id: number } | undefined;
  return row?.centre_id ?? null;
}

// ---------------------------------------------------------------------------------------------------
// Reference lists of the form
// ---------------------------------------------------------------------------------------------------

export const DEPOSIT_LISTS = [
  'countries',
  'civilities',
  'offerTypes',
  'offerContracts',
  'durationUnits',
  'workingTime',
  'trainingLevels',
  'applicationModes',
] as const;
export type DepositList = (typeof DEPOSIT_LISTS)[number];

export interface DepositEntry {
  code: string;
  label: string;
  /** Inactive entries are neither offered nor accepted: a company creates new records only. */
  active: boolean;
  attributes: Record<string, unknown>;
}

export type DepositReferences = Record<DepositList, Map<string, DepositEntry>>;

/** Every list of the form, each in its reference order, in one query. */
export async function loadDepositReferences(db: Db): Promise<DepositReferences> {
  const rows = (await db('reference_item')
    .whereIn('list', DEPOSIT_LISTS)
    .orderBy(['list', 'position'])
    .select('list', 'code', 'label', 'active', 'attributes')) as (DepositEntry & {
    list: DepositList;
  })[];
  const references = Object.fromEntries(DEPOSIT_LISTS.map((list) => [list, new Map<string, DepositEntry>()])) as DepositReferences;
  for (const { list, ...entry } of rows) references[list].set(entry.code, entry);
  return references;
}

// ---------------------------------------------------------------------------------------------------
// What a deposit creates
// ---------------------------------------------------------------------------------------------------

/** The host (not deleted) that has this SIRET. */
export async function findHostIdBySiret(db: Db, siret: string): Promise<number | null> {
  const row = (await db('host').where({ siret }).whereNull('deleted_at').first('id')) as { id: number } | undefined;
  return row?.id ?? null;
}

/** A host described by a company: flagged "to check" so that staff complete and validate it. */
export async function insertHost(db: Db, host: DepositNewHost, author: string): Promise<Record<string, unknown>> {
  const [row] = (await db('host')
    .insert({
      name: host.name,
      siret: host.siret,
      address: host.address,
      postal_code: host.postal_code,
      town: host.town,
      country_code: host.country_code,
      phone: host.phone,
      email: host.email,
      to_check: true,
      created_by: author,
      updated_by: author,
    })
    .returning(['id', 'name', 'siret', 'address', 'postal_code', 'town', 'country_code', 'phone', 'email', 'to_check'])) as Record<string, unknown>[];
  return row!;
}

/** The host's service of this name (accents and case aside), as the unique index compares them. */
export async function findServiceId(db: Db, hostId: number, name: string): Promise<number | null> {
  const row = (await db('host_service')
    .where({ host_id: hostId })
    .whereNull('deleted_at')
    .whereRaw('name_search = lower(immutable_unaccent(?))', [name])
    .first('id')) as { id: number } | undefined;
  return row?.id ?? null;
}

export async function insertService(db: Db, hostId: number, name: string, author: string): Promise<Record<string, unknown>> {
  const [row] = (await db('host_service')
    .insert({ host_id: hostId, name, same_address_as_host: true, created_by: author, updated_by: author })
    .returning(['id', 'host_id', 'name', 'same_address_as_host'])) as Record<string, unknown>[];
  return row!;
}

export async function insertContact(db: Db, hostId: number, serviceId: number, contact: DepositContact, author: string): Promise<Record<string, unknown>> {
  const [row] = (await db('host_contact')
    .insert({ host_id: hostId, service_id: serviceId, ...contact, created_by: author, updated_by: author })
    .returning(['id', 'host_id', 'service_id', 'civility', 'last_name', 'first_name', 'function', 'phone', 'email'])) as Record<string, unknown>[];
  return row!;
}

export interface NewOffer extends DepositOffer {
  centre_id: number;
  host_id: number;
  application_contact_id: number;
  academic_year: string;
}

/** An offer entered by a company: a saved form, unpublished and flagged "to moderate". */
export async function insertOffer(db: Db, offer: NewOffer, author: string): Promise<Record<string, unknown>> {
  const [row] = (await db('offer')
    .insert({ ...offer, state: 'saved', kind: 'form', entered_by_company: true, to_moderate: true, created_by: author, updated_by: author })
    .returning('*')) as Record<string, unknown>[];
  return row!;
}

// ---------------------------------------------------------------------------------------------------
// Moderation
// ---------------------------------------------------------------------------------------------------

export interface ModeratedOffer {
  id: number;
  centre_id: number;
  to_moderate: boolean;
  version: number;
}

/** An offer the audience may see and that is not deleted, locked until the end of the transaction. */
export async function findOfferForUpdate(db: Db, audience: OfferAudience, offerId: number): Promise<ModeratedOffer | undefined> {
  return (await visibleOffers(db, audience)
    .where('o.id', offerId)
    .whereNot('o.state', 'deleted')
    .forUpdate('o')
    .first('o.id', 'o.centre_id', 'o.to_moderate', 'o.version')) as ModeratedOffer | undefined;
}

export async function markModerated(db: Db, offerId: number, login: string): Promise<void> {
  await db('offer')
    .where({ id: offerId })
    .update({ to_moderate: false, version: db.raw('version + 1'), updated_by: login, updated_at: db.fn.now() });
}
