import type { Knex } from 'knex';

/**
 * What the web layer keeps in the database so that several instances of the application share it:
 * sessions, the CAS tickets already used, and the counters of the rate limits.
 */
export async function up(knex: Knex): Promise<void> {
  // connect-pg-simple's table.
  await knex.schema.createTable('session', (table) => {
    table.string('sid').primary();
    table.json('sess').notNullable();
    table.timestamp('expire', { precision: 6, useTz: false }).notNullable().index('session_expire_index');
  });

  // CAS service tickets are single-use: a ticket seen once is refused forever after.
  await knex.schema.createTable('cas_ticket', (table) => {
    table.text('ticket').primary();
    table.timestamp('used_at', { useTz: true }).notNullable().defaultTo(knex.fn.now()).index('cas_ticket_used_at_index');
  });

  // The hits of one client (the limiter's prefix and the client's address) in the current window
  // (src/web/rate-limit-store.ts); a row whose window has ended counts for nothing and is purged.
  await knex.schema.createTable('rate_limit_counter', (table) => {
    table.text('key').primary();
    table.integer('hits').notNullable();
    table.timestamp('reset_at', { useTz: true }).notNullable().index('rate_limit_counter_reset_at_index');
    table.check('hits >= 0', [], 'rate_limit_counter_hits_positive');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('rate_limit_counter');
  await knex.schema.dropTableIfExists('cas_ticket');
  await knex.schema.dropTableIfExists('session');
}
