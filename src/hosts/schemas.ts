import { z } from 'zod';
import { t } from '../i18n/index.ts';
import { validateSiret } from '../rules/siret.ts';
import { normaliseNafCode, validateNafCode } from '../rules/naf.ts';
import { validateEmail, validatePhone, validatePostalCode } from '../rules/contact-formats.ts';
import { checkbox, optionalText, optionalUrl, requiredText } from '../web/form-fields.ts';
import { parseForm, type FieldErrors, type FormResult } from '../web/forms.ts';
import { isFrenchTerritory, type HostReferences, type ReferenceEntry } from './references.ts';

/**
 * The forms of the host directory: host, service, contact and search. Shapes and formats are zod's;
 * the rules that depend on the country (SIRET mandatory, French postal code) and on the reference
 * lists are checked here too, on the raw values, so that every error shows at once.
 */
const message = (key: string, parameters?: Record<string, string | number>) => t(`hosts.validation.${key}`, parameters);

/** Maximum lengths, also given to the fields so that browsers stop the typing there. */
export const MAX_LENGTHS = {
  name: 150,
  siret: 20,
  naf: 10,
  address: 300,
  postalCode: 20,
  town: 100,
  phone: 25,
  email: 254,
  website: 500,
  lastName: 100,
  firstName: 100,
  function: 150,
  search: 100,
} as const;

export const HOST_FIELDS = [
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
] as const;
export const SERVICE_FIELDS = ['name', 'same_address_as_host', 'address', 'postal_code', 'town', 'country_code', 'phone'] as const;
export const CONTACT_FIELDS = ['service_id', 'civility', 'last_name', 'first_name', 'function', 'phone', 'email'] as const;

type Issue = { message: string };
type Ctx = { addIssue(issue: Issue & { code: 'custom' }): void };
const fail = (ctx: Ctx, text: string): never => {
  ctx.addIssue({ code: 'custom', message: text });
  return z.NEVER;
};

const requiredCode = (entries: Map<string, ReferenceEntry>) =>
  requiredText(40).refine((value) => entries.has(value), { error: () => message('chooseFromList') });
const optionalCode = (entries: Map<string, ReferenceEntry>) =>
  optionalText(40).refine((value) => value === null || entries.has(value), { error: () => message('chooseFromList') });

const phoneCheck = (value: string, ctx: Ctx) => {
  const check = validatePhone(value);
  return check.valid ? check.value : fail(ctx, message('phone'));
};
const requiredPhone = requiredText(MAX_LENGTHS.phone).transform(phoneCheck);
const optionalPhone = optionalText(MAX_LENGTHS.phone).transform((value, ctx) => (value === null ? null : phoneCheck(value, ctx)));

const emailCheck = (value: string, ctx: Ctx) => {
  const check = validateEmail(value);
  return check.valid ? check.value : fail(ctx, message('email'));
};
const requiredEmail = requiredText(MAX_LENGTHS.email).transform(emailCheck);
const optionalEmail = optionalText(MAX_LENGTHS.email).transform((value, ctx) => (value === null ? null : emailCheck(value, ctx)));

/** A SIRET as printed ("732 829 320 00074"), stored as its 14 digits. */
const siretField = optionalText(MAX_LENGTHS.siret).transform((value, ctx) => {
  if (value === null) return null;
  const check = validateSiret(value);
  if (check.valid) return check.value;
  return fail(ctx, message(check.reason === 'checksum' ? 'siretChecksum' : 'siretFormat'));
});

/** A NAF rev.2 class ("62.01Z", typed "6201z" or "62.01 Z" too) that exists in the reference list. */
const nafField = (nafClasses: Map<string, ReferenceEntry>) =>
  optionalText(MAX_LENGTHS.naf).transform((value, ctx) => {
    if (value === null) return null;
    const check = validateNafCode(value, new Set(nafClasses.keys()));
    if (check.valid) return check.code;
    return fail(ctx, message(check.reason === 'unknown' ? 'nafUnknown' : 'nafFormat'));
  });

const stringOf = (value: unknown): string => (typeof value === 'string' ? value.trim() : '');
const recordOf = (input: unknown): Record<string, unknown> => (input && typeof input === 'object' ? (input as Record<string, unknown>) : {});

/** Errors listed in the order of the fields on the page, so that the summary reads like the form. */
function ordered(errors: FieldErrors, fields: readonly string[]): FieldErrors {
  const result: FieldErrors = {};
  for (const field of fields) if (errors[field]) result[field] = errors[field];
  for (const [field, text] of Object.entries(errors)) result[field] ??= text;
  return result;
}

/**
 * The address rules of a country: in France (and overseas) the postal code is mandatory and French;
 * abroad it is free text. Returns the postal code to store.
 */
