import type { Knex } from 'knex';

/**
 * Staff search within their centres (every staff query filters on `centre_id`): periods read the
 * effective dates of one centre's conventions instead of every convention in the date range.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw('CREATE INDEX convention_centre_effective_start ON convention (centre_id, effective_start_date)');
  await knex.raw('CREATE INDEX convention_centre_effective_end ON convention (centre_id, effective_end_date)');
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('DROP INDEX IF EXISTS convention_centre_effective_end');
  await knex.raw('DROP INDEX IF EXISTS convention_centre_effective_start');
}
