import type { Knex } from 'knex';

/**
 * Conventions searched by the name or town of their host read, from the trigram index, every host that
 * matches, then each host's row to check the match and take its id: 10,000 hosts for "lyon", on 4,000
 * pages of a table whose rows carry addresses and contacts (7 ms). This narrow copy of the searched
 * names and towns holds as many hosts on 800 pages; the trigger keeps it equal to the hosts (a host
 * deleted takes its row along). Exported: convention_host_search's down() restores it.
 */
export async function createHostSearchKey(knex: Knex): Promise<void> {
  await knex.raw(`CREATE TABLE host_search_key (
    host_id integer PRIMARY KEY REFERENCES host (id) ON DELETE CASCADE,
    name_search text NOT NULL,
    town_search text
  )`);
  await knex.raw('INSERT INTO host_search_key (host_id, name_search, town_search) SELECT id, name_search, town_search FROM host');
  for (const column of ['name_search', 'town_search']) {
    await knex.raw(`CREATE INDEX host_search_key_${column} ON host_search_key USING gin (${column} gin_trgm_ops) WITH (fastupdate = off)`);
  }
  await knex.raw(`CREATE FUNCTION host_copy_search_key() RETURNS trigger LANGUAGE plpgsql AS $$
  BEGIN
    INSERT INTO host_search_key (host_id, name_search, town_search) VALUES (NEW.id, NEW.name_search, NEW.town_search)
    ON CONFLICT (host_id) DO UPDATE SET name_search = EXCLUDED.name_search, town_search = EXCLUDED.town_search;
    RETURN NULL;
  END $$`);
  await knex.raw('CREATE TRIGGER host_copy_search_key AFTER INSERT OR UPDATE OF name, town ON host FOR EACH ROW EXECUTE FUNCTION host_copy_search_key()');
}

export async function up(knex: Knex): Promise<void> {
  await createHostSearchKey(knex);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('DROP TRIGGER host_copy_search_key ON host');
  await knex.raw('DROP FUNCTION host_copy_search_key()');
  await knex.raw('DROP TABLE host_search_key');
}
