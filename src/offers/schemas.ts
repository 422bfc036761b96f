import { z } from 'zod';
import { t } from '../i18n/index.ts';
import { checkbox, optionalText, requiredText } from '../web/form-fields.ts';
import { parseForm, type FieldErrors, type FormResult } from '../web/forms.ts';
import { TYPES_WITH_CONTRACT, type OfferReferenceEntry, type OfferReferences } from './references.ts';

/**
 * The forms of an offer, one per block of its page (managing centre, host and contacts, details,
 * file or link, publication); the creation form is all of them at once. Rules that depend on another
 * field (the contract of a type, the fields of a kind) are checked here too, so every error shows at once.
 */
const message = (key: string) => t(`offers.validation.${key}`);

export const OFFER_KINDS = ['form', 'file', 'link'] as const;
export type OfferKind = (typeof OFFER_KINDS)[number];

export const MAX_LENGTHS = {
  title: 200,
  reference: 50,
  domain: 200,
  town: 100,
  postalCode: 20,
  missions: 10000,
  skills: 5000,
  comments: 5000,
  benefits: 2000,
  details: 500,
  link: 500,
} as const;

const record = (input: unknown): Record<string, unknown> => (input && typeof input === 'object' ? (input as Record<string, unknown>) : {});
const id = (key: string) =>
  z
    .string({ error: message(key) })
    .regex(/^[1-9][0-9]{0,9}$/, message(key))
    .transform(Number);
const optionalId = (key: string) => z.preprocess((value) => (value === '' ? undefined : value), id(key).optional()).transform((value) => value ?? null);
const yesNo = z
  .preprocess((value) => (value === '' || value === undefined ? null : value), z.enum(['yes', 'no'], { error: () => message('yesNo') }).nullable())
  .transform((value) => (value === null ? null : value === 'yes'));
const code = (entries: Map<string, OfferReferenceEntry>) => z.string({ error: message('choose') }).refine((value) => entries.has(value), message('choose'));
const optionalCode = (entries: Map<string, OfferReferenceEntry>) =>
  z.preprocess((value) => (value === '' ? undefined : value), code(entries).optional()).transform((value) => value ?? null);
const optionalNumber = (min: number, max: number, key: string) =>
  z
    .preprocess((value) => (typeof value === 'string' ? value.trim().replace(',', '.') : value), z.string().optional())
    .transform((value, ctx) => {
      if (value === undefined || value === '') return null;
      const number = Number(value);
      if (!Number.isFinite(number) || number < min || number > max) {
        ctx.addIssue({ code: 'custom', message: message(key) });
        return z.NEVER;
      }
      return number;
    });

/** Lists the errors in the order of the form's fields, the form-wide ones first. */
function ordered(errors: FieldErrors, fields: readonly string[]): FieldErrors {
  const sorted: FieldErrors = {};
  if (errors._form) sorted._form = errors._form;
  for (const field of fields) if (errors[field]) sorted[field] = errors[field];
  return { ...sorted, ...errors };
}

function merge<T extends object>(results: FormResult<Partial<T>>[], fields: readonly string[]): FormResult<T> {
  const errors: FieldErrors = {};
  const value: Partial<T> = {};
  for (const result of results) {
    if (result.ok) Object.assign(value, result.value);
    else Object.assign(errors, result.errors);
  }
  return Object.keys(errors).length > 0 ? { ok: false, errors: ordered(errors, fields) } : { ok: true, value: value as T };
}

// ---------------------------------------------------------------------------------------------------
// Managing centre
// ---------------------------------------------------------------------------------------------------

export interface CentreInput {
  centre_id: number;
}

export function validateCentre(allowedCentreIds: ReadonlySet<number>, input: unknown): FormResult<CentreInput> {
  return parseForm(z.object({ centre_id: id('centre').refine((value) => allowedCentreIds.has(value), message('centre')) }), {
    centre_id: record(input).centre_id,
  });
}

// ---------------------------------------------------------------------------------------------------
// Contacts (in services of the host) and what students see of the host
// ---------------------------------------------------------------------------------------------------

