import type { Knex } from 'knex';
import { readLogo } from '../centres/repository.ts';
import { type Actor } from '../access/actor.ts';
import * as hostRepository from '../hosts/repository.ts';
import {
  type AmendmentRow,
  amendmentOf,
  changeRows,
  type ConventionDetails,
  labeller,
  loadLegalParameters,
  loadReferenceChoices,
  openConvention,
} from '../conventions/index.ts';
import { ForbiddenError } from '../errors.ts';
import { translator } from '../i18n/index.ts';
import { mayPrint, type PrintRule } from '../access/policy.ts';
import { computePresence, type DurationParameters, type Presence } from '../rules/presence-hours.ts';
import { formatSiret } from '../rules/siret.ts';
import { hoursToMinutes } from '../rules/units.ts';

/**
 * What the documents print, gathered once the person's right to print is established. The convention
 * is read only through the conventions module's scoped `openConvention` (visibility by actor); the
 * printing right (a centre setting, docs/domain.md) is then checked here, on the server, for every document.
 */

export interface CentreForPrint {
  id: number;
  name: string;
  address: string | null;
  postal_code: string | null;
  town: string | null;
  phone: string | null;
  email: string | null;
  signing_officer_name: string | null;
  signing_officer_title: string | null;
  copies: number;
  student_print_rule: PrintRule;
  logo: Buffer | null;
}

export interface ContactForPrint {
  civility: string | null;
  first_name: string;
  last_name: string;
  function: string | null;
  phone: string | null;
  email: string | null;
}

export interface DocumentData {
  convention: ConventionDetails;
  centre: CentreForPrint;
  host: {
    name: string;
    siret: string | null;
    naf: string | null;
    address: string | null;
    country: string | null;
    phone: string | null;
    email: string | null;
  } | null;
  service: { name: string; address: string | null } | null;
  tutor: ContactForPrint | null;
  signatory: ContactForPrint | null;
  /** Label of a reference code ('' for none). */
  label: ReturnType<typeof labeller>;
  /** Computed from the dates, schedule and interruptions (D124-6); null while the dates are incomplete. */
  presence: Presence | null;
  /** Legal texts of D124-4, by position (database rows). */
  mentions: string[];
}

async function centreForPrint(db: Knex, centreId: number): Promise<CentreForPrint> {
  const row = (await db('centre')
    .where({ id: centreId })
    .first(
      'id',
      'name',
      'address',
      'postal_code',
      'town',
      'phone',
      'email',
      'signing_officer_name',
      'signing_officer_title',
      'copies',
      'student_print_rule',
      'logo_mime_type',
    )) as Omit<CentreForPrint, 'logo'> & { logo_mime_type: string | null };
  const logo = row.logo_mime_type ? await readLogo(db, centreId) : undefined;
  return { ...row, copies: row.copies ?? 3, logo: logo?.bytes ?? null };
}

function contact(record: hostRepository.ContactRecord | undefined): ContactForPrint | null {
  if (!record) return null;
  return {
    civility: record.civility_label,
    first_name: record.first_name,
    last_name: record.last_name,
    function: record.function,
    phone: record.phone,
    email: record.email,
  };
}

const joined = (...parts: (string | null | undefined)[]) => parts.filter((part): part is string => typeof part === 'string' && part.trim() !== '').join(' ');

export function presenceOf(convention: ConventionDetails, parameters: DurationParameters): Presence | null {
  if (!convention.start_date || !convention.end_date || convention.days_per_week === null || convention.hours_per_week === null) return null;
  try {
    return computePresence(
      {
        startDate: convention.start_date,
        endDate: convention.end_date,
        daysPerWeek: Number(convention.days_per_week),
        hoursPerWeek: convention.hours_per_week,
        interruptions: convention.interruptions,
      },
      parameters,
    );
  } catch {
    return null;
  }
}

/**
 * Total gratification of the internship, in cents: hourly amount × hours of presence; a monthly amount
 * × the months of presence, a month being the smoothed month of the weekly schedule (52 weeks / 12).
 */
