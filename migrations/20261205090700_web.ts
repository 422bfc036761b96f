import type { Knex } from 'knex';

/**
 * What the web layer keeps in the database so that several instances of the application share it:
 * sessions and the CAS tickets already used.
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
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('cas_ticket');
  await knex.schema.dropTableIfExists('session');
}
