import type { Knex } from 'knex';

/**
 * Notification of a validated amendment (issue 4 "E-mail notifications"): a new kind, `amendment_validated`,
 * sent to the student and the supervising teacher. The CHECK of 20261123131000_notifications is replaced.
 */
const BEFORE = ['submitted', 'validated', 'refused', 'changed_by_student'] as const;
const AFTER = [...BEFORE, 'amendment_validated'] as const;

const check = (kinds: readonly string[]) => `kind IN (${kinds.map((kind) => `'${kind}'`).join(', ')})`;

export async function up(knex: Knex): Promise<void> {
  await knex.raw('ALTER TABLE notification DROP CONSTRAINT notification_kind_known');
  await knex.raw(`ALTER TABLE notification ADD CONSTRAINT notification_kind_known CHECK (${check(AFTER)})`);
}

export async function down(knex: Knex): Promise<void> {
  await knex('notification').where({ kind: 'amendment_validated' }).delete();
  await knex.raw('ALTER TABLE notification DROP CONSTRAINT notification_kind_known');
  await knex.raw(`ALTER TABLE notification ADD CONSTRAINT notification_kind_known CHECK (${check(BEFORE)})`);
}
