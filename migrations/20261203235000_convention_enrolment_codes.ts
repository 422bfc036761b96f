import type { Knex } from 'knex';
import { carriedAfter } from './20261203140000_search_covering_index.ts';
import { conventionReadOnly } from './20261203100000_privacy.ts';

/**
 * A search by faculty or study step read every enrolment of the faculty (18,000 for a large one, of all
 * years) to test each convention's enrolment against them: 3 to 4 ms of a 12 ms search. The convention
 * now carries the faculty and step of its enrolment, copied by the database when the convention is
 * written and again when the enrolment changes (a new step, a code renamed), and the indexes of the
 * search carry them with the other searched columns. Validated conventions let them follow their
 * enrolment, as they let the generated subject follow the effective one.
 *
 * Two transactions, each safe to run again: the copy writes a new version of every convention, and an
 * index built in the same transaction would hold the old versions too (twice its size, for good). The
 * search's indexes are dropped before the copy, which then need not update them, and built after it.
 */
export const config = { transaction: false };

export const SEARCH_INDEXES = [
  { name: 'convention_search_scope', key: 'academic_year' },
  { name: 'convention_search_end', key: 'effective_end_date' },
  { name: 'convention_search_status', key: 'status' },
  { name: 'convention_search_type', key: 'convention_type' },
];

/** The four walked indexes carrying every searched column (and `extra`), as this migration leaves them. */
export const createSearchIndexes = async (knex: Knex, extra: readonly string[]) => {
  for (const { name, key } of SEARCH_INDEXES) {
    await knex.raw(`CREATE INDEX IF NOT EXISTS ${name} ON convention (centre_id, ${key}) INCLUDE (${[...carriedAfter(key), ...extra].join(', ')})`);
  }
};

const dropSearchIndexes = async (knex: Knex) => {
  for (const { name } of SEARCH_INDEXES) await knex.raw(`DROP INDEX IF EXISTS ${name}`);
};

export async function up(knex: Knex): Promise<void> {
  await knex.transaction(async (trx) => {
    await dropSearchIndexes(trx);
    await trx.raw(conventionReadOnly(true, ['effective_subject_search', 'faculty_code', 'step_code']));
    await trx.raw('ALTER TABLE convention ADD COLUMN IF NOT EXISTS faculty_code text, ADD COLUMN IF NOT EXISTS step_code text');
    await trx.raw('UPDATE convention c SET faculty_code = e.faculty_code, step_code = e.step_code FROM enrolment e WHERE e.id = c.enrolment_id');
    await trx.raw('ALTER TABLE convention ALTER COLUMN faculty_code SET NOT NULL, ALTER COLUMN step_code SET NOT NULL');
    await trx.raw(`CREATE OR REPLACE FUNCTION convention_copy_enrolment_codes() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      SELECT faculty_code, step_code INTO NEW.faculty_code, NEW.step_code FROM enrolment WHERE id = NEW.enrolment_id;
      RETURN NEW;
    END $$`);
    await trx.raw('DROP TRIGGER IF EXISTS convention_copy_enrolment_codes ON convention');
    await trx.raw('CREATE TRIGGER convention_copy_enrolment_codes BEFORE INSERT OR UPDATE OF enrolment_id, faculty_code, step_code ON convention FOR EACH ROW EXECUTE FUNCTION convention_copy_enrolment_codes()');
    await trx.raw(`CREATE OR REPLACE FUNCTION enrolment_codes_to_conventions() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      UPDATE convention SET faculty_code = NEW.faculty_code, step_code = NEW.step_code
      WHERE enrolment_id = NEW.id AND (faculty_code, step_code) IS DISTINCT FROM (NEW.faculty_code, NEW.step_code);
      RETURN NULL;
    END $$`);
    await trx.raw('DROP TRIGGER IF EXISTS enrolment_codes_to_conventions ON enrolment');
    await trx.raw('CREATE TRIGGER enrolment_codes_to_conventions AFTER UPDATE OF faculty_code, step_code ON enrolment FOR EACH ROW EXECUTE FUNCTION enrolment_codes_to_conventions()');
  });
  await knex.transaction((trx) => createSearchIndexes(trx, ['faculty_code', 'step_code']));
}

export async function down(knex: Knex): Promise<void> {
  await knex.transaction(async (trx) => {
    await dropSearchIndexes(trx);
    await trx.raw('DROP TRIGGER IF EXISTS enrolment_codes_to_conventions ON enrolment');
    await trx.raw('DROP FUNCTION IF EXISTS enrolment_codes_to_conventions()');
    await trx.raw('DROP TRIGGER IF EXISTS convention_copy_enrolment_codes ON convention');
    await trx.raw('DROP FUNCTION IF EXISTS convention_copy_enrolment_codes()');
    await trx.raw('ALTER TABLE convention DROP COLUMN IF EXISTS faculty_code, DROP COLUMN IF EXISTS step_code');
    await trx.raw(conventionReadOnly(true, ['effective_subject_search']));
    await createSearchIndexes(trx, []);
  });
}
