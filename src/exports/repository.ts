import type { Db } from '../db/knex.ts';
import type { Readable } from 'node:stream';
import type { Actor } from '../access/actor.ts';

import { type ConventionSearch, matchingConventions, type SearchOrder, searchOrder } from '../conventions/index.ts';
import type { ExportColumn } from './columns.ts';
import { joinClauses } from './joins.ts';

/**
 * The queries of the exports. Every one starts from `matchingConventions`, the search's only door to
 * conventions, so an export holds exactly the rows of the actor's list for the same criteria.
 */

/**
 * Values fetched from the database cursor at a time. Small batches keep memory flat: a batch lives
 * while it is written out, and a batch that lives long enough is promoted to V8's old generation, where
 * its garbage piles up between collections. The batch is sized in cells, so wide exports read fewer rows.
 */
const CELLS_PER_BATCH = 4000;

const batchSizeFor = (columns: number) => Math.min(1000, Math.max(20, Math.floor(CELLS_PER_BATCH / columns)));

export async function countMatching(db: Db, actor: Actor, criteria: ConventionSearch, today: string): Promise<number> {
  const row = (await matchingConventions(db, actor, criteria, today).count({ total: '*' }).first()) as { total: number | string } | undefined;
  return Number(row?.total ?? 0);
}

/** A column's SQL as the cells expect it: instants become the wall-clock time of France, as text. */
function selected(column: ExportColumn): string {
  const value = column.type === 'datetime' ? `to_char((${column.sql}) AT TIME ZONE 'Europe/Paris', 'YYYY-MM-DD HH24:MI')` : column.sql;
  return `${value} AS "${column.key}"`;
}

/**
 * The rows of the export, one array of raw values per convention (in the order of `columns`), read
 * through a database cursor: memory holds one batch, whatever the number of rows. Destroying the
 * stream closes the cursor and gives the connection back to the pool.
 */
export function exportRows(db: Db, actor: Actor, criteria: ConventionSearch, order: SearchOrder, columns: readonly ExportColumn[], today: string): Readable {
  const sort = searchOrder(order);
  const query = matchingConventions(db, actor, criteria, today);
  for (const clause of joinClauses([...columns.flatMap((column) => column.joins), ...sort.joins])) query.joinRaw(clause);
  return query
    .select(db.raw(columns.map(selected).join(',\n')))
    .orderByRaw(sort.sql)
    .stream({ batchSize: batchSizeFor(columns.length), rowMode: 'array' });
}

const COLUMNS_PREFERENCE = 'exportColumns';

/** The column keys the person chose last time, or null when they never chose. */
export async function rememberedColumnKeys(db: Db, login: string): Promise<string[] | null> {
  const row = (await db('user_preference').where({ login, name: COLUMNS_PREFERENCE }).first('value')) as { value: unknown } | undefined;
  return Array.isArray(row?.value) ? row.value.filter((key): key is string => typeof key === 'string') : null;
}

export async function rememberColumnKeys(db: Db, login: string, keys: readonly string[]): Promise<void> {
  await db('user_preference')
    .insert({ login, name: COLUMNS_PREFERENCE, value: JSON.stringify(keys), updated_at: db.fn.now() })
    .onConflict(['login', 'name'])
    .merge(['value', 'updated_at']);
}