function checkPostalCode(references: HostReferences, raw: Record<string, unknown>, errors: FieldErrors): string | null {
  const typed = stringOf(raw.postal_code);
  if (!isFrenchTerritory(references, stringOf(raw.country_code))) return typed === '' ? null : typed;
  const check = validatePostalCode(typed);
  if (check.valid) return check.value;
  errors.postal_code ??= message(check.reason === 'empty' ? 'postalCodeRequired' : 'postalCodeFormat');
  return null;
}

/** Zod's errors and those of the rules on raw values, in the order of the form. */
function outcome<T>(parsed: FormResult<T>, errors: FieldErrors, fields: readonly string[], complete: (value: T) => T): FormResult<T> {
  if (!parsed.ok || Object.keys(errors).length > 0) return { ok: false, errors: ordered(errors, fields) };
  return { ok: true, value: complete(parsed.value) };
}

// ---------------------------------------------------------------------------------------------------
// Host
// ---------------------------------------------------------------------------------------------------

function hostSchema(references: HostReferences) {
  return z.object({
    name: requiredText(MAX_LENGTHS.name),
    siret: siretField,
    naf_code: nafField(references.nafClasses),
    legal_status_code: requiredCode(references.legalStatuses),
    host_type_code: requiredCode(references.hostTypes),
    headcount_code: optionalCode(references.headcountBands),
    address: requiredText(MAX_LENGTHS.address),
    postal_code: optionalText(MAX_LENGTHS.postalCode),
    town: requiredText(MAX_LENGTHS.town),
    country_code: requiredCode(references.countries),
    phone: requiredPhone,
    email: optionalEmail,
    website: optionalUrl,
  });
}
export type HostInput = z.output<ReturnType<typeof hostSchema>>;

/**
 * A host as submitted: SIRET valid (Luhn, La Poste exception) and mandatory in France and overseas,
 * optional abroad; NAF class well-formed and known, mandatory in France; French postal code in France.
 * The uniqueness of the SIRET needs the database: the service checks it.
 */
export function validateHost(references: HostReferences, input: unknown): FormResult<HostInput> {
  const raw = recordOf(input);
  const parsed = parseForm(hostSchema(references), raw);
  const errors: FieldErrors = parsed.ok ? {} : { ...parsed.errors };
  if (isFrenchTerritory(references, stringOf(raw.country_code))) {
    if (stringOf(raw.siret) === '') errors.siret ??= message('siretRequired');
    if (stringOf(raw.naf_code) === '') errors.naf_code ??= message('nafRequired');
  }
  const postalCode = checkPostalCode(references, raw, errors);
  return outcome(parsed, errors, HOST_FIELDS, (value) => ({ ...value, postal_code: postalCode }));
}

// ---------------------------------------------------------------------------------------------------
// Service
// ---------------------------------------------------------------------------------------------------

const serviceBase = z.object({
  name: requiredText(MAX_LENGTHS.name),
  same_address_as_host: checkbox,
  phone: optionalPhone,
});

function serviceAddressSchema(references: HostReferences) {
  return serviceBase.extend({
    address: requiredText(MAX_LENGTHS.address),
    postal_code: optionalText(MAX_LENGTHS.postalCode),
    town: requiredText(MAX_LENGTHS.town),
    country_code: requiredCode(references.countries),
  });
}

export interface ServiceInput {
  name: string;
  same_address_as_host: boolean;
  address: string | null;
  postal_code: string | null;
  town: string | null;
  country_code: string | null;
  phone: string | null;
}

/** A service has the host's address (the box ticked) or a complete address of its own. */
export function validateService(references: HostReferences, input: unknown): FormResult<ServiceInput> {
  const raw = recordOf(input);
  if (checkbox.parse(raw.same_address_as_host)) {
    const parsed = parseForm(serviceBase, raw);
    if (!parsed.ok) return { ok: false, errors: ordered(parsed.errors, SERVICE_FIELDS) };
    return { ok: true, value: { ...parsed.value, address: null, postal_code: null, town: null, country_code: null } };
  }
  const parsed = parseForm(serviceAddressSchema(references), raw);
  const errors: FieldErrors = parsed.ok ? {} : { ...parsed.errors };
  const postalCode = checkPostalCode(references, raw, errors);
  return outcome(parsed, errors, SERVICE_FIELDS, (value) => ({ ...value, postal_code: postalCode }));
}

// ---------------------------------------------------------------------------------------------------
// Contact
// ---------------------------------------------------------------------------------------------------

