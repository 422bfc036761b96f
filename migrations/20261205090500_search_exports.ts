import type { Knex } from 'knex';

/**
 * Search, exports and statistics: the indexes the convention search walks (src/conventions/search/repository.ts)
 * and the users' saved choices (the export columns). The search reads the columns the convention derives
 * (effective values and search copies, docs/schema.md), so that it filters and sorts with plain indexes.
 */

/** What the everyday searches read, scope and sorts included: the columns the four walked indexes carry. */
const EVERYDAY_COLUMNS = [
  'id',
  'number',
  'status',
  'entered_by_staff',
  'student_id',
  'effective_start_date',
  'effective_end_date',
  'academic_year',
  'effective_gratification',
  'convention_type',
  'faculty_code',
  'step_code',
  'host_name_search',
  'host_town_search',
];

/** Every column a criterion, the scope or a sort reads, for the rarer criteria (theme, country, days per week...). */
const EVERY_SEARCHED_COLUMN = [
  'id',
  'number',
  'status',
  'entered_by_staff',
  'student_id',
  'enrolment_id',
  'host_id',
  'effective_start_date',
  'effective_end_date',
  'effective_supervisor_teacher_id',
  'effective_gratification',
  'convention_type',
  'internship_kind',
  'theme',
  'days_per_week',
  'working_time',
  'print_language',
  'internship_country',
  'offer_id',
  'validated_amendment_count',
  'faculty_code',
  'step_code',
  'host_name_search',
  'host_town_search',
];

/** The indexes walked by the search, on the centre and one key, carrying the everyday columns so that it reads them alone. */
const WALKED_INDEXES = [
  { name: 'convention_search_scope', key: 'academic_year' },
  { name: 'convention_search_end', key: 'effective_end_date' },
  { name: 'convention_search_status', key: 'status' },
  { name: 'convention_search_type', key: 'convention_type' },
];

const INDEXES = [
  ...WALKED_INDEXES.map(
    ({ name, key }) => `CREATE INDEX ${name} ON convention (centre_id, ${key}) INCLUDE (${EVERYDAY_COLUMNS.filter((column) => column !== key).join(', ')})`,
  ),
  `CREATE INDEX convention_search_every ON convention (centre_id, academic_year) INCLUDE (${EVERY_SEARCHED_COLUMN.join(', ')})`,
  // A narrow index on the same keys, for the bitmaps combining the centre and year with the words of the subject.
  'CREATE INDEX convention_centre_year ON convention (centre_id, academic_year)',
  'CREATE INDEX convention_centre_effective_start ON convention (centre_id, effective_start_date)',
  'CREATE INDEX convention_effective_end ON convention (effective_end_date)',
  'CREATE INDEX convention_effective_supervisor ON convention (effective_supervisor_teacher_id)',
  'CREATE INDEX convention_amended ON convention (validated_amendment_count) WHERE validated_amendment_count > 0',
  'CREATE INDEX convention_offer ON convention (offer_id) WHERE offer_id IS NOT NULL',
  'CREATE INDEX convention_subject_search ON convention USING gin (effective_subject_search gin_trgm_ops)',
  // A rare host name or town is found through these, without reading every convention of the centres.
  'CREATE INDEX convention_host_name_search ON convention USING gin (host_name_search gin_trgm_ops) WITH (fastupdate = off)',
  'CREATE INDEX convention_host_town_search ON convention USING gin (host_town_search gin_trgm_ops) WITH (fastupdate = off)',
  // Past 10,000 matches, a page is cut by walking one of these in the order of the sort until 20 rows match.
  // By start date in both directions, since undated drafts come last either way.
  'CREATE INDEX convention_start_order ON convention (effective_start_date ASC NULLS LAST, id ASC)',
  'CREATE INDEX convention_start_order_descending ON convention (effective_start_date DESC NULLS LAST, id DESC)',
  'CREATE INDEX convention_centre_host_order ON convention (centre_id, host_name_search, id)',
  'CREATE INDEX student_name_order ON student (last_name_search, first_name_search, id)',
  'CREATE INDEX host_name_order_all ON host (name_search, id)',
  // The name of each convention of a page sorted by student, read from the index alone.
  'CREATE INDEX student_sort_names ON student (id) INCLUDE (last_name_search, first_name_search)',
  // Criteria on faculties and study steps become lists of enrolment ids, read from these.
  'CREATE INDEX enrolment_faculty_step_ids ON enrolment (faculty_code, step_code) INCLUDE (id)',
  'CREATE INDEX enrolment_step_ids ON enrolment (step_code) INCLUDE (id)',
];

const indexName = (statement: string) => /^CREATE INDEX (\w+)/.exec(statement)![1]!;

export async function up(knex: Knex): Promise<void> {
  for (const statement of INDEXES) await knex.raw(statement);

  // What a user chose once and expects to find again (the export columns).
  await knex.schema.createTable('user_preference', (table) => {
    table.text('login').notNullable();
    table.text('name').notNullable();
    table.jsonb('value').notNullable();
    table.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    table.primary(['login', 'name']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('user_preference');
  for (const statement of [...INDEXES].reverse()) await knex.raw(`DROP INDEX IF EXISTS ${indexName(statement)}`);
}
