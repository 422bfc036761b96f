import { t } from '../../i18n/index.ts';
import { decodeCsv, detectDelimiter, parseCsv, type UnreadableFile } from './csv.ts';
import type { Rejections } from './rejections.ts';

/** A data line, its values keyed by column name (the header's names, lower-cased). */
export interface SourceRow {
  line: number;
  values: Record<string, string>;
}

export type Table =
  | { ok: false; problem: UnreadableFile | 'no_rows' }
  /** `columns`: the known columns the file has — an absent optional column leaves stored values alone. */
  | { ok: true; columns: string[]; rows: SourceRow[]; lineCount: number };

const list = (names: readonly string[]) => names.join(', ');

/**
 * Reads the file as a table whose first line names the columns. Problems of the header are reported
 * on its line and no data line is read then, since their values could not be told apart.
 */
export function readTable(content: Buffer, known: readonly string[], required: readonly string[], rejections: Rejections): Table {
  const decoded = decodeCsv(content);
  if (!decoded.ok) return decoded;
  const delimiter = detectDelimiter(decoded.text);
  const { records, errors } = parseCsv(decoded.text, delimiter);
  const [header, ...data] = records;
  const lineCount = records.length - 1 + errors.length;

  const brokenHeader = errors.find((error) => !header || error.line < header.line);
  if (!header || brokenHeader) {
    const line = brokenHeader?.line ?? 1;
    rejections.add(line, brokenHeader?.reason ?? t('directory.csv.missingColumns', { columns: list(required) }));
    return { ok: true, columns: [], rows: [], lineCount };
  }

  const names = header.fields.map((name) => name.trim().toLowerCase());
  const problems: string[] = [];
  const unnamed = names.flatMap((name, index) => (name === '' ? [index + 1] : []));
  if (unnamed.length > 0) problems.push(t('directory.csv.unnamedColumns', { positions: unnamed.join(', ') }));
  const repeated = [...new Set(names.filter((name, index) => name !== '' && names.indexOf(name) !== index))];
  if (repeated.length > 0) problems.push(t('directory.csv.repeatedColumns', { columns: list(repeated) }));
  const unknown = names.filter((name) => name !== '' && !known.includes(name));
  if (unknown.length > 0) problems.push(t('directory.csv.unknownColumns', { columns: list(unknown), expected: list(known) }));
  const missing = required.filter((name) => !names.includes(name));
  if (missing.length > 0) problems.push(t('directory.csv.missingColumns', { columns: list(missing) }));
  if (problems.length > 0) {
    for (const problem of problems) rejections.add(header.line, problem);
    return { ok: true, columns: [], rows: [], lineCount };
  }

  for (const error of errors) rejections.add(error.line, error.reason);
  if (data.length === 0 && errors.length === 0) return { ok: false, problem: 'no_rows' };

  const rows: SourceRow[] = [];
  for (const record of data) {
    if (record.fields.length !== names.length) {
      rejections.add(record.line, t('directory.csv.columnCount', { count: record.fields.length, expected: names.length, delimiter }));
      continue;
    }
    rows.push({ line: record.line, values: Object.fromEntries(names.map((name, index) => [name, record.fields[index]!])) });
  }
  return { ok: true, columns: names, rows, lineCount };
}
