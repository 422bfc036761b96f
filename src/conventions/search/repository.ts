import type { Db } from '../../db/knex.ts';
import type { Knex } from 'knex';
import type { Actor } from '../../access/actor.ts';
import { visibleConventions, type ConventionStatus } from '../shared/repository.ts';
import type { ConventionSearch, SearchOrder } from './schemas.ts';
import { containing } from '../../db/text-search.ts';
import { cachedPerDatabase } from '../../db/reference-cache.ts';

/**
 * The convention search, the one query behind /conventions, its exports and its statistics.
 * It starts from `visibleConventions`, so no criterion, sort or page can reach past the actor's scope.
 * Dates, subject, gratification and supervisor are the effective values (after validated amendments).
 * Criteria on other tables are `IN (subquery)` rather than joins: the caller joins what it shows.
 */

/**
 * Accent- and case-insensitive "contains", through the trigram index on the same expression. ILIKE,
 * not LIKE: in a database of collation "C", `lower` leaves "É" as it is and unaccent then makes it
 * "E", which LIKE would not match with the "e" of "élodie" typed (the trigram index serves ILIKE too).
 */
function whereContains(query: Knex.QueryBuilder, expression: string, value: string): void {
  query.whereRaw(`immutable_unaccent(lower(${expression})) ILIKE immutable_unaccent(lower(?))`, [containing(value)]);
}

/** "Contains" on a column kept unaccented and in lower case (the generated `…_search` columns), through its trigram index. */
function whereSearchColumnContains(query: Knex.QueryBuilder, column: string, value: string): void {
  query.whereRaw(`${column} LIKE lower(immutable_unaccent(?))`, [containing(value)]);
}

function studentIds(db: Db, criteria: ConventionSearch): Knex.QueryBuilder | null {
  if (criteria.studentNumber === null && criteria.lastName === null && criteria.firstName === null) return null;
  const students = db('student as s').select('s.id');
  if (criteria.studentNumber !== null) students.where('s.student_number', criteria.studentNumber);
  // The indexed "last first" / "first last" expressions narrow the rows; the exact column then decides.
  if (criteria.lastName !== null) {
    whereContains(students, "s.last_name || ' ' || s.first_name", criteria.lastName);
    whereSearchColumnContains(students, 's.last_name_search', criteria.lastName);
  }
  if (criteria.firstName !== null) {
    whereContains(students, "s.first_name || ' ' || s.last_name", criteria.firstName);
    whereSearchColumnContains(students, 's.first_name_search', criteria.firstName);
  }
  return students;
}

/**
 * The hosts the criteria on the host's own columns leave. The host's name and town are not among them:
 * the convention carries their searched forms (`host_name_search`, `host_town_search`), kept by the
 * database, so that a common word ("lyon") no longer reads a tenth of the directory at each search.
 */
function hostIds(db: Db, criteria: ConventionSearch): Knex.QueryBuilder | null {
  const { siret, postalCode, hostType, legalStatus, headcount, nafSection } = criteria;
  if ([siret, postalCode, hostType, legalStatus, headcount, nafSection].every((value) => value === null)) return null;
  const hosts = db('host as h').select('h.id');
  if (siret !== null) hosts.whereRaw("h.siret LIKE ? || '%'", [siret]);
  if (postalCode !== null) hosts.whereRaw("h.postal_code LIKE ? || '%'", [postalCode.replace(/[\\%_]/g, '')]);
  if (hostType !== null) hosts.where('h.host_type_code', hostType);
  if (legalStatus !== null) hosts.where('h.legal_status_code', legalStatus);
  if (headcount !== null) hosts.where('h.headcount_code', headcount);
  if (nafSection !== null)
    hosts.whereIn('h.naf_code', db('reference_item').select('code').where({ list: 'nafClasses' }).whereRaw("attributes->>'section' = ?", [nafSection]));
  return hosts;
}

/** Adds `days` days to an ISO date (UTC arithmetic: no time zone can shift a calendar date). */
function plusDays(isoDate: string, days: number): string {
  const date = new Date(`${isoDate}T00:00:00Z`);
  date.setUTCDate(date.getUTCDate() + days);
  return date.toISOString().slice(0, 10);
}

function plusOneMonth(isoDate: string): string {
  const date = new Date(`${isoDate}T00:00:00Z`);
  const day = date.getUTCDate();
  date.setUTCDate(1);
  date.setUTCMonth(date.getUTCMonth() + 1);
  const lastDay = new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + 1, 0)).getUTCDate();
  date.setUTCDate(Math.min(day, lastDay));
  return date.toISOString().slice(0, 10);
}

