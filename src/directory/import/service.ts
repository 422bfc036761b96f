import type { Knex } from 'knex';
import type { z } from 'zod';
import { t } from '../../i18n/index.ts';
import { audit } from '../../audit/audit-log.ts';
import { Rejections, type RejectedLine } from './rejections.ts';
import { readTable } from './table.ts';
import { studentImport } from './students.ts';
import { personImport } from './people.ts';
import type { UnreadableFile } from './csv.ts';
import type { DirectoryKind, ImportCounts, ImportKind, ValidRow } from './kind.ts';
import { forgetCachedReferences } from '../../db/reference-cache.ts';

export interface ImportRequest {
  kind: DirectoryKind;
  fileName: string;
  content: Buffer;
  /** Who imports, for the audit log: a login, or the command line's user. */
  actorLogin: string;
  requestId?: string;
}

export type ImportOutcome =
  /** Not a CSV file to speak of: nothing to report line by line. */
  | { status: 'unreadable'; problem: UnreadableFile | 'no_rows' }
  /** Nothing was written. */
  | { status: 'rejected'; lineCount: number; rejected: RejectedLine[] }
  | { status: 'imported'; lineCount: number; counts: ImportCounts };

/** The audit action of an import's summary row, which the page's history reads back. */
export const IMPORT_ACTION = 'directory.import';

// Two imports at once would each check logins against a directory the other is changing.
const IMPORT_LOCK = 'conventio.directory-import';

export interface ColumnFormat {
  name: string;
  required: boolean;
}

/** The columns of each kind of file, for the documentation on the import page. */
export const IMPORT_FORMATS: Record<DirectoryKind, ColumnFormat[]> = {
  students: formatOf(studentImport),
  teachers: formatOf(personImport('teachers')),
  staff: formatOf(personImport('staff')),
};

function formatOf<Row>(kind: ImportKind<Row>): ColumnFormat[] {
  return kind.columns.map((name) => ({ name, required: kind.required.includes(name) }));
}

/**
 * Imports a directory file, all or nothing: every line is checked (alone, against the other lines,
 * against the database) and if any is rejected nothing is written; otherwise everything is written in
 * one transaction with its audit rows — one per record created or changed (`student.update`…, with
 * the record before and after) and the import's summary (`directory.import`, entity: the kind of
 * file). Shared by the administration page and `npm run import`.
 */
export async function importDirectory(knex: Knex, request: ImportRequest): Promise<ImportOutcome> {
  return request.kind === 'students' ? runImport(knex, studentImport, request) : runImport(knex, personImport(request.kind), request);
}

/** One reason per faulty column — the first, as next to a form field. */
function rejectInvalidValues(line: number, issues: readonly z.core.$ZodIssue[], rejections: Rejections): void {
  const seen = new Set<string>();
  for (const issue of issues) {
    const column = issue.path.join('.');
    if (seen.has(column)) continue;
    seen.add(column);
    rejections.add(line, t('directory.rows.column', { column, message: issue.message }));
  }
}

async function runImport<Row>(knex: Knex, kind: ImportKind<Row>, request: ImportRequest): Promise<ImportOutcome> {
  const rejections = new Rejections();
  const table = readTable(request.content, kind.columns, kind.required, rejections);
  if (!table.ok) return { status: 'unreadable', problem: table.problem };

  const rows: ValidRow<Row>[] = [];
  for (const { line, values } of table.rows) {
    const parsed = kind.schema.safeParse(values);
    if (parsed.success) rows.push({ line, row: parsed.data });
    else rejectInvalidValues(line, parsed.error.issues, rejections);
  }
  kind.checkFile(rows, rejections);

  const outcome = await knex.transaction(async (trx): Promise<ImportOutcome> => {
    await trx.raw('SELECT pg_advisory_xact_lock(hashtext(?))', [IMPORT_LOCK]);
    await kind.checkDatabase?.(trx, rows, rejections);
    if (rejections.size > 0) return { status: 'rejected', lineCount: table.lineCount, rejected: rejections.list() };

    const author = { actorLogin: request.actorLogin, requestId: request.requestId };
    const counts = await kind.write(
      trx,
      rows.map(({ row }) => row),
      table.columns,
      author,
    );
    await audit(trx, {
      actorLogin: request.actorLogin,
      action: IMPORT_ACTION,
      entity: request.kind,
      after: { file: request.fileName, lines: table.lineCount, counts },
      requestId: request.requestId,
    });
    return { status: 'imported', lineCount: table.lineCount, counts };
  });
  // A student import may have added faculties and study steps to the search's lists.
  if (outcome.status === 'imported') forgetCachedReferences(knex);
  return outcome;
}
