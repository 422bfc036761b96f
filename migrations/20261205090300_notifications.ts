import type { Knex } from 'knex';

/**
 * E-mail notifications: an outbox the conventions' transactions add to, and a worker that sends its
 * messages afterwards (src/notifications/sender.ts), so that a mail server that is down never breaks a
 * user's action.
 *
 * - `link` is the page's path (`/conventions/12`); the sender and the outbox page prefix it with the public
 *   address of the installation, which the transaction adding the row does not need to know.
 * - `status`: `queued` until sent (a failed attempt stays queued, with `last_error` and a later
 *   `next_attempt_at`), `sent`, or `failed` once the attempts are exhausted.
 */
const KINDS = ['submitted', 'validated', 'refused', 'changed_by_student', 'amendment_validated'] as const;

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('notification', (table) => {
    table.bigIncrements('id');
    table.text('kind').notNullable();
    table.integer('convention_id').references('convention.id').onDelete('SET NULL');
    table.text('recipient').notNullable();
    table.text('subject').notNullable();
    table.text('text_body').notNullable();
    table.text('link');
    table.text('status').notNullable().defaultTo('queued');
    table.integer('attempts').notNullable().defaultTo(0);
    table.timestamp('next_attempt_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    table.text('last_error');
    table.text('created_by');
    table.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    table.timestamp('sent_at', { useTz: true });
    table.check(`kind IN (${KINDS.map((kind) => `'${kind}'`).join(', ')})`, [], 'notification_kind_known');
    table.check("status IN ('queued', 'sent', 'failed')", [], 'notification_status_known');
    table.check('attempts >= 0', [], 'notification_attempts_positive');
    table.check("(status = 'sent') = (sent_at IS NOT NULL)", [], 'notification_sent_at_when_sent');
    table.index(['convention_id'], 'notification_convention_index');
  });
  // The worker's look-up: the queued messages that are due, oldest first.
  await knex.raw("CREATE INDEX notification_due_index ON notification (next_attempt_at, id) WHERE status = 'queued'");
  await knex.raw('CREATE INDEX notification_list_order ON notification (created_at DESC, id DESC)');
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('notification');
}
