import type { JoinName } from './joins.ts';
import { maskedNirSql } from '../privacy/nir.ts';

/**
 * Every column an export may have, in the order of the chooser page. The `key` is what
 * `columns=` lists and what the user's remembered choice stores: never rename one. The label is the
 * catalogue entry `exports.columns.<key>`. The SQL reads the convention `c` and the aliases of joins.ts;
 * dates, interruptions, hours, subject, gratification, place, tutor and supervisor are the EFFECTIVE
 * values, after validated amendments.
 */
export const COLUMN_GROUPS = ['convention', 'host', 'amendments'] as const;
export type ColumnGroup = (typeof COLUMN_GROUPS)[number];

/**
 * How a value is written. `code`: an identifier made of digits (SIRET, postal code, phone…) that a
 * spreadsheet must keep as text; `money`: cents; `hours`: minutes; `decimal`: a NUMERIC (a string);
 * `datetime`: an instant, shown in French time; `label`: a code named by the catalogue entries `labels`.
 */
export type ValueType = 'text' | 'code' | 'integer' | 'decimal' | 'money' | 'hours' | 'date' | 'datetime' | 'yesNo' | 'label';

export interface ExportColumn {
  key: string;
  group: ColumnGroup;
  type: ValueType;
  sql: string;
  joins: readonly JoinName[];
  /** For `label` columns: the catalogue entries that name each code. */
  labels?: string;
}

type ColumnOf = (key: string, type: ValueType, sql: string, joins?: readonly JoinName[], labels?: string) => ExportColumn;
const columnOf =
  (group: ColumnGroup): ColumnOf =>
  (key, type, sql, joins = [], labels) => ({ key, group, type, sql, joins, ...(labels ? { labels } : {}) });
const convention = columnOf('convention');
const host = columnOf('host');
const amendments = columnOf('amendments');

/** "Last First" of a person row, NULL when the optional row is missing. */
const personName = (alias: string) => `NULLIF(concat_ws(' ', ${alias}.last_name, ${alias}.first_name), '')`;
/** "street, postal code town". */
const oneLineAddress = (alias: string) => `NULLIF(concat_ws(', ', ${alias}.address, NULLIF(concat_ws(' ', ${alias}.postal_code, ${alias}.town), '')), '')`;
const interruptionText = (start: string, end: string) => `to_char(${start}, 'DD/MM/YYYY') || ' – ' || to_char(${end}, 'DD/MM/YYYY')`;
const frenchDate = (instant: string) => `(${instant} AT TIME ZONE 'Europe/Paris')::date`;

