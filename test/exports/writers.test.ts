import { createHash } from 'node:crypto';
import { PassThrough } from 'node:stream';
import { setTimeout as delay } from 'node:timers/promises';
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { neutralised } from '../../src/exports/cells.ts';
import { columnByKey, type ExportColumn } from '../../src/exports/columns.ts';
import { csvWriter } from '../../src/exports/csv.ts';
import type { SpreadsheetWriter, WriterFactory } from '../../src/exports/spreadsheet.ts';
import { xlsxWriter } from '../../src/exports/xlsx.ts';
import { translator } from '../../src/i18n/index.ts';
import { parseCsv } from './support.ts';

/**
 * The writers hold memory bounded: when nobody reads their output, they ask the caller to wait after a
 * bounded amount of rows instead of piling the file up in memory; once the reader comes back they carry
 * on, and the file is whole. ExcelJS offers no such signal itself (xlsx.ts reads its internals for it):
 * these tests fail if a new ExcelJS version changes them.
 */
const t = translator('fr');
const columns = ['number', 'subject', 'startDate'].map((key) => columnByKey(key)!) as ExportColumn[];
const headers = ['N°', 'Sujet', 'Début'];
/** Text that compresses poorly, as the many different subjects of a real export do, and the same at each call. */
const entropy = (index: number) => [1, 2, 3].map((salt) => createHash('sha256').update(`${index}/${salt}`).digest('base64')).join(' ');
const row = (index: number) => [index, `Étude n° ${index} : ${entropy(index)}`, '2027-03-01'];
/** Far more rows than the buffers of the writers and of their output may hold. */
const LIMIT = 20_000;

/** Writes rows until the writer waits for more than 200 ms; returns how many rows it took and the pending wait. */
async function writeUntilHeld(writer: SpreadsheetWriter): Promise<{ rows: number; drained: Promise<void> }> {
  for (let rows = 1; rows <= LIMIT; rows += 1) {
    if (writer.write(row(rows))) continue;
    const drained = writer.drained();
    if ((await Promise.race([drained.then(() => 'drained'), delay(200).then(() => 'held')])) === 'held') return { rows, drained };
  }
  throw new Error(`the writer took ${LIMIT} rows without ever holding the caller`);
}

async function writeRest(writer: SpreadsheetWriter, from: number, to: number): Promise<void> {
  for (let index = from; index <= to; index += 1) if (!writer.write(row(index))) await writer.drained();
}

const cases: [string, WriterFactory][] = [
  ['XLSX', xlsxWriter],
  ['CSV', csvWriter],
];

describe.each(cases)('the %s writer', (name, factory) => {
  it('holds the caller while nobody reads, then ends a whole file once read', async () => {
    const output = new PassThrough();
    const writer = factory(output, { columns, headers, t, signal: new AbortController().signal });
    const held = await writeUntilHeld(writer);
    expect(held.rows).toBeLessThan(LIMIT);

    const chunks: Buffer[] = [];
    output.on('data', (chunk: Buffer) => chunks.push(chunk));
    await held.drained;
    const total = held.rows + 1000;
    await writeRest(writer, held.rows + 1, total);
    await writer.end();
    const file = Buffer.concat(chunks);

    if (name === 'XLSX') {
      const workbook = new ExcelJS.Workbook();
      await workbook.xlsx.load(file as unknown as ExcelJS.Buffer);
      const sheet = workbook.worksheets[0]!;
      expect(sheet.rowCount).toBe(1 + total);
      expect(sheet.getRow(1 + total).getCell(1).value).toBe(total);
      expect(sheet.getRow(1 + total).getCell(3).value).toEqual(new Date('2027-03-01T00:00:00Z'));
    } else {
      const rows = parseCsv(file.subarray(3).toString('utf8'));
      expect(rows).toHaveLength(1 + total);
      expect(rows.at(-1)).toEqual([String(total), row(total)[1], '01/03/2027']);
    }
  });

  it('stops waiting when the client goes away', async () => {
    const output = new PassThrough();
    const clientGone = new AbortController();
    const writer = factory(output, { columns, headers, t, signal: clientGone.signal });
    const held = await writeUntilHeld(writer);
    clientGone.abort();
    await expect(held.drained).rejects.toThrow(/abort/i);
  });
});

describe('formula neutralisation', () => {
  it('puts an apostrophe before what a spreadsheet would run, and only there', () => {
    for (const formula of ['=1+1', '+33 6 12 34 56 78', '-2 rue', '@SUM(A1)', '\t=1', '\r=1']) expect(neutralised(formula)).toBe(`'${formula}`);
    for (const text of ['Léa', '1 = 1', 'a+b', '’apostrophe', '']) expect(neutralised(text)).toBe(text);
  });
});
