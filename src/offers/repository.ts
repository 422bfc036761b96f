import { visibleOffers, type OfferAudience } from './scope.ts';
import type { Db } from '../db/knex.ts';

/** Every read and write of an existing offer goes through `visibleOffers`: an offer out of scope does not exist. */
export interface OfferRow {
  id: number;
  centre_id: number;
  host_id: number;
  state: 'saved' | 'published' | 'filled' | 'deleted';
  kind: 'form' | 'file' | 'link';
  offer_type: string;
  contract: string | null;
  title: string;
  reference: string | null;
  domain: string | null;
  missions: string | null;
  postal_code: string | null;
  town: string | null;
  country_code: string;
  paid: boolean | null;
  pay_details: string | null;
  start_month: number | null;
  start_year: number | null;
  start_details: string | null;
  duration_value: string | null;
  duration_unit: string | null;
  travel: boolean;
  driving_licence: boolean;
  working_time: string | null;
  working_time_comment: string | null;
  benefits: string | null;
  training_level: string | null;
  skills: string | null;
  application_modes: string[];
  comments: string | null;
  rqth_accessible: boolean;
  rqth_priority: boolean;
  application_contact_id: number | null;
  information_contact_id: number | null;
  host_shown: boolean;
  link_url: string | null;
  file_name: string | null;
  file_type: string | null;
  file_size: number | null;
  published_on: string | null;
  published_until: string | null;
  entered_by_company: boolean;
  to_moderate: boolean;
  academic_year: string;
  version: number;
  created_at: Date;
  created_by: string;
  updated_at: Date;
  updated_by: string;
}

// Everything but the file's bytes, which only the download reads.
const OFFER_COLUMNS = [
  'id',
  'centre_id',
  'host_id',
  'state',
  'kind',
  'offer_type',
  'contract',
  'title',
  'reference',
  'domain',
  'missions',
  'postal_code',
  'town',
  'country_code',
  'paid',
  'pay_details',
  'start_month',
  'start_year',
  'start_details',
  'duration_value',
  'duration_unit',
  'travel',
  'driving_licence',
  'working_time',
  'working_time_comment',
  'benefits',
  'training_level',
  'skills',
  'application_modes',
  'comments',
  'rqth_accessible',
  'rqth_priority',
  'application_contact_id',
  'information_contact_id',
  'host_shown',
  'link_url',
  'file_name',
  'file_type',
  'file_size',
  'published_on',
  'published_until',
  'entered_by_company',
  'to_moderate',
  'academic_year',
  'version',
  'created_at',
  'created_by',
  'updated_at',
  'updated_by',
].map((column) => `o.${column}`);

const DATES = ["to_char(o.published_on, 'YYYY-MM-DD') AS published_on", "to_char(o.published_until, 'YYYY-MM-DD') AS published_until"];

export async function findVisibleOffer(db: Db, audience: OfferAudience, id: number, options: { lock?: boolean } = {}): Promise<OfferRow | undefined> {
  const query = visibleOffers(db, audience)
    .where('o.id', id)
    .first([...OFFER_COLUMNS.filter((column) => column !== 'o.published_on' && column !== 'o.published_until'), ...DATES.map((date) => db.raw(date))]);
  if (options.lock) query.forUpdate();
  return (await query) as OfferRow | undefined;
}

export async function findVisibleOfferFile(
  db: Db,
  audience: OfferAudience,
  id: number,
): Promise<{ file_name: string; file_type: string; file_content: Buffer } | undefined> {
  return (await visibleOffers(db, audience).where('o.id', id).whereNotNull('o.file_content').first('o.file_name', 'o.file_type', 'o.file_content')) as
    { file_name: string; file_type: string; file_content: Buffer } | undefined;
}

export async function insertOffer(db: Db, values: Record<string, unknown>, login: string): Promise<number> {
  const [row] = (await db('offer')
    .insert({ ...values, created_by: login, updated_by: login })
    .returning('id')) as { id: number }[];
  return row!.id;
}

/** Changes an offer at the version the change was decided on; false when it was changed meanwhile. */
export async function updateOffer(
  db: Db,
  audience: OfferAudience,
  id: number,
  version: number,
  values: Record<string, unknown>,
  login: string,
): Promise<boolean> {
  const count = await visibleOffers(db, audience)
    .where('o.id', id)
    .where('o.version', version)
    .update({ ...values, version: version + 1, updated_at: db.fn.now(), updated_by: login });
  return Number(count) === 1;
}

export async function listTargets(db: Db, offerId: number): Promise<{ id: number; name: string }[]> {
  return (await db('offer_target as ot')
    .join('centre as c', 'c.id', 'ot.centre_id')
    .where('ot.offer_id', offerId)
    .orderBy('c.name')
    .select('c.id', 'c.name')) as {
    id: number;
    name: string;
  }[];
}

export async function replaceTargets(db: Db, offerId: number, centreIds: readonly number[]): Promise<void> {
  await db('offer_target').where({ offer_id: offerId }).delete();
  if (centreIds.length > 0) await db('offer_target').insert(centreIds.map((centreId) => ({ offer_id: offerId, centre_id: centreId })));
}

export interface CentreChoice {
  id: number;
  name: string;
  level: string;
}

export async function listCentres(db: Db): Promise<CentreChoice[]> {
  return (await db('centre').orderBy('name').select('id', 'name', 'level')) as CentreChoice[];
}

export async function findCompanyCentre(db: Db): Promise<CentreChoice | undefined> {
  return (await db('centre').where({ level: 'ENTREPRISE' }).orderBy('id').first('id', 'name', 'level')) as CentreChoice | undefined;
}

export interface ContactChoice {
  id: number;
  first_name: string;
  last_name: string;
  function: string | null;
  phone: string | null;
  email: string | null;
  service_name: string;
}

/** The contacts of a host with their service, for the pickers and the offer page. */
export async function listHostContacts(db: Db, hostId: number): Promise<ContactChoice[]> {
  return (await db('host_contact as hc')
    .join('host_service as hs', 'hs.id', 'hc.service_id')
    .where('hc.host_id', hostId)
    .whereNull('hc.deleted_at')
    .orderBy(['hs.name', 'hc.last_name', 'hc.first_name'])
    .select('hc.id', 'hc.first_name', 'hc.last_name', 'hc.function', 'hc.phone', 'hc.email', 'hs.name as service_name')) as ContactChoice[];
}

export async function listTargetIds(db: Db, offerId: number): Promise<number[]> {
  return (await db('offer_target').where({ offer_id: offerId }).pluck('centre_id')) as number[];
}

export async function findCentreName(db: Db, centreId: number): Promise<{ id: number; name: string }> {
  return (await db('centre').where({ id: centreId }).first('id', 'name')) as { id: number; name: string };
}

export interface HostSummary {
  id: number;
  name: string;
  address: string | null;
  postal_code: string | null;
  town: string | null;
  country_code: string;
  phone: string | null;
  email: string | null;
  website: string | null;
}

/** The host an offer names; a host deleted from the directory since is still shown on its offers. */
export async function findHostSummary(db: Db, hostId: number): Promise<HostSummary | undefined> {
  return (await db('host').where({ id: hostId }).first('id', 'name', 'address', 'postal_code', 'town', 'country_code', 'phone', 'email', 'website')) as
    HostSummary | undefined;
}

/** A host that may be chosen for an offer: one of the directory, not deleted. */
export async function findChoosableHost(db: Db, hostId: number): Promise<{ id: number; name: string } | undefined> {
  return (await db('host').where({ id: hostId }).whereNull('deleted_at').first('id', 'name')) as { id: number; name: string } | undefined;
}
