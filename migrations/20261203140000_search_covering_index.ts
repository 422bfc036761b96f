import type { Knex } from 'knex';

/**
 * Staff searches read every convention of their centres that the criteria leave: tens of thousands for a
 * large faculty, on as many table pages, since a centre's conventions are spread over the whole table.
 * This index carries, after the centre and academic year, every column of the convention that the
 * search's criteria, scope and sorts read (all but the subject, which has its trigram index), so that
 * PostgreSQL answers them from the index alone (index-only scans, measured in the closing note of issue
 * 5). It replaces the index on the centre and academic year, whose keys it has. The criteria on faculties
 * and study steps become lists of enrolment ids, read from indexes that carry the id.
 */
export const SEARCHED_COLUMNS = [
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
];

/** What an index of the search carries after the centre and `key`: the searched columns, and the academic year when it is not the key. */
export const carriedAfter = (key: string) => [...SEARCHED_COLUMNS.filter((column) => column !== key), ...(key === 'academic_year' ? [] : ['academic_year'])];

export async function up(knex: Knex): Promise<void> {
  await knex.raw(`CREATE INDEX convention_search_scope ON convention (centre_id, academic_year) INCLUDE (${SEARCHED_COLUMNS.join(', ')})`);
  await knex.raw('DROP INDEX convention_centre_year');
  await knex.raw('CREATE INDEX enrolment_faculty_step_ids ON enrolment (faculty_code, step_code) INCLUDE (id)');
  await knex.raw('CREATE INDEX enrolment_step_ids ON enrolment (step_code) INCLUDE (id)');
  await knex.raw('DROP INDEX enrolment_faculty_step');
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('CREATE INDEX enrolment_faculty_step ON enrolment (faculty_code, step_code)');
  await knex.raw('DROP INDEX enrolment_step_ids');
  await knex.raw('DROP INDEX enrolment_faculty_step_ids');
  await knex.raw('CREATE INDEX convention_centre_year ON convention (centre_id, academic_year)');
  await knex.raw('DROP INDEX convention_search_scope');
}