function wherePeriod(query: Knex.QueryBuilder, criteria: ConventionSearch, today: string): void {
  switch (criteria.period) {
    case 'in_progress':
      query.where('c.effective_start_date', '<=', today).where('c.effective_end_date', '>=', today);
      break;
    case 'starting_1w':
    case 'starting_2w':
    case 'starting_1m': {
      const until = criteria.period === 'starting_1m' ? plusOneMonth(today) : plusDays(today, criteria.period === 'starting_1w' ? 7 : 14);
      query.where('c.effective_start_date', '>=', today).where('c.effective_start_date', '<=', until);
      break;
    }
    case 'ended':
      query.where('c.effective_end_date', '<', today);
      break;
    case 'between':
    case null:
      break;
  }
  // The internships that overlap the dates typed, even by one day ("between", or with another period).
  if (criteria.to !== null) query.where('c.effective_start_date', '<=', criteria.to);
  if (criteria.from !== null) query.where('c.effective_end_date', '>=', criteria.from);
}

/** The conventions the actor may see that match the criteria: `convention as c`, nothing selected yet. */
export function matchingConventions(db: Db, actor: Actor, criteria: ConventionSearch, today: string): Knex.QueryBuilder {
  const query = visibleConventions(db, actor);
  if (criteria.number !== null) query.where('c.number', criteria.number);
  if (criteria.academicYear !== null) query.where('c.academic_year', criteria.academicYear);
  const students = studentIds(db, criteria);
  if (students) query.whereIn('c.student_id', students);
  if (criteria.subject !== null) {
    for (const word of criteria.subject.split(/\s+/).filter(Boolean)) whereSearchColumnContains(query, 'c.effective_subject_search', word);
  }
  const equal: [keyof ConventionSearch, string][] = [
    ['conventionType', 'c.convention_type'],
    ['internshipKind', 'c.internship_kind'],
    ['theme', 'c.theme'],
    ['workingTime', 'c.working_time'],
    ['printLanguage', 'c.print_language'],
    ['country', 'c.internship_country'],
  ];
  for (const [criterion, column] of equal) if (criteria[criterion] !== null) query.where(column, criteria[criterion] as string);
  if (criteria.daysPerWeek !== null) query.where('c.days_per_week', criteria.daysPerWeek);
  if (criteria.gratification !== null) {
    if (criteria.gratification) query.where('c.effective_gratification', true);
    else query.whereRaw('c.effective_gratification IS NOT TRUE');
  }
  if (criteria.status === 'validated') query.where('c.status', 'validated');
  else if (criteria.status === 'not_validated') query.whereNot('c.status', 'validated');
  else if (criteria.status !== null) query.where('c.status', criteria.status satisfies ConventionStatus);
  wherePeriod(query, criteria, today);
  // The faculty and step of the convention's enrolment, which the database copies onto the convention.
  if (criteria.faculties.length > 0) query.whereIn('c.faculty_code', criteria.faculties);
  if (criteria.steps.length > 0) query.whereIn('c.step_code', criteria.steps);
  if (criteria.supervisor !== null) {
    const teachers = db('teacher as t').select('t.id');
    whereContains(teachers, "t.last_name || ' ' || t.first_name", criteria.supervisor);
    query.whereIn('c.effective_supervisor_teacher_id', teachers);
  }
  if (criteria.hostName !== null) whereSearchColumnContains(query, 'c.host_name_search', criteria.hostName);
  if (criteria.town !== null) whereSearchColumnContains(query, 'c.host_town_search', criteria.town);
  const hosts = hostIds(db, criteria);
  if (hosts) query.whereIn('c.host_id', hosts);
  if (criteria.foreignOnly) {
    // Abroad: not France, nor its overseas territories (INSEE code 99100 in the list of countries).
    query
      .whereNotNull('c.internship_country')
      .whereNotIn('c.internship_country', db('reference_item').select('code').where({ list: 'countries' }).whereRaw("attributes->>'cog' = '99100'"))
      .whereNot('c.internship_country', 'FR');
  }
  if (criteria.offerNumber !== null) query.where('c.offer_id', criteria.offerNumber);
  if (criteria.amendments === true) query.where('c.validated_amendment_count', '>', 0);
  else if (criteria.amendments === false) query.where('c.validated_amendment_count', 0);
  return query;
}

export interface ConventionSearchRow {
  id: number;
  number: number | null;
  status: ConventionStatus;
  academic_year: string;
  start_date: string | null;
  end_date: string | null;
  subject: string | null;
  student_number: string;
  student_last_name: string;
  student_first_name: string;
  centre_name: string;
  host_name: string | null;
  validated_amendment_count: number;
}

