import { CsvError, parse, type Options } from 'csv-parse/sync';
import { t } from '../../i18n/index.ts';

/** Reading the CSV exports of the university's systems. */

export type UnreadableFile = 'empty' | 'binary' | 'encoding';

export type DecodedFile = { ok: true; text: string } | { ok: false; problem: UnreadableFile };

/** UTF-8 text, with or without a byte-order mark; anything else is refused before parsing. */
export function decodeCsv(content: Buffer): DecodedFile {
  if (content.length === 0) return { ok: false, problem: 'empty' };
  // A UTF-16 export (Excel's "Unicode text") is text, but not the encoding asked for.
  if ((content[0] === 0xff && content[1] === 0xfe) || (content[0] === 0xfe && content[1] === 0xff)) return { ok: false, problem: 'encoding' };
  // No CSV holds a NUL byte; spreadsheets, PDFs and archives almost always do.
  if (content.includes(0)) return { ok: false, problem: 'binary' };
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(content);
  } catch {
    return { ok: false, problem: 'encoding' };
  }
  return text.trim() === '' ? { ok: false, problem: 'empty' } : { ok: true, text };
}

/** The separator is whichever of `;` and `,` the header line uses more, outside quotes. */
export function detectDelimiter(text: string): ';' | ',' {
  let semicolons = 0;
  let commas = 0;
  let quoted = false;
  for (const char of text) {
    if (char === '"') quoted = !quoted;
    else if (quoted) continue;
    else if (char === '\n' || char === '\r') break;
    else if (char === ';') semicolons += 1;
    else if (char === ',') commas += 1;
  }
  return commas > semicolons ? ',' : ';';
}

export interface CsvRecord {
  /** Line of the file where the record starts, the header being line 1. */
  line: number;
  fields: string[];
}

export interface CsvRecordError {
  line: number;
  reason: string;
}

/** Where reading stands: the line the unread text starts on, and that text's byte offset. */
interface Position {
  line: number;
  offset: number;
}

/**
 * Splits the text into records with csv-parse. Blank lines, and lines of separators only, are skipped.
 * csv-parse stops at a malformed record, so reading starts again after it: a record with text after a
 * closing quote is reported and skipped up to the end of that line; a quote never closed swallows the
 * rest of the file, so reading stops there. A quote inside a value that does not start with one is kept
 * as text, as spreadsheets write it.
 */
export function parseCsv(text: string, delimiter: string): { records: CsvRecord[]; errors: CsvRecordError[] } {
  // One kind of line break, so that csv-parse counts lines as an editor shows them (it counts \r\n as two).
  const content = Buffer.from(text.replace(/\r\n?/g, '\n'));
  const records: CsvRecord[] = [];
  const errors: CsvRecordError[] = [];
  const keep = (record: CsvRecord) => {
    if (record.fields.some((field) => field.trim() !== '')) records.push(record);
  };
  let position: Position = { line: 1, offset: 0 };

  while (position.offset < content.length) {
    const from = position;
    // Every record, blank ones included, goes through on_record: the next one starts on the line after.
    let linesRead = 0;
    let broken: CsvError;
    try {
      readRecords(content, from, delimiter, { relax_quotes: false }, (fields, lastLine) => {
        keep({ line: from.line + linesRead, fields });
        linesRead = lastLine;
      });
      break;
    } catch (error) {
      if (!(error instanceof CsvError)) throw error;
      broken = error;
    }
    const line = from.line + linesRead;
    if (broken.code === 'CSV_QUOTE_NOT_CLOSED') {
      errors.push({ line, reason: t('directory.csv.unterminatedQuote') });
      break;
    }
    if (broken.code === 'CSV_INVALID_CLOSING_QUOTE') {
      errors.push({ line, reason: t('directory.csv.textAfterQuote') });
      position = lineAfter(content, from, broken.lines as number);
      continue;
    }
    if (broken.code !== 'INVALID_OPENING_QUOTE') throw broken;
    const stray = readWithStrayQuote(content, lineAfter(content, from, linesRead), delimiter);
    if (stray.ok) keep(stray.record);
    else errors.push({ line, reason: t(stray.reason) });
    if (!stray.next) break;
    position = stray.next;
  }
  return { records, errors };
}

type StrayQuoteRecord =
  { ok: true; record: CsvRecord; next: Position } | { ok: false; reason: 'directory.csv.textAfterQuote' | 'directory.csv.unterminatedQuote'; next?: Position };

/**
 * The record at `at` has a quote inside a value that does not start with one. csv-parse keeps such a quote
 * as text only when told to relax quotes, which also keeps text after a closing quote: the record's lines
 * are then read again strictly, errors skipped, to report that one.
 */
function readWithStrayQuote(content: Buffer, at: Position, delimiter: string): StrayQuoteRecord {
  let found: { fields: string[]; lastLine: number } | undefined;
  try {
    readRecords(content, at, delimiter, { relax_quotes: true, to: 1 }, (fields, lastLine) => (found = { fields, lastLine }));
  } catch (error) {
    if (error instanceof CsvError && error.code === 'CSV_QUOTE_NOT_CLOSED') return { ok: false, reason: 'directory.csv.unterminatedQuote' };
    throw error;
  }
  const { fields, lastLine } = found!;
  const next = lineAfter(content, at, lastLine);
  let closingQuoteLine: number | undefined;
  parse(content.subarray(at.offset, next.offset), {
    delimiter,
    record_delimiter: '\n',
    relax_column_count: true,
    skip_records_with_error: true,
    on_skip: (error) => {
      if (error?.code === 'CSV_INVALID_CLOSING_QUOTE') closingQuoteLine ??= error.lines as number;
    },
  });
  if (closingQuoteLine !== undefined) return { ok: false, reason: 'directory.csv.textAfterQuote', next: lineAfter(content, at, closingQuoteLine) };
  return { ok: true, record: { line: at.line, fields }, next };
}

/** Calls `onRecord` with each record's values and the line it ends on, counted from `from.line` as 1. */
function readRecords(
  content: Buffer,
  from: Position,
  delimiter: string,
  quotes: Pick<Options, 'relax_quotes' | 'to'>,
  onRecord: (fields: string[], lastLine: number) => void,
): void {
  parse(content.subarray(from.offset), {
    ...quotes,
    delimiter,
    record_delimiter: '\n',
    relax_column_count: true,
    on_record: (fields: string[], context) => {
      onRecord(fields, context.lines);
      // The records are kept by the callback, as they come, since an error later loses the parser's list.
      return null;
    },
  });
}

/** The start of the line after line `line` (counted from `from.line` as 1), or the end of the text. */
function lineAfter(content: Buffer, from: Position, line: number): Position {
  let offset = from.offset;
  for (let count = 0; count < line && offset < content.length; count += 1) {
    const lineBreak = content.indexOf(0x0a, offset);
    offset = lineBreak === -1 ? content.length : lineBreak + 1;
  }
  return { line: from.line + line, offset };
}
