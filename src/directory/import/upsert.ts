import type { Knex } from 'knex';

export interface UpsertCount {
  created: number;
  updated: number;
  unchanged: number;
}

export interface UpsertOptions {
  /** The unique key a row is matched on. */
  key: readonly string[];
  /** The columns an existing row takes from the file. */
  merge: readonly string[];
  /** The table has an `updated_at` column, set when a row changes. */
  timestamps?: boolean;
}

// PostgreSQL accepts 65,535 parameters per statement; stay well below.
const PARAMETERS_PER_STATEMENT = 30_000;

/**
 * Inserts or updates rows, one statement per chunk rather than one per row. A row that would not
 * change is left alone — no write, no new `updated_at` — so that re-importing the same export every
 * night costs little and the counts say what really changed.
 */
export async function upsertRows(trx: Knex.Transaction, table: string, rows: readonly Record<string, unknown>[], options: UpsertOptions): Promise<UpsertCount> {
  const count: UpsertCount = { created: 0, updated: 0, unchanged: 0 };
  if (rows.length === 0) return count;
  const perStatement = Math.max(1, Math.floor(PARAMETERS_PER_STATEMENT / Object.keys(rows[0]!).length));
  const assignments: Record<string, Knex.Raw> = Object.fromEntries(options.merge.map((column) => [column, trx.raw('??', [`excluded.${column}`])]));
  if (options.timestamps) assignments.updated_at = trx.fn.now();
  const changed = trx.raw('ROW(??) IS DISTINCT FROM ROW(??)', [
    options.merge.map((column) => `${table}.${column}`),
    options.merge.map((column) => `excluded.${column}`),
  ]);

  for (let start = 0; start < rows.length; start += perStatement) {
    const chunk = rows.slice(start, start + perStatement);
    // xmax is 0 only on a row version this statement inserted; unchanged rows are not returned at all.
    const written = await trx(table)
      .insert(chunk)
      .onConflict([...options.key])
      .merge(assignments)
      .where(changed)
      .returning<{ created: boolean }[]>(trx.raw('(xmax = 0) AS created'));
    const created = written.filter((row) => row.created).length;
    count.created += created;
    count.updated += written.length - created;
    count.unchanged += chunk.length - written.length;
  }
  return count;
}
