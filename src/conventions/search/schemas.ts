import { z } from 'zod';
import { lazyMessage, t } from '../../i18n/index.ts';
import type { FieldErrors } from '../../web/forms.ts';
import { LIST_STATUSES } from '../shared/schemas.ts';

/**
 * The criteria of the convention search (/conventions, and the exports that take the same query
 * string). What a person types — a number, a year, dates, a SIRET — gets a message next to its
 * field when it cannot be understood; the values of select lists and check boxes cannot be mistyped in
 * the page, so a forged one is ignored rather than answered with an error page.
 */
export const STATUS_CHOICES = ['validated', 'not_validated', ...LIST_STATUSES.filter((status) => status !== 'validated')] as const;
export type StatusChoice = (typeof STATUS_CHOICES)[number];

export const PERIODS = ['in_progress', 'starting_1w', 'starting_2w', 'starting_1m', 'ended', 'between'] as const;
export type Period = (typeof PERIODS)[number];

export const SORTS = ['number', 'student', 'host', 'start', 'status'] as const;
export type Sort = (typeof SORTS)[number];

export interface ConventionSearch {
  number: number | null;
  academicYear: string | null;
  studentNumber: string | null;
  lastName: string | null;
  firstName: string | null;
  subject: string | null;
  conventionType: string | null;
  internshipKind: string | null;
  theme: string | null;
  daysPerWeek: string | null;
  gratification: boolean | null;
  workingTime: string | null;
  printLanguage: string | null;
  status: StatusChoice | null;
  period: Period | null;
  from: string | null;
  to: string | null;
  faculties: string[];
  steps: string[];
  supervisor: string | null;
  hostName: string | null;
  siret: string | null;
  town: string | null;
  postalCode: string | null;
  country: string | null;
  foreignOnly: boolean;
  hostType: string | null;
  legalStatus: string | null;
  headcount: string | null;
  nafSection: string | null;
  offerNumber: number | null;
  amendments: boolean | null;
}

export interface SearchOrder {
  sort: Sort;
  direction: 'asc' | 'desc';
}

export interface ParsedSearch {
  criteria: ConventionSearch;
  order: SearchOrder;
  page: number;
  /** French messages next to the fields that could not be understood; those criteria are not applied. */
  errors: FieldErrors;
}

/** The query-string names of the criteria, in the order of the form (also what the session remembers). */
export const SEARCH_PARAMETERS = [
  'number',
  'academicYear',
  'studentNumber',
  'lastName',
  'firstName',
  'subject',
  'conventionType',
  'internshipKind',
  'theme',
  'daysPerWeek',
  'gratification',
  'workingTime',
  'printLanguage',
  'status',
  'period',
  'from',
  'to',
  'faculty',
  'step',
  'supervisor',
  'hostName',
  'siret',
  'town',
  'postalCode',
  'country',
  'foreignOnly',
  'hostType',
  'legalStatus',
  'headcount',
  'nafSection',
  'offerNumber',
  'amendments',
  'sort',
  'direction',
] as const;

export const TEXT_MAX = 100;
const WEEKLY_DAYS = ['0.5', '1', '1.5', '2', '2.5', '3', '3.5', '4', '4.5', '5', '5.5', '6'];
const MAX_CHOICES = 200;

// eslint-disable-next-line no-control-regex -- control characters are exactly what a search must not carry
const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f]/;
const CODE = /^[A-Za-z0-9._-]{1,20}$/;

/** The last value of a parameter given once or repeated (`?a=1&a=2`), as a trimmed string. */
function single(value: unknown): string {
  const last = Array.isArray(value) ? value.at(-1) : value;
  return typeof last === 'string' ? last.trim() : '';
}

function several(value: unknown): string[] {
  const values = Array.isArray(value) ? value : [value];
  return [
    ...new Set(
      values
        .filter((item): item is string => typeof item === 'string')
        .map((item) => item.trim())
        .filter((item) => CODE.test(item)),
    ),
  ].slice(0, MAX_CHOICES);
}

const code = (value: unknown) => (CODE.test(single(value)) ? single(value) : null);
const oneOf = <T extends string>(values: readonly T[], value: unknown): T | null => (values.includes(single(value) as T) ? (single(value) as T) : null);
const yesNo = (value: unknown) => (single(value) === 'yes' ? true : single(value) === 'no' ? false : null);

const searchText = z
  .string()
  .max(TEXT_MAX, lazyMessage('common.validation.maxLength', { max: TEXT_MAX }))
  .refine((value) => !CONTROL_CHARACTERS.test(value), lazyMessage('common.validation.controlCharacters'));
const digitsOf = (max: number, messageKey: string) => z.string().regex(new RegExp(`^\\d{1,${max}}$`), lazyMessage(messageKey));
const ACADEMIC_YEAR = z
  .string()
  .regex(/^\d{4}-\d{4}$/, lazyMessage('search.errors.academicYear'))
  .refine((value) => Number(value.slice(5)) === Number(value.slice(0, 4)) + 1, lazyMessage('search.errors.academicYear'));
