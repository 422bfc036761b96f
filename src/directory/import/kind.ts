import type { Knex } from 'knex';
import type { z } from 'zod';
import type { Rejections } from './rejections.ts';
import type { ImportAuthor, UpsertCount } from './upsert.ts';

export const DIRECTORY_KINDS = ['students', 'teachers', 'staff'] as const;
export type DirectoryKind = (typeof DIRECTORY_KINDS)[number];

export const isDirectoryKind = (value: unknown): value is DirectoryKind => DIRECTORY_KINDS.includes(value as DirectoryKind);

/** What an import writes, in the order the report lists it. */
export type ImportedEntity = 'students' | 'enrolments' | 'faculties' | 'steps' | 'teachers' | 'staff';
export type ImportCounts = Partial<Record<ImportedEntity, UpsertCount>>;

/** A line whose values passed the row schema. */
export interface ValidRow<Row> {
  line: number;
  row: Row;
}

/** One kind of file: its columns, its checks beyond a single line, and how it is written. */
export interface ImportKind<Row> {
  schema: z.ZodType<Row>;
  /** Every column the file may have, in the order the documentation lists them. */
  columns: readonly string[];
  required: readonly string[];
  /** Lines on which the file contradicts itself (one key, two different values…). */
  checkFile(rows: readonly ValidRow<Row>[], rejections: Rejections): void;
  /** Lines that contradict what the database already holds; run inside the import's transaction. */
  checkDatabase?(trx: Knex.Transaction, rows: readonly ValidRow<Row>[], rejections: Rejections): Promise<void>;
  /**
   * `columns`: the columns the file has, so that absent optional columns keep their stored values;
   * `author`: who imports, named on the audit row of every record created or changed.
   */
  write(trx: Knex.Transaction, rows: readonly Row[], columns: readonly string[], author: ImportAuthor): Promise<ImportCounts>;
}
