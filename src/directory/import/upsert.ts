import type { Knex } from 'knex';

export interface UpsertCount {
  created: number;
  updated: number;
  unchanged: number;
}

/** Who imports, for the audit row of every record the import creates or changes. */
export interface ImportAuthor {
  actorLogin: string;
  requestId?: string;
}

export interface UpsertOptions {
  /** The unique key a row is matched on. */
  key: readonly string[];
  /** The columns an existing row takes from the file. */
  merge: readonly string[];
  /** The table has an `updated_at` column, set when a row changes. */
  timestamps?: boolean;
  /**
   * The audit rows: `entity` names the record (`student` gives `student.create` and `student.update`),
   * `idColumn` is the column that identifies it and never changes on an update.
   */
  audit: { entity: string; idColumn: string; author: ImportAuthor };
}

// PostgreSQL accepts 65,535 parameters per statement; stay well below.
const PARAMETERS_PER_STATEMENT = 30_000;

/**
 * Inserts or updates rows, one statement per chunk rather than one per row. A row that would not
 * change is left alone — no write, no new `updated_at`, no audit row — so that re-importing the same
 * export every night costs little and the counts say what really changed.
 *
 * Each created or changed row gets its audit row, with the row before and after, in the same
 * statement: every part of a statement sees the table as it was before the statement, so joining the
 * written rows back to the table gives their previous version.
 */
export async function upsertRows(trx: Knex.Transaction, table: string, rows: readonly Record<string, unknown>[], options: UpsertOptions): Promise<UpsertCount> {
  const count: UpsertCount = { created: 0, updated: 0, unchanged: 0 };
  if (rows.length === 0) return count;
  const { entity, idColumn, author } = options.audit;
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
    const written = trx(table)
      .insert(chunk)
      .onConflict([...options.key])
      .merge(assignments)
      .where(changed)
      .returning(trx.raw('?? AS entity_id, to_jsonb(??) AS row, (xmax = 0) AS created', [`${table}.${idColumn}`, table]));
    const result = await trx.raw<{ rows: { created: number; written: number }[] }>(
      `WITH written AS (?),
       audited AS (
         INSERT INTO audit_log (actor_login, action, entity, entity_id, before, after, request_id)
         SELECT ?, CASE WHEN w.created THEN ? ELSE ? END, ?, w.entity_id::text, to_jsonb(previous), w.row, ?
         FROM written w LEFT JOIN ?? previous ON NOT w.created AND ?? = w.entity_id
       )
       SELECT count(*) FILTER (WHERE created)::int AS created, count(*)::int AS written FROM written`,
      [written, author.actorLogin, `${entity}.create`, `${entity}.update`, entity, author.requestId ?? null, table, `previous.${idColumn}`],
    );
    const { created, written: changedRows } = result.rows[0]!;
    count.created += created;
    count.updated += changedRows - created;
    count.unchanged += chunk.length - changedRows;
  }
  return count;
}
