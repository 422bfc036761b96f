import type { Knex } from 'knex';

/**
 * A page sorted by student or host name looks up the name of every convention matched (a few thousand
 * at most): these indexes carry the names the sorts read after the id, so that each lookup is read from
 * the index alone instead of from the table's row (1,700 conventions sorted by student: 3.6 → 1.9 ms).
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw('CREATE INDEX student_sort_names ON student (id) INCLUDE (last_name_search, first_name_search)');
  await knex.raw('CREATE INDEX host_sort_name ON host (id) INCLUDE (name_search)');
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('DROP INDEX host_sort_name');
  await knex.raw('DROP INDEX student_sort_names');
}