export interface ContactsInput {
  application_contact_id: number | null;
  information_contact_id: number | null;
  host_shown: boolean;
}

/** The application contact is mandatory for an offer entered with the full form (a file or a page says how to apply). */
export function validateContacts(contactIds: ReadonlySet<number>, kind: OfferKind | null, input: unknown): FormResult<ContactsInput> {
  const raw = record(input);
  const ofHost = (key: string) => optionalId(key).refine((value) => value === null || contactIds.has(value), message(key));
  const schema = z
    .object({ application_contact_id: ofHost('applicationContact'), information_contact_id: ofHost('informationContact'), host_shown: checkbox })
    .superRefine((value, ctx) => {
      if (kind === 'form' && value.application_contact_id === null)
        ctx.addIssue({ code: 'custom', path: ['application_contact_id'], message: message('applicationContact') });
    });
  return parseForm(schema, {
    application_contact_id: raw.application_contact_id,
    information_contact_id: raw.information_contact_id,
    host_shown: raw.host_shown,
  });
}

// ---------------------------------------------------------------------------------------------------
// Details: type, contract, title and, for the full form, the description of the post
// ---------------------------------------------------------------------------------------------------

export const DETAIL_FIELDS = [
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
] as const;

function summarySchema(references: OfferReferences) {
  return z
    .object({
      offer_type: code(references.offerTypes),
      contract: optionalCode(references.offerContracts),
      title: requiredText(MAX_LENGTHS.title),
    })
    .superRefine((value, ctx) => {
      const needsContract = TYPES_WITH_CONTRACT.has(value.offer_type);
      const contract = value.contract === null ? null : references.offerContracts.get(value.contract);
      if (needsContract && (!contract || contract.offerType !== value.offer_type))
        ctx.addIssue({ code: 'custom', path: ['contract'], message: message('contract') });
      if (!needsContract && value.contract !== null) ctx.addIssue({ code: 'custom', path: ['contract'], message: message('noContract') });
    });
}

function descriptionSchema(references: OfferReferences) {
  return z
    .object({
      reference: optionalText(MAX_LENGTHS.reference),
      domain: optionalText(MAX_LENGTHS.domain),
      missions: requiredText(MAX_LENGTHS.missions),
      postal_code: optionalText(MAX_LENGTHS.postalCode),
      town: optionalText(MAX_LENGTHS.town),
      country_code: code(references.countries),
      paid: yesNo,
      pay_details: optionalText(MAX_LENGTHS.details),
      start_month: optionalNumber(1, 12, 'startMonth'),
      start_year: optionalNumber(2000, 2100, 'startYear'),
      start_details: optionalText(MAX_LENGTHS.details),
      duration_value: optionalNumber(0.5, 9999, 'duration'),
      duration_unit: optionalCode(references.durationUnits),
      travel: checkbox,
      driving_licence: checkbox,
      working_time: optionalCode(references.workingTime),
      working_time_comment: optionalText(MAX_LENGTHS.details),
      benefits: optionalText(MAX_LENGTHS.benefits),
      training_level: optionalCode(references.trainingLevels),
      skills: optionalText(MAX_LENGTHS.skills),
      application_modes: z
        .preprocess((value) => (value === undefined ? [] : [value].flat()), z.array(z.string()))
        .refine((values) => values.every((value) => references.applicationModes.has(value)), message('choose'))
        .transform((values) => [...new Set(values)]),
      comments: optionalText(MAX_LENGTHS.comments),
      rqth_accessible: checkbox,
      rqth_priority: checkbox,
    })
    .superRefine((value, ctx) => {
      if (value.duration_value !== null && value.duration_unit === null)
        ctx.addIssue({ code: 'custom', path: ['duration_unit'], message: message('durationUnit') });
      if (value.start_month !== null && !Number.isInteger(value.start_month))
        ctx.addIssue({ code: 'custom', path: ['start_month'], message: message('startMonth') });
      if (value.start_year !== null && !Number.isInteger(value.start_year))
        ctx.addIssue({ code: 'custom', path: ['start_year'], message: message('startYear') });
    });
}