export const PAGE_SIZE = 20;

/** The states in the order of the life cycle (docs/domain.md), the order of the sort by status. */
const STATUS_ORDER = `array_position(ARRAY['draft', 'submitted', 'pedagogically_validated', 'validated', 'refused', 'cancelled']::text[], c.status)`;

/** One expression of a sort, and where its empty values go whatever the direction. */
interface SortKey {
  expression: string;
  nulls?: 'FIRST' | 'LAST';
}

/** The keys of each sort, reading the convention as `c` and the student as `s`. */
function sortKeys(sort: SearchOrder['sort']): SortKey[] {
  switch (sort) {
    case 'number':
      return [{ expression: 'c.number', nulls: 'FIRST' }, { expression: 'c.id' }];
    case 'student':
      return [{ expression: 's.last_name_search' }, { expression: 's.first_name_search' }, { expression: 'c.id' }];
    case 'host':
      return [{ expression: 'c.host_name_search', nulls: 'LAST' }, { expression: 'c.id' }];
    case 'start':
      return [{ expression: 'c.effective_start_date', nulls: 'LAST' }, { expression: 'c.id' }];
    case 'status':
      return [{ expression: STATUS_ORDER }, { expression: 'c.number', nulls: 'FIRST' }, { expression: 'c.id' }];
  }
}

const orderOf = (keys: readonly SortKey[], direction: 'ASC' | 'DESC', expressionOf: (key: SortKey, index: number) => string) =>
  keys.map((key, index) => `${expressionOf(key, index)} ${direction}${key.nulls ? ` NULLS ${key.nulls}` : ''}`).join(', ');

/**
 * The ORDER BY of each sort (also the order of the exports), and the tables it reads besides the
 * convention: the student as `s` (the convention carries its host's name). Every sort ends on the id
 * so that pages never share or skip a row. `selected` names its keys `sort_key_0`, `sort_key_1`... and
 * `sortedAgain` orders a page on them: a page is cut from the matches with a LIMIT straight after the
 * ORDER BY, which PostgreSQL answers by keeping only the best rows (a top-N sort) instead of sorting
 * every match.
 */
export function searchOrder(order: SearchOrder): { sql: string; selected: string; sortedAgain: (alias: string) => string; joins: 'student'[] } {
  const direction = order.direction === 'asc' ? 'ASC' : 'DESC';
  const keys = sortKeys(order.sort);
  const joins: 'student'[] = order.sort === 'student' ? ['student'] : [];
  return {
    sql: orderOf(keys, direction, (key) => key.expression),
    selected: keys.map((key, index) => `${key.expression} AS sort_key_${index}`).join(', '),
    sortedAgain: (alias) => orderOf(keys, direction, (_key, index) => `${alias}.sort_key_${index}`),
    joins,
  };
}

/**
 * The list counts its matches up to this many, then says "more than": counting the tens of thousands
 * of conventions of a large centre at every page would cost more than the page itself. Exact figures of
 * any size are the statistics' and the export page's.
 */
export const COUNT_LIMIT = 10000;

/**
 * The columns of the convention each sort reads, carried with the id by the matching set so that it is
 * sorted alone: only those of the sort asked for, since every match is copied into the set.
 */
export const SORT_COLUMNS: Record<SearchOrder['sort'], readonly string[]> = {
  number: ['c.id', 'c.number'],
  student: ['c.id', 'c.student_id'],
  host: ['c.id', 'c.host_name_search'],
  start: ['c.id', 'c.effective_start_date'],
  status: ['c.id', 'c.status', 'c.number'],
};

/**
 * The student of each row of a small set, for the sort by student: one index lookup per row (OFFSET 0
 * keeps PostgreSQL from turning them into a join, which would read the whole table of students to sort
 * a few thousand conventions).
 */
function joinSortKeys(query: Knex.QueryBuilder, joins: readonly 'student'[]): void {
  if (joins.includes('student'))
    query.joinRaw('JOIN LATERAL (SELECT s.last_name_search, s.first_name_search FROM student s WHERE s.id = c.student_id OFFSET 0) s ON true');
}

/** What the list shows of the conventions of `page` (their `id` and sort keys), in the order of `sort`. */
function displayedRows(query: Knex.QueryBuilder, sort: ReturnType<typeof searchOrder>): Knex.QueryBuilder {
  return query
    .leftJoin('convention as c', 'c.id', 'page.id')
    .leftJoin('student as s', 's.id', 'c.student_id')
    .leftJoin('centre as ce', 'ce.id', 'c.centre_id')
    .leftJoin('host as h', 'h.id', 'c.host_id')
    .select(
      'c.id',
      'c.number',
      'c.status',
      'c.academic_year',
      'c.effective_start_date as start_date',
      'c.effective_end_date as end_date',
      'c.effective_subject as subject',
      'c.validated_amendment_count',
      's.student_number',
      's.last_name as student_last_name',
      's.first_name as student_first_name',
      'ce.name as centre_name',
      'h.name as host_name',
    )
    .orderByRaw(sort.sortedAgain('page'));
}

