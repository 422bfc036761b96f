import type { Knex } from 'knex';

/**
 * A row read from `table`, without the columns the database generates: what a copy of it may insert
 * (PostgreSQL refuses a value for a generated column).
 */
export async function insertable<Row extends Record<string, unknown>>(knex: Knex, table: string, row: Row): Promise<Row> {
  const generated = (await knex.raw("SELECT attname FROM pg_attribute WHERE attrelid = ?::regclass AND attgenerated <> ''", [table])) as {
    rows: { attname: string }[];
  };
  const copy = { ...row };
  for (const { attname } of generated.rows) delete (copy as Record<string, unknown>)[attname];
  return copy;
}