const POSTAL_CODE = z.string().regex(/^[0-9A-Za-z -]{1,10}$/, lazyMessage('search.errors.postalCode'));
/** A date from a date field (2027-03-01) or typed by hand as the message asks (01/03/2027), as an ISO date. */
const searchDate = z
  .string()
  .transform((value) => {
    const french = /^(\d{2})\/(\d{2})\/(\d{4})$/.exec(value);
    return french ? `${french[3]}-${french[2]}-${french[1]}` : value;
  })
  .pipe(z.iso.date(lazyMessage('search.errors.date')));

/** Reads the search from a query string (or the criteria the session remembers). */
export function parseSearch(query: Record<string, unknown>): ParsedSearch {
  const errors: FieldErrors = {};
  /** A typed field: empty is no criterion; a value its schema refuses gets its message and is not applied. */
  const typed = (name: string, schema: z.ZodType<string>, value = single(query[name])): string | null => {
    if (value === '') return null;
    const parsed = schema.safeParse(value);
    if (parsed.success) return parsed.data;
    errors[name] = parsed.error.issues[0]!.message;
    return null;
  };
  const text = (name: string) => typed(name, searchText);
  const digits = (name: string, max: number, messageKey: string) => typed(name, digitsOf(max, messageKey), single(query[name]).replace(/\s+/g, ''));
  const date = (name: string) => typed(name, searchDate);

  const number = digits('number', 9, 'search.errors.number');
  const offerNumber = digits('offerNumber', 9, 'search.errors.offerNumber');

  const academicYear = typed('academicYear', ACADEMIC_YEAR);

  // Dates typed are never ignored: without a period chosen they search "between" them; with another
  // period chosen, both apply.
  const from = date('from');
  let to = date('to');
  const period = oneOf(PERIODS, query.period) ?? (from !== null || to !== null ? 'between' : null);
  if (period === 'between' && from === null && to === null && !errors.from && !errors.to) errors.from = t('search.errors.oneDate');
  if (from !== null && to !== null && to < from) {
    errors.to = t('search.errors.periodOrder');
    to = null;
  }

  const postalCode = typed('postalCode', POSTAL_CODE);

  const criteria: ConventionSearch = {
    number: number === null ? null : Number(number),
    academicYear,
    studentNumber: text('studentNumber'),
    lastName: text('lastName'),
    firstName: text('firstName'),
    subject: text('subject'),
    conventionType: code(query.conventionType),
    internshipKind: code(query.internshipKind),
    theme: code(query.theme),
    daysPerWeek: oneOf(WEEKLY_DAYS, query.daysPerWeek),
    gratification: yesNo(query.gratification),
    workingTime: code(query.workingTime),
    printLanguage: code(query.printLanguage),
    status: oneOf(STATUS_CHOICES, query.status),
    period,
    from,
    to,
    faculties: several(query.faculty),
    steps: several(query.step),
    supervisor: text('supervisor'),
    hostName: text('hostName'),
    siret: digits('siret', 14, 'search.errors.siret'),
    town: text('town'),
    postalCode,
    country: code(query.country),
    foreignOnly: single(query.foreignOnly) === '1',
    hostType: code(query.hostType),
    legalStatus: code(query.legalStatus),
    headcount: code(query.headcount),
    nafSection: /^[A-U]$/.test(single(query.nafSection)) ? single(query.nafSection) : null,
    offerNumber: offerNumber === null ? null : Number(offerNumber),
    amendments: yesNo(query.amendments),
  };
  const order: SearchOrder = { sort: oneOf(SORTS, query.sort) ?? 'number', direction: single(query.direction) === 'asc' ? 'asc' : 'desc' };
  const page = Math.min(100000, Math.max(1, Number.parseInt(single(query.page), 10) || 1));
  return { criteria, order, page, errors };
}

/** The multi-selects: their parameters are repeated; every other one is read once (its last value). */
const MULTIPLE: readonly string[] = ['faculty', 'step'];

/**
 * The parameters of a query string that belong to the search, for the session and for links: a list
 * for each multi-select, the last value for the other fields (the one the search applies, and the one
 * the form then shows).
 */
export function searchParametersOf(query: Record<string, unknown>): Record<string, string | string[]> {
  const kept: Record<string, string | string[]> = {};
  for (const name of SEARCH_PARAMETERS) {
    const value = query[name];
    const strings = (Array.isArray(value) ? value : [value]).filter((item): item is string => typeof item === 'string');
    if (MULTIPLE.includes(name)) {
      const values = strings.filter((item) => item.trim() !== '').slice(0, MAX_CHOICES);
      if (values.length > 0) kept[name] = values;
    } else if (strings.length > 0 && strings.at(-1)!.trim() !== '') kept[name] = strings.at(-1)!;
  }
  return kept;
}

/** A query string of search parameters (repeated names for the multi-selects). */
export function queryStringOf(parameters: Record<string, string | string[]>, extra: Record<string, string> = {}): string {
  const search = new URLSearchParams();
  for (const [name, value] of Object.entries(parameters)) for (const item of Array.isArray(value) ? value : [value]) search.append(name, item);
  for (const [name, value] of Object.entries(extra)) search.set(name, value);
  return search.toString();
}
