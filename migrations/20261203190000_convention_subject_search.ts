import type { Knex } from 'knex';
import { conventionReadOnly } from './20261203100000_privacy.ts';

/**
 * The search by words of the subject read its trigram index on `immutable_unaccent(lower(...))`, then
 * computed that expression again on every convention the index let through (a trigram index always
 * has its rows checked): unaccenting costs about 5 µs a row, 6 ms of a 16 ms search matching 1,250
 * conventions. The subject is now kept unaccented and in lower case in a generated column, as the names
 * of the host directory are, and the index is built on it. The column follows the effective subject,
 * which amendments change on validated conventions: the trigger that freezes them lets it change too.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw('ALTER TABLE convention ADD COLUMN effective_subject_search text GENERATED ALWAYS AS (lower(immutable_unaccent(effective_subject))) STORED');
  await knex.raw(conventionReadOnly(true, ['effective_subject_search']));
  await knex.raw('CREATE INDEX convention_subject_search ON convention USING gin (effective_subject_search gin_trgm_ops)');
  await knex.raw('DROP INDEX convention_effective_subject_words');
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('CREATE INDEX convention_effective_subject_words ON convention USING gin (immutable_unaccent(lower(effective_subject)) gin_trgm_ops)');
  await knex.raw(conventionReadOnly(true));
  await knex.raw('ALTER TABLE convention DROP COLUMN effective_subject_search');
}
