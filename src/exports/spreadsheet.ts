import type { Writable } from 'node:stream';
import type { Translate } from '../i18n/index.ts';
import type { ExportColumn } from './columns.ts';

/** What the XLSX and CSV writers share: the columns and their headers, and how rows are fed to them. */
export interface SheetSpec {
  columns: readonly ExportColumn[];
  headers: readonly string[];
  t: Translate;
  /** Aborted when the client goes away: a writer waiting for room stops waiting. */
  signal: AbortSignal;
}

export interface SpreadsheetWriter {
  /** Adds a row of raw values (export query order); false when the caller must wait for `drained()` first. */
  write(row: readonly unknown[]): boolean;
  /** Resolves once the output has room again; rejects when the signal aborts. */
  drained(): Promise<void>;
  /** Ends the file; resolves once the output has taken all of it. */
  end(): Promise<void>;
}

export type WriterFactory = (output: Writable, spec: SheetSpec) => SpreadsheetWriter;