export function totalGratificationCents(convention: ConventionDetails, presence: Presence | null): number {
  if (!convention.gratification || convention.gratification_amount_cents === null || presence === null) return 0;
  if (convention.gratification_per === 'hour') return Math.round((convention.gratification_amount_cents * presence.totalMinutes) / 60);
  const weeklyMinutes = convention.hours_per_week === null ? 0 : hoursToMinutes(convention.hours_per_week);
  if (weeklyMinutes === 0) return 0;
  return Math.round((convention.gratification_amount_cents * presence.totalMinutes * 12) / (weeklyMinutes * 52));
}

export type DocumentKind = 'convention' | 'summary' | 'certificate';

/**
 * The data of a document of convention `number`, for `actor`: not visible → NotFoundError (404);
 * visible but not printable by this person, or a certificate before validation → ForbiddenError (403).
 */
export async function documentData(db: Knex, actor: Actor, number: number, kind: DocumentKind): Promise<DocumentData> {
  return documentDataOf(db, actor, (await openConvention(db, actor, { number }, 'view')).convention, kind);
}

/** The data of a document of a convention the actor has already opened (the printing right is checked here). */
async function documentDataOf(db: Knex, actor: Actor, convention: ConventionDetails, kind: DocumentKind): Promise<DocumentData> {
  const centre = await centreForPrint(db, convention.centre_id);
  if (!mayPrint(actor, convention, centre.student_print_rule)) throw new ForbiddenError('documents.errors.printNotAllowed');
  if (kind === 'certificate' && convention.status !== 'validated') throw new ForbiddenError('documents.errors.notValidated');
  const hostId = convention.host_id;
  const [host, labels, service, tutor, signatory, choices, parameters, mentionRows] = await Promise.all([
    hostId === null ? undefined : hostRepository.findHost(db, hostId),
    hostId === null ? undefined : hostRepository.findHostLabels(db, hostId),
    hostId === null || convention.service_id === null ? undefined : hostRepository.findService(db, hostId, convention.service_id),
    hostId === null || convention.tutor_id === null ? undefined : hostRepository.findContact(db, hostId, convention.tutor_id),
    hostId === null || convention.signatory_id === null ? undefined : hostRepository.findContact(db, hostId, convention.signatory_id),
    loadReferenceChoices(db),
    loadLegalParameters(db),
    db('legal_mention').where({ article: 'D124-4' }).orderBy('position').select('text') as Promise<{ text: string }[]>,
  ]);
  const hostAddress = host ? joined(host.address, joined(host.postal_code, host.town)) : '';
  return {
    convention,
    centre,
    host: host
      ? {
          name: host.name,
          siret: host.siret ? formatSiret(host.siret) : null,
          naf: host.naf_code ? joined(host.naf_code, labels?.naf_label ? `– ${labels.naf_label}` : null) : null,
          address: hostAddress || null,
          country: labels?.country_label ?? null,
          phone: host.phone,
          email: host.email,
        }
      : null,
    service: service
      ? { name: service.name, address: service.same_address_as_host ? null : joined(service.address, joined(service.postal_code, service.town)) || null }
      : null,
    tutor: contact(tutor),
    signatory: contact(signatory),
    label: labeller(choices),
    presence: presenceOf(convention, parameters),
    mentions: mentionRows.map((row) => row.text),
  };
}

export interface AmendmentDocumentData extends DocumentData {
  amendment: AmendmentRow;
  /** The changed values, before (the effective values when the amendment was made) and after, as the pages show them. */
  changes: { label: string; before: string; after: string }[];
}

/**
 * The data of amendment `amendmentNumber` of convention `number`: the convention and the amendment must be
 * visible to the actor (else ConventionNotFoundError, 404), and the actor may print the convention (else 403).
 */
export async function amendmentDocumentData(db: Knex, actor: Actor, number: number, amendmentNumber: number): Promise<AmendmentDocumentData> {
  const open = await openConvention(db, actor, { number }, 'view');
  const view = await amendmentOf(db, open, amendmentNumber);
  const data = await documentDataOf(db, actor, open.convention, 'convention');
  const changes = await changeRows(db, translator('fr'), view.amendment, view.before);
  return { ...data, amendment: view.amendment, changes };
}
