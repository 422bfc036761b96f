import { once } from 'node:events';
import type { Writable } from 'node:stream';
import { finished } from 'node:stream/promises';
import { csvRow } from './cells.ts';
import type { SheetSpec, SpreadsheetWriter } from './spreadsheet.ts';

/**
 * CSV as French Excel opens it with a double click: UTF-8 announced by a BOM (or accents come out
 * garbled), `;` between fields (the comma is the decimal separator), CRLF line ends. Lines are handed
 * to the output in chunks of about 64 KB, with the output's backpressure.
 */
const BOM = '\uFEFF';
const SEPARATOR = ';';
const LINE_END = '\r\n';
const CHUNK_LENGTH = 64 * 1024;

/** A field is quoted when it holds a separator, a quote or a line break; its quotes are doubled. */
function field(value: string | null): string {
  if (value === null) return '';
  return /[;"\r\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}

const line = (values: readonly (string | null)[]) => values.map(field).join(SEPARATOR) + LINE_END;

export function csvWriter(output: Writable, { columns, headers, t, signal }: SheetSpec): SpreadsheetWriter {
  const convert = csvRow(columns, t);
  let pending = BOM + line(headers);
  const flush = () => {
    const hasRoom = output.write(pending);
    pending = '';
    return hasRoom;
  };
  return {
    write(row) {
      pending += line(convert(row));
      return pending.length < CHUNK_LENGTH || flush();
    },
    async drained() {
      await once(output, 'drain', { signal });
    },
    async end() {
      output.end(pending);
      await finished(output);
    },
  };
}
