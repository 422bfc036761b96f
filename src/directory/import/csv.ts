import { t } from '../../i18n/index.ts';

/**
 * Reading the CSV exports of the university's systems. A small RFC 4180 reader rather than csv-parse:
 * after a malformed record csv-parse loses the records that follow and tells where a record ends,
 * whereas the import must report every broken record at the line where it starts, and read on.
 */

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

const LINE_BREAKS = /\r\n|\r|\n/g;
const countLineBreaks = (value: string) => value.match(LINE_BREAKS)?.length ?? 0;

/**
 * Splits the text into records. A record with text after a closing quote is reported and skipped up
 * to the end of its line; a quote never closed swallows the rest of the file, so reading stops there.
 * Blank lines, and lines of separators only, are skipped.
 */
export function parseCsv(text: string, delimiter: string): { records: CsvRecord[]; errors: CsvRecordError[] } {
  const records: CsvRecord[] = [];
  const errors: CsvRecordError[] = [];
  const isRecordEnd = (position: number) => position >= text.length || text[position] === '\n' || text[position] === '\r';
  let position = 0;
  let line = 1;

  while (position < text.length) {
    const startLine = line;
    const fields: string[] = [];
    let broken = false;

    for (;;) {
      if (text[position] === '"') {
        let value = '';
        let cursor = position + 1;
        for (;;) {
          const quote = text.indexOf('"', cursor);
          if (quote === -1) {
            errors.push({ line: startLine, reason: t('directory.csv.unterminatedQuote') });
            return { records, errors };
          }
          value += text.slice(cursor, quote);
          if (text[quote + 1] !== '"') {
            cursor = quote + 1;
            break;
          }
          value += '"';
          cursor = quote + 2;
        }
        line += countLineBreaks(value);
        position = cursor;
        if (!isRecordEnd(position) && text[position] !== delimiter) {
          broken = true;
          errors.push({ line: startLine, reason: t('directory.csv.textAfterQuote') });
          while (!isRecordEnd(position)) position += 1;
        }
        fields.push(value.replace(LINE_BREAKS, '\n'));
      } else {
        const start = position;
        while (!isRecordEnd(position) && text[position] !== delimiter) position += 1;
        fields.push(text.slice(start, position));
      }
      if (text[position] === delimiter) {
        position += 1;
        continue;
      }
      // \r\n, \n or a lone \r end the record (and the line).
      if (text[position] === '\r') position += 1;
      if (text[position] === '\n') position += 1;
      line += 1;
      break;
    }

    if (!broken && fields.some((field) => field.trim() !== '')) records.push({ line: startLine, fields });
  }
  return { records, errors };
}
