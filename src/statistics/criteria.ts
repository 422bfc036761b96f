import type { Translate } from '../i18n/index.ts';

/**
 * The criteria of the statistics: what a convention is counted under. The first criterion
 * makes the rows of the table, the second its columns. Each one is an SQL expression of the
 * convention (its effective values, after validated amendments), giving a value — a code, a band, a
 * record's id — or NULL when the convention does not say ("Non renseigné"), and the way that value
 * is named on the page.
 */
export const FIRST_CRITERIA = ['academicYear', 'faculty', 'step', 'department'] as const;
export type FirstCriterion = (typeof FIRST_CRITERIA)[number];

export const SECOND_CRITERIA = [
  'conventionType',
  'nafSection',
  'gratification',
  'workingTime',
  'daysPerWeek',
  'origin',
  'supervisor',
  'host',
  'legalStatus',
  'headcount',
  'internshipDepartment',
  'country',
  'theme',
  'duration',
] as const;
export type SecondCriterion = (typeof SECOND_CRITERIA)[number];
export type CriterionName = FirstCriterion | SecondCriterion;

/** Tables joined to `convention as c` for the values, in the order they must be joined. */
export const JOINS = ['supervisor', 'host', 'nafClass', 'place'] as const;
export type Join = (typeof JOINS)[number];

/** How a value is named, and in which order values come. */
export type Naming =
  /** A code of a reference list: its label, in the list's order. */
  | { kind: 'reference'; list: string }
  /** The key of a record: a label computed from its row (`{alias}` stands for the table), alphabetical. */
  | { kind: 'record'; table: string; key: string; label: string }
  /** Named without the database: a label and a rank to sort by. */
  | { kind: 'computed'; label: (value: string, t: Translate) => string; rank: (value: string) => number | string };

export interface Criterion {
  /** SQL over the joined tables; a record's id stays a number, to be joined to its table through its primary key. */
  value: string;
  joins: readonly Join[];
  naming: Naming;
  /** Too many possible values for columns: the most frequent are kept, the rest grouped as "Autres" (cross-table.ts). */
  openEnded: boolean;
  /** The parameter of the convention search that selects the conventions of one value, if any. */
  searchParameter: string | null;
}

/** Duration bands, by whole calendar months from the first to the last day of the internship. */
const DURATION_BANDS = ['upTo1Month', 'upTo2Months', 'upTo4Months', 'upTo6Months', 'over6Months'] as const;

/** The band of the effective calendar duration: "up to N months" means it ends before the same day N months later. */
const DURATION_BAND = `CASE
    WHEN c.effective_start_date IS NULL OR c.effective_end_date IS NULL THEN NULL
    WHEN c.effective_end_date < c.effective_start_date + interval '1 month' THEN 'upTo1Month'
    WHEN c.effective_end_date < c.effective_start_date + interval '2 months' THEN 'upTo2Months'
    WHEN c.effective_end_date < c.effective_start_date + interval '4 months' THEN 'upTo4Months'
    WHEN c.effective_end_date < c.effective_start_date + interval '6 months' THEN 'upTo6Months'
    ELSE 'over6Months' END`;

/** The place of the internship: the service's own address when it has one, else the host's. */
const PLACE_OWN_ADDRESS = 'place.id IS NOT NULL AND NOT place.same_address_as_host';
const PLACE_POSTAL_CODE = `CASE WHEN ${PLACE_OWN_ADDRESS} THEN place.postal_code ELSE h.postal_code END`;
const PLACE_COUNTRY = `CASE WHEN ${PLACE_OWN_ADDRESS} THEN place.country_code ELSE h.country_code END`;

/** The codes of the list of countries that are France: INSEE code 99100, overseas territories included. */
const FRENCH_COUNTRIES = "(SELECT code FROM reference_item WHERE list = 'countries' AND attributes->>'cog' = '99100')";

/**
 * The French département of the place of the internship, from its postal code: the first two digits,
 * three for overseas (97x, 98x), 2A/2B for Corsica (20000–20199 is Corse-du-Sud). An internship in
 * another country is 'abroad'; a convention without a country is taken as in France.
 */
const ABROAD = 'abroad';
const INTERNSHIP_DEPARTMENT = `CASE
    WHEN coalesce(c.internship_country, 'FR') NOT IN ${FRENCH_COUNTRIES} THEN '${ABROAD}'
    WHEN ${PLACE_COUNTRY} IN ${FRENCH_COUNTRIES} AND ${PLACE_POSTAL_CODE} ~ '^[0-9]{5}$' THEN
      CASE
        WHEN left(${PLACE_POSTAL_CODE}, 2) IN ('97', '98') THEN left(${PLACE_POSTAL_CODE}, 3)
        WHEN left(${PLACE_POSTAL_CODE}, 2) = '20' THEN CASE WHEN ${PLACE_POSTAL_CODE} < '20200' THEN '2A' ELSE '2B' END
        ELSE left(${PLACE_POSTAL_CODE}, 2)
      END
    END`;