/**
 * One page of the search, and the number of matching conventions (up to COUNT_LIMIT).
 *
 * Most searches match at most a few thousand conventions: one query gathers up to COUNT_LIMIT + 1 of
 * them with the columns the sorts read, counts them and, when they are all there, cuts the page from
 * them. Only when more match is a second query needed, cut from the whole scope by walking the index
 * of the sort (number, start date, student or host name) until the page is full; the sort by status,
 * which no index serves, then reads every match.
 */
export async function searchConventionPage(
  db: Db,
  actor: Actor,
  criteria: ConventionSearch,
  order: SearchOrder,
  page: number,
  today: string,
): Promise<{ rows: ConventionSearchRow[]; total: number; moreThanTotal: boolean }> {
  const matching = matchingConventions(db, actor, criteria, today);
  const sort = searchOrder(order);
  const offset = (page - 1) * PAGE_SIZE;

  const sortedFew = db.from('matched as c').select('c.id', db.raw(sort.selected));
  joinSortKeys(sortedFew, sort.joins);
  // Not cut at all when the matches overflow the set: that page would be wrong, and is cut below.
  sortedFew.whereRaw('(SELECT total FROM counted) <= ?', [COUNT_LIMIT]).orderByRaw(sort.sql).limit(PAGE_SIZE).offset(offset);
  const firstPass = (await displayedRows(
    db
      .withMaterialized(
        'matched',
        matching
          .clone()
          .select(SORT_COLUMNS[order.sort])
          .limit(COUNT_LIMIT + 1),
      )
      .with('counted', db.from('matched').count({ total: '*' }))
      .with('page', sortedFew)
      .from('counted')
      .joinRaw('LEFT JOIN page ON true')
      .select('counted.total'),
    sort,
  )) as (ConventionSearchRow & { total: number | string; id: number | null })[];
  const matched = Number(firstPass[0]?.total ?? 0);
  const strip = ({ total: _total, ...row }: ConventionSearchRow & { total: unknown }) => row as ConventionSearchRow;
  if (matched <= COUNT_LIMIT) return { rows: firstPass.filter((row) => row.id !== null).map(strip), total: matched, moreThanTotal: false };

  const walked: Knex.QueryBuilder =
    order.sort === 'status' ? db.withMaterialized('matched', matching.clone().select(SORT_COLUMNS.status)).from('matched as c') : matching.clone();
  if (sort.joins.includes('student')) walked.join('student as s', 's.id', 'c.student_id');
  walked.select('c.id', db.raw(sort.selected)).orderByRaw(sort.sql).limit(PAGE_SIZE).offset(offset);
  const rows = (await displayedRows(db.with('page', walked).from('page'), sort)) as ConventionSearchRow[];
  return { rows, total: COUNT_LIMIT, moreThanTotal: true };
}

export interface SearchChoices {
  faculties: { code: string; label: string }[];
  steps: { code: string; label: string; faculty_code: string }[];
  hostTypes: { code: string; label: string }[];
  legalStatuses: { code: string; label: string }[];
  headcountBands: { code: string; label: string }[];
  nafSections: { code: string; label: string }[];
}

/** The lists of the advanced search that the wizard's reference choices do not hold. */
export const loadSearchChoices = cachedPerDatabase(async (db: Db): Promise<SearchChoices> => {
  const lists = ['hostTypes', 'legalStatuses', 'headcountBands', 'nafSections'] as const;
  const [faculties, steps, items] = await Promise.all([
    db('faculty').orderBy('label').select('code', 'label') as Promise<SearchChoices['faculties']>,
    db('study_step').orderBy('label').select('code', 'label', 'faculty_code') as Promise<SearchChoices['steps']>,
    db('reference_item').whereIn('list', lists).where({ active: true }).orderBy(['list', 'position']).select('list', 'code', 'label') as Promise<
      { list: (typeof lists)[number]; code: string; label: string }[]
    >,
  ]);
  const choices: SearchChoices = { faculties, steps, hostTypes: [], legalStatuses: [], headcountBands: [], nafSections: [] };
  for (const item of items) choices[item.list].push({ code: item.code, label: item.label });
  return choices;
});