export type DetailsInput = z.output<ReturnType<typeof summarySchema>> & Partial<z.output<ReturnType<typeof descriptionSchema>>>;

/** With a file or a link, the offer is its title, type and contract: the description is in the document. */
export function validateDetails(references: OfferReferences, kind: OfferKind, input: unknown): FormResult<DetailsInput> {
  const raw = record(input);
  const pick = (fields: readonly string[]) => Object.fromEntries(fields.map((field) => [field, raw[field]]));
  const summary = parseForm(summarySchema(references), pick(['offer_type', 'contract', 'title']));
  if (kind !== 'form') return merge<DetailsInput>([summary], DETAIL_FIELDS);
  return merge<DetailsInput>([summary, parseForm(descriptionSchema(references), pick(DETAIL_FIELDS))], DETAIL_FIELDS);
}

/** The description columns emptied when an offer is a file or a link. */
export const EMPTY_DESCRIPTION = {
  reference: null,
  domain: null,
  missions: null,
  postal_code: null,
  town: null,
  country_code: 'FR',
  paid: null,
  pay_details: null,
  start_month: null,
  start_year: null,
  start_details: null,
  duration_value: null,
  duration_unit: null,
  travel: false,
  driving_licence: false,
  working_time: null,
  working_time_comment: null,
  benefits: null,
  training_level: null,
  skills: null,
  application_modes: [] as string[],
  comments: null,
  rqth_accessible: false,
  rqth_priority: false,
};

// ---------------------------------------------------------------------------------------------------
// Kind: the full form, a file (checked apart, from its bytes) or a link
// ---------------------------------------------------------------------------------------------------

export interface KindInput {
  kind: OfferKind;
  link_url: string | null;
}

export function validateKind(input: unknown): FormResult<KindInput> {
  const raw = record(input);
  const schema = z
    .object({
      kind: z.enum(OFFER_KINDS, { error: message('kind') }),
      link_url: optionalText(MAX_LENGTHS.link).refine((value) => value === null || /^https?:\/\/[^\s]+\.[^\s]+$/i.test(value), message('link')),
    })
    .superRefine((value, ctx) => {
      if (value.kind === 'link' && value.link_url === null) ctx.addIssue({ code: 'custom', path: ['link_url'], message: message('link') });
    })
    .transform((value) => ({ ...value, link_url: value.kind === 'link' ? value.link_url : null }));
  return parseForm(schema, { kind: raw.kind, link_url: raw.link_url });
}

// ---------------------------------------------------------------------------------------------------
// Publication
// ---------------------------------------------------------------------------------------------------

export const PUBLICATION_MONTHS = Array.from({ length: 12 }, (_, index) => index + 1);

export interface PublicationInput {
  months: number;
  /** The other centres it is published to (besides the managing centre). */
  targetCentreIds: number[];
}

/** 1 to 12 months; the target centres among those listed, or all of them. */
export function validatePublication(centreIds: readonly number[], input: unknown): FormResult<PublicationInput> {
  const raw = record(input);
  const known = new Set(centreIds);
  const schema = z.object({
    months: z
      .string({ error: message('months') })
      .regex(/^(?:[1-9]|1[0-2])$/, message('months'))
      .transform(Number),
    all_centres: checkbox,
    targets: z
      .preprocess(
        (value) => (value === undefined ? [] : [value].flat()),
        z.array(
          z
            .string()
            .regex(/^[1-9][0-9]{0,9}$/, message('targets'))
            .transform(Number),
        ),
      )
      .refine((values) => values.every((value) => known.has(value)), message('targets')),
  });
  const parsed = parseForm(schema, { months: raw.months, all_centres: raw.all_centres, targets: raw.targets });
  if (!parsed.ok) return parsed;
  return { ok: true, value: { months: parsed.value.months, targetCentreIds: parsed.value.all_centres ? [...centreIds] : [...new Set(parsed.value.targets)] } };
}

/** The version a form was opened at; anything else than a positive integer is a forged form (400). */
export function versionOf(input: unknown): number | null {
  const value = record(input).version;
  return typeof value === 'string' && /^[1-9][0-9]{0,8}$/.test(value) ? Number(value) : null;
}