const reference = (list: string): Naming => ({ kind: 'reference', list });
const itself: Naming = { kind: 'computed', label: (value) => value, rank: (value) => value };
const frenchDecimal = (value: string) => value.replace('.', ',');

/** A code column: an empty code is no code. */
const code = (column: string) => `nullif(${column}, '')`;

const criterion = (value: string, naming: Naming, options: Partial<Omit<Criterion, 'value' | 'naming'>> = {}): Criterion => ({
  value,
  naming,
  joins: options.joins ?? [],
  openEnded: options.openEnded ?? false,
  searchParameter: options.searchParameter ?? null,
});

export const CRITERIA: Record<CriterionName, Criterion> = {
  academicYear: criterion('c.academic_year', itself, { searchParameter: 'academicYear' }),
  // The enrolment's codes, which the database copies onto the convention (as the search reads them).
  faculty: criterion('c.faculty_code', { kind: 'record', table: 'faculty', key: 'code', label: '{alias}.label' }, { searchParameter: 'faculty' }),
  step: criterion('c.step_code', { kind: 'record', table: 'study_step', key: 'code', label: '{alias}.label' }, { searchParameter: 'step' }),
  department: criterion("nullif(trim(t.department), '')", itself, { joins: ['supervisor'] }),

  conventionType: criterion(code('c.convention_type'), reference('conventionTypes'), { searchParameter: 'conventionType' }),
  nafSection: criterion("naf.attributes->>'section'", reference('nafSections'), { joins: ['host', 'nafClass'], searchParameter: 'nafSection' }),
  // As the search's "gratification: no", a convention not saying it is paid counts as unpaid.
  gratification: criterion(
    "CASE WHEN c.effective_gratification THEN 'yes' ELSE 'no' END",
    {
      kind: 'computed',
      label: (value, t) => t(`statistics.values.gratification.${value}`),
      rank: (value) => (value === 'yes' ? 0 : 1),
    },
    { searchParameter: 'gratification' },
  ),
  workingTime: criterion(code('c.working_time'), reference('workingTime'), { searchParameter: 'workingTime' }),
  daysPerWeek: criterion(
    '(c.days_per_week::float8)::text',
    {
      kind: 'computed',
      label: (value, t) => t(Number(value) < 2 ? 'statistics.values.day' : 'statistics.values.days', { count: frenchDecimal(value) }),
      rank: Number,
    },
    { searchParameter: 'daysPerWeek' },
  ),
  origin: criterion(code('c.internship_origin'), reference('internshipOrigins')),
  supervisor: criterion(
    'c.effective_supervisor_teacher_id',
    {
      kind: 'record',
      table: 'teacher',
      key: 'id',
      label: "{alias}.last_name || ' ' || {alias}.first_name",
    },
    { openEnded: true },
  ),
  host: criterion(
    'c.host_id',
    {
      kind: 'record',
      table: 'host',
      key: 'id',
      label: "{alias}.name || coalesce(' (' || {alias}.town || ')', '')",
    },
    { openEnded: true },
  ),
  legalStatus: criterion(code('h.legal_status_code'), reference('legalStatuses'), { joins: ['host'], searchParameter: 'legalStatus' }),
  headcount: criterion(code('h.headcount_code'), reference('headcountBands'), { joins: ['host'], searchParameter: 'headcount' }),
  internshipDepartment: criterion(
    INTERNSHIP_DEPARTMENT,
    {
      kind: 'computed',
      label: (value, t) => (value === ABROAD ? t('statistics.values.abroad') : value),
      // Corsica between 19 and 21, overseas after the mainland, abroad after every code (letters follow digits).
      rank: (value) => (value === ABROAD ? 'zzz' : value.replace(/^2([AB])$/, '20$1')),
    },
    { joins: ['host', 'place'], openEnded: true },
  ),
  country: criterion(code('c.internship_country'), reference('countries'), { openEnded: true, searchParameter: 'country' }),
  theme: criterion(code('c.theme'), reference('themes'), { searchParameter: 'theme' }),
  duration: criterion(DURATION_BAND, {
    kind: 'computed',
    label: (value, t) => t(`statistics.values.duration.${value}`),
    rank: (value) => DURATION_BANDS.indexOf(value as (typeof DURATION_BANDS)[number]),
  }),
};
