import { z } from 'zod';
import { t } from '../i18n/index.ts';
import { validateSiret } from '../rules/siret.ts';
import { validateEmail, validatePhone, validatePostalCode } from '../rules/contact-formats.ts';
import { optionalText, requiredText } from '../web/form-fields.ts';
import { parseForm, type FieldErrors, type FormResult } from '../web/forms.ts';
import type { DepositEntry, DepositReferences } from './deposit-repository.ts';

/**
 * The public form of the company deposit. It is reachable without signing in, so it trusts
 * nothing: every field has a maximum length (also given to the browser), codes must be active entries
 * of their reference list, and no field may contain HTML. Rules across fields (SIRET and postal code in
 * France, contract of the offer type, unit of a duration) are checked on the raw values, so that every
 * error shows at once.
 */
const message = (key: string, parameters?: Record<string, string | number>) => t(`offerDeposit.validation.${key}`, parameters);

export const DEPOSIT_MAX_LENGTHS = {
  siret: 20,
  hostName: 150,
  address: 300,
  postalCode: 20,
  town: 100,
  phone: 25,
  email: 254,
  title: 200,
  missions: 10000,
  year: 4,
  duration: 8,
  payDetails: 1000,
  skills: 5000,
  lastName: 100,
  firstName: 100,
  function: 150,
} as const;

/** The field names, in the order of the page: the error summary reads like the form. */
export const DEPOSIT_FIELDS = [
  'host_mode',
  'siret',
  'host_name',
  'host_address',
  'host_postal_code',
  'host_town',
  'host_country_code',
  'host_phone',
  'host_email',
  'title',
  'offer_type',
  'contract',
  'missions',
  'town',
  'postal_code',
  'country_code',
  'start_month',
  'start_year',
  'duration_value',
  'duration_unit',
  'working_time',
  'training_level',
  'paid',
  'pay_details',
  'skills',
  'application_modes',
  'contact_civility',
  'contact_last_name',
  'contact_first_name',
  'contact_function',
  'contact_email',
  'contact_phone',
] as const;

/** Anything that a browser would read as a tag: `<b>`, `</p>`, `<a href=…>`, `<!-- … -->`, `<?xml …>`. */
const HTML_TAG = /<\s*[/!?]?\s*[a-z][^>]*>|<!--/i;

type Ctx = { addIssue(issue: { code: 'custom'; message: string }): void };
const fail = (ctx: Ctx, text: string): never => {
  ctx.addIssue({ code: 'custom', message: text });
  return z.NEVER;
};

const requiredCode = (entries: Map<string, DepositEntry>) => requiredText(40).refine((value) => entries.get(value)?.active === true, message('chooseFromList'));
const optionalCode = (entries: Map<string, DepositEntry>) =>
  optionalText(40).refine((value) => value === null || entries.get(value)?.active === true, message('chooseFromList'));

const phoneCheck = (value: string, ctx: Ctx) => {
  const check = validatePhone(value);
  return check.valid ? check.value : fail(ctx, message('phone'));
};
const emailCheck = (value: string, ctx: Ctx) => {
  const check = validateEmail(value);
  return check.valid ? check.value : fail(ctx, message('email'));
};

/** A SIRET as printed ("732 829 320 00074"), kept as its 14 digits. */
const siretField = optionalText(DEPOSIT_MAX_LENGTHS.siret).transform((value, ctx) => {
  if (value === null) return null;
  const check = validateSiret(value);
  if (check.valid) return check.value;
  return fail(ctx, message(check.reason === 'checksum' ? 'siretChecksum' : 'siretFormat'));
});

const MONTHS: readonly string[] = ['1', '2', '3', '4', '5', '6', '7', '8', '9', '10', '11', '12'];

/** A duration such as "6" or "2,5": positive, one decimal at most, within the column's numeric(6,1). */
const durationField = optionalText(DEPOSIT_MAX_LENGTHS.duration).transform((value, ctx) => {
  if (value === null) return null;
  const typed = value.replace(',', '.');
  if (!/^[0-9]{1,5}(?:\.[0-9])?$/.test(typed) || Number(typed) <= 0) return fail(ctx, message('duration'));
  return Number(typed);
});

const yearField = optionalText(DEPOSIT_MAX_LENGTHS.year).transform((value, ctx) => {
  if (value === null) return null;
  const year = /^[0-9]{4}$/.test(value) ? Number(value) : NaN;
  return year >= 2000 && year <= 2100 ? year : fail(ctx, message('year', { min: 2000, max: 2100 }));
});

