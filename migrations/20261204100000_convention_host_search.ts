import type { Knex } from 'knex';
import { carriedAfter } from './20261203140000_search_covering_index.ts';
import { conventionReadOnly } from './20261203100000_privacy.ts';
import { createHostSearchKey } from './20261203230000_host_search_key.ts';
import { createSearchIndexes as createWideSearchIndexes, SEARCH_INDEXES } from './20261203235000_convention_enrolment_codes.ts';

/**
 * A search by host name or town joined every matching host to the conventions of the actor's centres:
 * "lyon" or "société" match a tenth of a large directory, and the 10,000 hosts were read and hashed at
 * each search before the conventions were scanned (a third of the slowest typical search). The
 * convention now carries its host's searched name and town, copied by the database when the convention
 * names a host and again when the host is renamed or moves; trigram indexes find the few conventions of
 * a rare name, and the sort by host reads the name there too. This replaces the narrow copy of the hosts
 * (`host_search_key`) and the index of hosts' names for the sort.
 *
 * The four indexes the search walks (by year, end date, status and type) carried every searched
 * column: 24 columns that PostgreSQL takes apart for each entry it reads, 57,000 of them for the
 * ended internships of a large faculty. They now carry the columns of the searches staff make every day
 * (scope, sorts, period, year, status, type, gratification, faculty, step, host name and town): 14
 * columns, a third less time for those searches. One index by centre and year still carries every
 * searched column, so that the rarer criteria (theme, country, days per week...) are answered from an
 * index too.
 *
 * Two transactions, each safe to run again, as in convention_enrolment_codes: the copy writes a new
 * version of every convention, and the search's indexes are built after it has committed.
 */
export const config = { transaction: false };

const ENROLMENT_CODES = ['faculty_code', 'step_code'];
const HOST_KEYS = ['host_name_search', 'host_town_search'];
/** What the everyday searches read, scope and sorts included: the columns of the four walked indexes. */
const EVERYDAY_COLUMNS = [
  'id',
  'number',
  'status',
  'entered_by_staff',
  'student_id',
  'effective_start_date',
  'effective_end_date',
  'academic_year',
  'effective_gratification',
  'convention_type',
  ...ENROLMENT_CODES,
  ...HOST_KEYS,
];

const dropSearchIndexes = async (knex: Knex) => {
  for (const { name } of SEARCH_INDEXES) await knex.raw(`DROP INDEX IF EXISTS ${name}`);
  await knex.raw('DROP INDEX IF EXISTS convention_search_every');
};

const createSearchIndexes = async (knex: Knex) => {
  for (const { name, key } of SEARCH_INDEXES) {
    await knex.raw(`CREATE INDEX IF NOT EXISTS ${name} ON convention (centre_id, ${key}) INCLUDE (${EVERYDAY_COLUMNS.filter((column) => column !== key).join(', ')})`);
  }
  await knex.raw(`CREATE INDEX IF NOT EXISTS convention_search_every ON convention (centre_id, academic_year) INCLUDE (${[...carriedAfter('academic_year'), ...ENROLMENT_CODES, ...HOST_KEYS].join(', ')})`);
  // A rare name or town is found through these instead, without reading every convention of the centres.
  for (const column of HOST_KEYS) {
    await knex.raw(`CREATE INDEX IF NOT EXISTS convention_${column} ON convention USING gin (${column} gin_trgm_ops) WITH (fastupdate = off)`);
  }
  // The first page of a centre's conventions sorted by host, walked in order instead of sorting them all.
  await knex.raw('CREATE INDEX IF NOT EXISTS convention_centre_host_order ON convention (centre_id, host_name_search, id)');
};

export async function up(knex: Knex): Promise<void> {
  await knex.transaction(async (trx) => {
    await dropSearchIndexes(trx);
    await trx.raw(conventionReadOnly(true, ['effective_subject_search', ...ENROLMENT_CODES, ...HOST_KEYS]));
    await trx.raw('ALTER TABLE convention ADD COLUMN IF NOT EXISTS host_name_search text, ADD COLUMN IF NOT EXISTS host_town_search text');
    await trx.raw('UPDATE convention c SET host_name_search = h.name_search, host_town_search = h.town_search FROM host h WHERE h.id = c.host_id');
    await trx.raw(`CREATE OR REPLACE FUNCTION convention_copy_host_keys() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      -- No host (a draft not that far yet): no row, and both copies become NULL.
      SELECT name_search, town_search INTO NEW.host_name_search, NEW.host_town_search FROM host WHERE id = NEW.host_id;
      RETURN NEW;
    END $$`);
    await trx.raw('DROP TRIGGER IF EXISTS convention_copy_host_keys ON convention');
    await trx.raw('CREATE TRIGGER convention_copy_host_keys BEFORE INSERT OR UPDATE OF host_id, host_name_search, host_town_search ON convention FOR EACH ROW EXECUTE FUNCTION convention_copy_host_keys()');
    await trx.raw(`CREATE OR REPLACE FUNCTION host_keys_to_conventions() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      UPDATE convention SET host_name_search = NEW.name_search, host_town_search = NEW.town_search
      WHERE host_id = NEW.id AND (host_name_search, host_town_search) IS DISTINCT FROM (NEW.name_search, NEW.town_search);
      RETURN NULL;
    END $$`);
    await trx.raw('DROP TRIGGER IF EXISTS host_keys_to_conventions ON host');
    await trx.raw('CREATE TRIGGER host_keys_to_conventions AFTER UPDATE OF name, town ON host FOR EACH ROW EXECUTE FUNCTION host_keys_to_conventions()');
    await trx.raw('DROP TRIGGER IF EXISTS host_copy_search_key ON host');
    await trx.raw('DROP FUNCTION IF EXISTS host_copy_search_key()');
    await trx.raw('DROP TABLE IF EXISTS host_search_key');
    await trx.raw('DROP INDEX IF EXISTS host_sort_name');
  });
  await knex.transaction((trx) => createSearchIndexes(trx));
}

export async function down(knex: Knex): Promise<void> {
  await knex.transaction(async (trx) => {
    await dropSearchIndexes(trx);
    for (const column of HOST_KEYS) await trx.raw(`DROP INDEX IF EXISTS convention_${column}`);
    await trx.raw('DROP INDEX IF EXISTS convention_centre_host_order');
    await trx.raw('CREATE INDEX host_sort_name ON host (id) INCLUDE (name_search)');
    await createHostSearchKey(trx);
    await trx.raw('DROP TRIGGER IF EXISTS host_keys_to_conventions ON host');
    await trx.raw('DROP FUNCTION IF EXISTS host_keys_to_conventions()');
    await trx.raw('DROP TRIGGER IF EXISTS convention_copy_host_keys ON convention');
    await trx.raw('DROP FUNCTION IF EXISTS convention_copy_host_keys()');
    await trx.raw('ALTER TABLE convention DROP COLUMN IF EXISTS host_name_search, DROP COLUMN IF EXISTS host_town_search');
    await trx.raw(conventionReadOnly(true, ['effective_subject_search', ...ENROLMENT_CODES]));
    await createWideSearchIndexes(trx, ENROLMENT_CODES);
  });
}
