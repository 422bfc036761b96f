import type { Knex } from 'knex';

/**
 * A search by words of the subject (trigram index) within a year combines, in a bitmap, the conventions
 * the words match with those of the centre and year. The covering index of the search has those keys,
 * but PostgreSQL costs reading it by its size (it carries twenty columns) and took instead the whole
 * centre from another index, and the whole year from a third. This narrow index on the centre and
 * year serves such combinations (subject and year in a centre of 75,000 conventions: 14 → 11 ms).
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw('CREATE INDEX convention_centre_year ON convention (centre_id, academic_year)');
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('DROP INDEX convention_centre_year');
}
