import type { Knex } from 'knex';

/**
 * When more than 10,000 conventions match, the page is cut by walking an index in the order of the sort
 * until 20 rows match, instead of sorting every match: by start date in both directions (the sort puts
 * undated drafts last either way, which one index read backwards cannot do), and by student or host name.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw('DROP INDEX IF EXISTS convention_effective_start');
  await knex.raw('CREATE INDEX convention_start_order ON convention (effective_start_date ASC NULLS LAST, id ASC)');
  await knex.raw('CREATE INDEX convention_start_order_descending ON convention (effective_start_date DESC NULLS LAST, id DESC)');
  await knex.raw('CREATE INDEX student_name_order ON student (lower(immutable_unaccent(last_name)), lower(immutable_unaccent(first_name)), id)');
  await knex.raw('CREATE INDEX host_name_order_all ON host (name_search, id)');
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('DROP INDEX IF EXISTS host_name_order_all');
  await knex.raw('DROP INDEX IF EXISTS student_name_order');
  await knex.raw('DROP INDEX IF EXISTS convention_start_order_descending');
  await knex.raw('DROP INDEX IF EXISTS convention_start_order');
  await knex.raw('CREATE INDEX convention_effective_start ON convention (effective_start_date)');
}
