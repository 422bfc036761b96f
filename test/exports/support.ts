import ExcelJS from 'exceljs';
import type { Response } from 'supertest';
import type TestAgent from 'supertest/lib/agent.js';
import { expect } from 'vitest';

/** Helpers of the export tests: files downloaded through HTTP and read back as a spreadsheet user would. */

/** A response whose body is kept as one Buffer (supertest's own parsers would decode a file as text). */
export async function download(agent: TestAgent, path: string): Promise<Response & { body: Buffer }> {
  return (await agent
    .get(path)
    .buffer(true)
    .parse((response, done) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => done(null, Buffer.concat(chunks)));
    })) as Response & { body: Buffer };
}

/** The first worksheet of an XLSX export, read with ExcelJS's reader. */
export async function downloadXlsx(agent: TestAgent, path: string): Promise<{ response: Response; sheet: ExcelJS.Worksheet }> {
  const response = await download(agent, path);
  expect(response.status, response.body.toString('utf8').slice(0, 1000)).toBe(200);
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(response.body as unknown as ExcelJS.Buffer);
  return { response, sheet: workbook.worksheets[0]! };
}

/** The values of a worksheet row, 1-based columns flattened to an array from the first column. */
export function rowValues(sheet: ExcelJS.Worksheet, row: number): unknown[] {
  return (sheet.getRow(row).values as unknown[]).slice(1);
}

/** A CSV of the given separator (RFC 4180 quoting), as Excel reads it. */
export function parseCsv(text: string, separator = ';'): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let index = 0; index < text.length; index += 1) {
    const character = text[index]!;
    if (quoted) {
      if (character === '"' && text[index + 1] === '"') {
        field += '"';
        index += 1;
      } else if (character === '"') quoted = false;
      else field += character;
    } else if (character === '"') quoted = true;
    else if (character === separator) {
      row.push(field);
      field = '';
    } else if (character === '\r' && text[index + 1] === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
      index += 1;
    } else field += character;
  }
  if (field !== '' || row.length > 0) rows.push([...row, field]);
  return rows;
}

/** A CSV export: its raw bytes, and its rows once the UTF-8 BOM is checked and removed. */
export async function downloadCsv(agent: TestAgent, path: string): Promise<{ response: Response; bytes: Buffer; rows: string[][] }> {
  const response = await download(agent, path);
  expect(response.status, response.body.toString('utf8').slice(0, 1000)).toBe(200);
  const bytes = response.body;
  expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
  return { response, bytes, rows: parseCsv(bytes.subarray(3).toString('utf8')) };
}

/** The numbers of the conventions an export holds (a CSV of the one column `number`), in file order. */
export async function exportedNumbers(agent: TestAgent, query: string): Promise<number[]> {
  const { rows } = await downloadCsv(agent, `/conventions/export.csv?${query}${query ? '&' : ''}columns=number`);
  return rows.slice(1).map(([number]) => Number(number));
}
