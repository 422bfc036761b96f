import type { Knex } from 'knex';
import { carriedAfter } from './20261203140000_search_covering_index.ts';

/**
 * The periods of the search (in progress, between two dates, ended) bound the effective end date: with
 * this index, which carries the same columns as the search's covering index after the centre and end
 * date, PostgreSQL reads only the conventions of the centre that end in the range, from the index alone,
 * instead of every convention of the centre (a search "in progress" in a centre of 75,000 conventions:
 * 16 ms → 5 ms, measured in the closing note of issue 5). It replaces the index on the same keys, which
 * carried nothing.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`CREATE INDEX convention_search_end ON convention (centre_id, effective_end_date) INCLUDE (${carriedAfter('effective_end_date').join(', ')})`);
  await knex.raw('DROP INDEX convention_centre_effective_end');
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('CREATE INDEX convention_centre_effective_end ON convention (centre_id, effective_end_date)');
  await knex.raw('DROP INDEX convention_search_end');
}