/** A ticked checkbox group sends its field once per box: one string, several, or nothing. */
const codeList = (entries: Map<string, DepositEntry>) =>
  z
    .preprocess(
      (value) => (value === undefined ? [] : [value].flat()),
      z.array(z.string({ error: message('chooseFromList') }).max(40, message('chooseFromList'))).max(entries.size, message('chooseFromList')),
    )
    .refine((codes) => codes.every((code) => entries.get(code)?.active === true), message('chooseFromList'))
    .refine((codes) => codes.length > 0, message('applicationModes'))
    .transform((codes) => [...new Set(codes)]);

function offerSchema(references: DepositReferences) {
  return z.object({
    title: requiredText(DEPOSIT_MAX_LENGTHS.title),
    offer_type: requiredCode(references.offerTypes),
    contract: optionalCode(references.offerContracts),
    missions: requiredText(DEPOSIT_MAX_LENGTHS.missions),
    town: optionalText(DEPOSIT_MAX_LENGTHS.town),
    postal_code: optionalText(DEPOSIT_MAX_LENGTHS.postalCode),
    country_code: requiredCode(references.countries),
    start_month: optionalText(2)
      .refine((value) => value === null || MONTHS.includes(value), message('chooseFromList'))
      .transform((value) => (value === null ? null : Number(value))),
    start_year: yearField,
    duration_value: durationField,
    duration_unit: optionalCode(references.durationUnits),
    working_time: optionalCode(references.workingTime),
    training_level: optionalCode(references.trainingLevels),
    paid: optionalText(20)
      .refine((value) => value === null || value === 'yes' || value === 'no', message('paid'))
      .transform((value) => (value === null ? null : value === 'yes')),
    pay_details: optionalText(DEPOSIT_MAX_LENGTHS.payDetails),
    skills: optionalText(DEPOSIT_MAX_LENGTHS.skills),
    application_modes: codeList(references.applicationModes),
  });
}
export type DepositOffer = z.output<ReturnType<typeof offerSchema>>;

function contactSchema(references: DepositReferences) {
  return z.object({
    civility: requiredCode(references.civilities),
    last_name: requiredText(DEPOSIT_MAX_LENGTHS.lastName),
    first_name: requiredText(DEPOSIT_MAX_LENGTHS.firstName),
    function: requiredText(DEPOSIT_MAX_LENGTHS.function),
    email: requiredText(DEPOSIT_MAX_LENGTHS.email).transform(emailCheck),
    phone: optionalText(DEPOSIT_MAX_LENGTHS.phone).transform((value, ctx) => (value === null ? null : phoneCheck(value, ctx))),
  });
}
export type DepositContact = z.output<ReturnType<typeof contactSchema>>;

function newHostSchema(references: DepositReferences) {
  return z.object({
    name: requiredText(DEPOSIT_MAX_LENGTHS.hostName),
    address: requiredText(DEPOSIT_MAX_LENGTHS.address),
    town: requiredText(DEPOSIT_MAX_LENGTHS.town),
    country_code: requiredCode(references.countries),
    phone: requiredText(DEPOSIT_MAX_LENGTHS.phone).transform(phoneCheck),
    email: optionalText(DEPOSIT_MAX_LENGTHS.email).transform((value, ctx) => (value === null ? null : emailCheck(value, ctx))),
  });
}
export type DepositNewHost = z.output<ReturnType<typeof newHostSchema>> & { siret: string | null; postal_code: string | null };

export type DepositHost = { mode: 'existing'; siret: string } | ({ mode: 'new' } & DepositNewHost);

export interface DepositInput {
  host: DepositHost;
  offer: DepositOffer;
  contact: DepositContact;
}

const hostModeSchema = z.object({ host_mode: z.enum(['existing', 'new'], { error: () => message('hostMode') }), siret: siretField });

const stringOf = (value: unknown): string => (typeof value === 'string' ? value.trim() : '');
const isFrench = (references: DepositReferences, countryCode: unknown) => references.countries.get(stringOf(countryCode))?.attributes.siretRequired === true;

/** The fields of a group, named on the page with a prefix (`host_town`), as the schema knows them (`town`). */
function unprefixed(raw: Record<string, unknown>, prefix: string): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(raw)
      .filter(([name]) => name.startsWith(prefix))
      .map(([name, value]) => [name.slice(prefix.length), value]),
  );
}
function prefixed(errors: FieldErrors, prefix: string): FieldErrors {
  return Object.fromEntries(Object.entries(errors).map(([name, text]) => [`${prefix}${name}`, text]));
}

