import type { Knex } from 'knex';
import { DIRECTORY_KINDS, type DirectoryKind, type ImportCounts } from './kind.ts';
import { IMPORT_ACTION } from './service.ts';

export interface PastImport {
  at: Date;
  actorLogin: string | null;
  kind: DirectoryKind;
  file: string;
  counts: ImportCounts;
}

// The action's name before it took the `<entity>.<verb>` form of the other audit rows; the audit log
// is never rewritten, so the summaries of earlier imports still carry it.
const EARLIER_IMPORT_ACTION = 'import';

/** The last imports, read back from the summary row that every import writes in the audit log. */
export async function recentImports(knex: Knex, limit = 10): Promise<PastImport[]> {
  const rows: { at: Date; actor_login: string | null; entity: DirectoryKind; after: { file: string; counts: ImportCounts } }[] = await knex('audit_log')
    .whereIn('action', [IMPORT_ACTION, EARLIER_IMPORT_ACTION])
    .whereIn('entity', DIRECTORY_KINDS)
    .orderBy('id', 'desc')
    .limit(limit)
    .select('at', 'actor_login', 'entity', 'after');
  return rows.map((row) => ({ at: row.at, actorLogin: row.actor_login, kind: row.entity, file: row.after.file, counts: row.after.counts }));
}
