import type { Knex } from 'knex';
import { DIRECTORY_KINDS, type DirectoryKind, type ImportCounts } from './kind.ts';

export interface PastImport {
  at: Date;
  actorLogin: string | null;
  kind: DirectoryKind;
  file: string;
  counts: ImportCounts;
}

/** The last imports, read back from the audit log that every import writes. */
export async function recentImports(knex: Knex, limit = 10): Promise<PastImport[]> {
  const rows: { at: Date; actor_login: string | null; entity: DirectoryKind; after: { file: string; counts: ImportCounts } }[] = await knex('audit_log')
    .where({ action: 'import' })
    .whereIn('entity', DIRECTORY_KINDS)
    .orderBy('id', 'desc')
    .limit(limit)
    .select('at', 'actor_login', 'entity', 'after');
  return rows.map((row) => ({ at: row.at, actorLogin: row.actor_login, kind: row.entity, file: row.after.file, counts: row.after.counts }));
}