/** A postal code in France is 5 digits of a real département; abroad it is free text. Adds its error. */
function postalCodeOf(
  references: DepositReferences,
  countryCode: unknown,
  typed: unknown,
  required: boolean,
  field: string,
  errors: FieldErrors,
): string | null {
  const value = stringOf(typed);
  if (!isFrench(references, countryCode)) return value === '' ? null : value;
  if (value === '' && !required) return null;
  const check = validatePostalCode(value);
  if (check.valid) return check.value;
  errors[field] ??= message(check.reason === 'empty' ? 'postalCodeRequired' : 'postalCodeFormat');
  return null;
}

/** Every text typed in the form, refused if it holds a tag: the offer is shown to students later on. */
function htmlErrors(raw: Record<string, unknown>): FieldErrors {
  const errors: FieldErrors = {};
  for (const [field, value] of Object.entries(raw)) {
    if ([value].flat().some((text) => typeof text === 'string' && HTML_TAG.test(text))) errors[field] = message('html');
  }
  return errors;
}

/** The contracts of an offer type ("CDI" for a job…): a type that has some needs one of them. */
function checkContract(references: DepositReferences, raw: Record<string, unknown>, errors: FieldErrors): void {
  const type = stringOf(raw.offer_type);
  const contract = references.offerContracts.get(stringOf(raw.contract));
  const typeHasContracts = [...references.offerContracts.values()].some((entry) => entry.active && entry.attributes.offerType === type);
  if (contract && contract.attributes.offerType !== type) errors.contract ??= message('contractMismatch');
  else if (!contract && typeHasContracts && stringOf(raw.contract) === '') errors.contract ??= message('contractRequired');
}

function ordered(errors: FieldErrors): FieldErrors {
  const result: FieldErrors = {};
  for (const field of DEPOSIT_FIELDS) if (errors[field]) result[field] = errors[field];
  for (const [field, text] of Object.entries(errors)) result[field] ??= text;
  return result;
}

/**
 * A company's submission: its host (an existing one, by SIRET, or a new one), the offer and the person
 * to apply to. Whether a SIRET is known needs the database: the service checks it.
 */
export function validateDeposit(references: DepositReferences, input: unknown): FormResult<DepositInput> {
  const raw: Record<string, unknown> = input && typeof input === 'object' ? { ...(input as Record<string, unknown>) } : {};
  delete raw._csrf;
  const errors = htmlErrors(raw);
  const collect = <T>(result: FormResult<T>, prefix = ''): T | null => {
    if (result.ok) return result.value;
    for (const [field, text] of Object.entries(prefixed(result.errors, prefix))) errors[field] ??= text;
    return null;
  };

  const hostMode = collect(parseForm(hostModeSchema, raw));
  let newHost: z.output<ReturnType<typeof newHostSchema>> | null = null;
  let hostPostalCode: string | null = null;
  if (stringOf(raw.host_mode) === 'existing' && stringOf(raw.siret) === '') errors.siret ??= message('siretRequired');
  if (stringOf(raw.host_mode) === 'new') {
    newHost = collect(parseForm(newHostSchema(references), unprefixed(raw, 'host_')), 'host_');
    if (isFrench(references, raw.host_country_code) && stringOf(raw.siret) === '') errors.siret ??= message('siretRequired');
    hostPostalCode = postalCodeOf(references, raw.host_country_code, raw.host_postal_code, true, 'host_postal_code', errors);
  }

  const offer = collect(parseForm(offerSchema(references), raw));
  checkContract(references, raw, errors);
  if (stringOf(raw.duration_value) !== '' && stringOf(raw.duration_unit) === '') errors.duration_unit ??= message('durationUnitRequired');
  const offerPostalCode = postalCodeOf(references, raw.country_code, raw.postal_code, false, 'postal_code', errors);
  const contact = collect(parseForm(contactSchema(references), unprefixed(raw, 'contact_')), 'contact_');

  if (Object.keys(errors).length > 0 || !hostMode || !offer || !contact) return { ok: false, errors: ordered(errors) };
  const host: DepositHost =
    hostMode.host_mode === 'existing'
      ? { mode: 'existing', siret: hostMode.siret! }
      : { mode: 'new', ...newHost!, siret: hostMode.siret, postal_code: hostPostalCode };
  return { ok: true, value: { host, offer: { ...offer, postal_code: offerPostalCode }, contact } };
}