function contactSchema(references: HostReferences, serviceIds: ReadonlySet<number>) {
  return z.object({
    service_id: z
      .string({ error: () => message('chooseService') })
      .regex(/^[1-9][0-9]{0,9}$/, { error: () => message('chooseService') })
      .transform(Number)
      .refine((id) => serviceIds.has(id), { error: () => message('chooseService') }),
    civility: requiredCode(references.civilities),
    last_name: requiredText(MAX_LENGTHS.lastName),
    first_name: requiredText(MAX_LENGTHS.firstName),
    function: requiredText(MAX_LENGTHS.function),
    phone: requiredPhone,
    email: requiredEmail,
  });
}
export type ContactInput = z.output<ReturnType<typeof contactSchema>>;

/** A contact (tutor or signatory) of one of the host's services, with the details printed on conventions. */
export function validateContact(references: HostReferences, serviceIds: ReadonlySet<number>, input: unknown): FormResult<ContactInput> {
  const parsed = parseForm(contactSchema(references, serviceIds), recordOf(input));
  return parsed.ok ? parsed : { ok: false, errors: ordered(parsed.errors, CONTACT_FIELDS) };
}

// ---------------------------------------------------------------------------------------------------
// Search
// ---------------------------------------------------------------------------------------------------

/** A département: 01–95 (20, 2A and 2B: Corsica, postal codes 20xxx), 971–978 and 984–988 overseas. */
const DEPARTMENT = /^(?:0[1-9]|[1-8][0-9]|9[0-5]|2[AB]|97[1-8]|98[46-8])$/;

const department = (errorKey: string) =>
  optionalText(3)
    .transform((value) => (value === null ? null : value.toUpperCase()))
    .refine((value) => value === null || DEPARTMENT.test(value), { error: () => message(errorKey) });

/** The postal-code prefix of a département: Corsica's 2A and 2B are both 20xxx. */
export function postalPrefixOf(departmentCode: string): string {
  return departmentCode === '2A' || departmentCode === '2B' ? '20' : departmentCode;
}

const searchText = optionalText(MAX_LENGTHS.search);

export const hostSearchSchema = z.object({
  name: searchText,
  department: department('searchDepartment'),
  siret: optionalText(MAX_LENGTHS.siret)
    .transform((value) => (value === null ? null : value.replace(/\s+/g, '')))
    .refine((value) => value === null || /^[0-9]{1,14}$/.test(value), { error: () => message('searchSiret') }),
  naf: optionalText(MAX_LENGTHS.naf).transform((value, ctx) => {
    if (value === null) return null;
    const typed = value.replace(/\s+/g, '').toUpperCase();
    const complete = normaliseNafCode(typed);
    if (complete) return complete;
    const partial = /^([0-9]{2})(?:\.?([0-9]{1,2}))?$/.exec(typed);
    if (!partial) return fail(ctx, message('searchNaf'));
    return partial[2] ? `${partial[1]}.${partial[2]}` : partial[1]!;
  }),
  phone: optionalText(MAX_LENGTHS.phone).transform((value, ctx) => {
    if (value === null) return null;
    if (!/^\+?[0-9\s.()-]+$/.test(value)) return fail(ctx, message('searchPhone'));
    const check = validatePhone(value);
    // A complete number is searched as stored (French numbers with their leading 0); a partial one by its digits.
    const digits = (check.valid ? check.value : value).replace(/[^0-9]/g, '');
    return digits === '' ? fail(ctx, message('searchPhone')) : digits;
  }),
  street: searchText,
  town: searchText,
  postal: optionalText(10)
    .transform((value) => (value === null ? null : value.replace(/\s+/g, '').toUpperCase()))
    .refine((value) => value === null || /^[0-9]{5}$/.test(value) || DEPARTMENT.test(value), { error: () => message('searchPostal') }),
  country: optionalText(2)
    .transform((value) => (value === null ? null : value.toUpperCase()))
    .refine((value) => value === null || /^[A-Z]{2}$/.test(value), { error: () => message('chooseFromList') }),
  service: searchText,
});
export type HostSearchCriteria = z.output<typeof hostSearchSchema>;

export const EMPTY_SEARCH: HostSearchCriteria = {
  name: null,
  department: null,
  siret: null,
  naf: null,
  phone: null,
  street: null,
  town: null,
  postal: null,
  country: null,
  service: null,
};

/** The page asked for in the address; anything else than a sensible page number is the first page. */
export function pageFrom(value: unknown): number {
  const page = typeof value === 'string' && /^[1-9][0-9]{0,5}$/.test(value) ? Number(value) : 1;
  return page;
}

/** The search criteria of the address (`/hosts?name=…&department=…`). */
export function parseHostSearch(query: unknown): FormResult<HostSearchCriteria> {
  const raw = recordOf(query);
  const known = Object.fromEntries(Object.keys(EMPTY_SEARCH).map((key) => [key, raw[key]]));
  return parseForm(hostSearchSchema, known);
}