export const EXPORT_COLUMNS: readonly ExportColumn[] = [
  convention('number', 'integer', 'c.number'),
  convention('studentNumber', 'code', 's.student_number', ['student']),
  convention('studentLastName', 'text', 's.last_name', ['student']),
  convention('studentFirstName', 'text', 's.first_name', ['student']),
  convention('studentEmail', 'text', 's.email', ['student']),
  convention('studentPersonalEmail', 'text', 'c.student_personal_email'),
  convention('studentPhone', 'code', 'c.student_phone'),
  convention('studentMobilePhone', 'code', 'c.student_mobile_phone'),
  convention('studentAddress', 'text', 'c.student_address'),
  convention('studentPostalCode', 'code', 'c.student_postal_code'),
  convention('studentTown', 'text', 'c.student_town'),
  // Never the full number: an export travels by e-mail and lands on shared drives.
  convention('socialSecurityNumber', 'text', maskedNirSql('c.social_security_number')),
  convention('facultyCode', 'code', 'e.faculty_code', ['enrolment']),
  convention('facultyLabel', 'text', 'f.label', ['faculty']),
  convention('stepCode', 'code', 'e.step_code', ['enrolment']),
  convention('stepLabel', 'text', 'st.label', ['step']),
  convention('centre', 'text', 'ce.name', ['centre']),
  convention('startDate', 'date', 'c.effective_start_date'),
  convention('endDate', 'date', 'c.effective_end_date'),
  // NULL effective interruptions: no amendment changed them, they are the convention's own rows.
  convention(
    'interruptions',
    'text',
    `CASE WHEN c.effective_interruptions IS NULL
       THEN (SELECT string_agg(${interruptionText('i.start_date', 'i.end_date')}, ' ; ' ORDER BY i.position) FROM convention_interruption i WHERE i.convention_id = c.id)
       ELSE (SELECT string_agg(${interruptionText("(x.range->>'start')::date", "(x.range->>'end')::date")}, ' ; ' ORDER BY x.position)
             FROM jsonb_array_elements(c.effective_interruptions) WITH ORDINALITY AS x(range, position))
     END`,
  ),
  convention('totalHours', 'hours', 'c.effective_total_presence_minutes'),
  convention('daysPerWeek', 'decimal', 'c.days_per_week'),
  convention('hoursPerWeek', 'decimal', 'c.hours_per_week'),
  convention('workingTime', 'text', 'r_time.label', ['workingTime']),
  convention('theme', 'text', 'r_theme.label', ['theme']),
  convention('subject', 'text', 'c.effective_subject'),
  convention('activities', 'text', 'c.activities'),
  convention('skills', 'text', 'c.skills'),
  convention('gratification', 'yesNo', 'c.effective_gratification'),
  convention('gratificationAmount', 'money', 'c.effective_gratification_amount_cents'),
  convention('gratificationPer', 'label', 'c.effective_gratification_per', [], 'exports.values.gratificationPer'),
  convention('gratificationBasis', 'text', 'r_basis.label', ['gratificationBasis']),
  convention('gratificationPaymentMode', 'text', 'r_payment.label', ['paymentMode']),
  convention('conventionType', 'text', 'r_type.label', ['conventionType']),
  convention('internshipKind', 'text', 'r_kind.label', ['internshipKind']),
  convention('language', 'text', 'r_language.label', ['language']),
  convention('internshipOrigin', 'text', 'r_origin.label', ['origin']),
  convention('internshipCountry', 'text', 'r_country.label', ['internshipCountry']),
  convention('supervisorName', 'text', personName('t'), ['supervisor']),
  convention('supervisorEmail', 'text', 't.email', ['supervisor']),
  convention('signatoryName', 'text', personName('sg'), ['signatory']),
  convention('signatoryEmail', 'text', 'sg.email', ['signatory']),
  convention('signatoryFunction', 'text', 'sg.function', ['signatory']),
  convention('academicYear', 'text', 'c.academic_year'),
  convention('status', 'label', 'c.status', [], 'conventions.statuses'),
  // A pedagogical validation is in force until the convention goes back to "submitted" (withdrawn, refused then resubmitted).
  convention(
    'pedagogicalValidationDate',
    'date',
    `CASE WHEN c.status IN ('pedagogically_validated', 'validated') AND v.pedagogically_validated_at > coalesce(v.back_to_submitted_at, '-infinity')
       THEN ${frenchDate('v.pedagogically_validated_at')} END`,
    ['validations'],
  ),
  convention('validationDate', 'date', `CASE WHEN c.status = 'validated' THEN ${frenchDate('v.validated_at')} END`, ['validations']),
  convention('createdAt', 'datetime', 'c.created_at'),
  convention('createdBy', 'text', 'c.created_by'),
  convention('updatedAt', 'datetime', 'c.updated_at'),
  convention('updatedBy', 'text', 'c.updated_by'),

  host('hostName', 'text', 'h.name', ['host']),
  host('hostSiret', 'code', 'h.siret', ['host']),
  host('hostNafCode', 'code', 'h.naf_code', ['host']),
  host('hostNafLabel', 'text', 'r_naf.label', ['naf']),
  host('hostLegalStatus', 'text', 'r_legal.label', ['legalStatus']),
  host('hostType', 'text', 'r_host_type.label', ['hostType']),
  host('hostHeadcount', 'text', 'r_headcount.label', ['headcount']),
  host('hostAddress', 'text', 'h.address', ['host']),
  host('hostPostalCode', 'code', 'h.postal_code', ['host']),
  host('hostTown', 'text', 'h.town', ['host']),
  host('hostCountry', 'text', 'r_host_country.label', ['hostCountry']),
  host('hostPhone', 'code', 'h.phone', ['host']),
  host('hostEmail', 'text', 'h.email', ['host']),
  host('hostWebsite', 'text', 'h.website', ['host']),
  host('serviceName', 'text', 'sv.name', ['service']),
  host('serviceAddress', 'text', `CASE WHEN sv.same_address_as_host THEN ${oneLineAddress('h')} ELSE ${oneLineAddress('sv')} END`, ['service', 'host']),
  host('tutorName', 'text', personName('tu'), ['tutor']),
  host('tutorEmail', 'text', 'tu.email', ['tutor']),
  host('tutorPhone', 'code', 'tu.phone', ['tutor']),
  host('tutorFunction', 'text', 'tu.function', ['tutor']),

  amendments('amendmentCount', 'integer', 'c.validated_amendment_count'),
  amendments('lastAmendmentKind', 'label', 'c.last_amendment_kind', [], 'conventions.amendments.kinds'),
  amendments('lastAmendmentDate', 'date', frenchDate('c.last_amendment_validated_at')),
  amendments('terminationDate', 'date', 'c.termination_date'),
];

const BY_KEY = new Map(EXPORT_COLUMNS.map((column) => [column.key, column]));

export function columnByKey(key: string): ExportColumn | undefined {
  return BY_KEY.get(key);
}

/** The columns of someone who has never chosen: what staff ask for most, one line per internship. */
export const DEFAULT_COLUMN_KEYS: readonly string[] = [
  'number',
  'studentLastName',
  'studentFirstName',
  'stepLabel',
  'hostName',
  'hostTown',
  'startDate',
  'endDate',
  'subject',
  'tutorName',
  'supervisorName',
  'status',
];
