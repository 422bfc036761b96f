import ExcelJS from 'exceljs';
import type TestAgent from 'supertest/lib/agent.js';
import { fetchPdf, type PdfAnswer } from '../documents/support.ts';
import { download, parseCsv } from '../exports/support.ts';
import { pageType, type Page } from './hostile-crawl.ts';
import { linksIn } from './hostile-html.ts';

/** The documents and spreadsheets that show what the hostile posts stored. */

/** The PDFs the pages link to, a few of each kind (per address type), read back as text. */
export async function documentsLinkedFrom(agent: TestAgent, pages: Page[], perType = 2): Promise<(PdfAnswer & { path: string })[]> {
  const links = [...new Set(pages.flatMap((page) => linksIn(page.html)).filter((link) => /\.pdf(?:\?|$)/.test(link)))];
  const perTypeCount = new Map<string, number>();
  const documents: (PdfAnswer & { path: string })[] = [];
  for (const link of links) {
    const type = pageType(link);
    if ((perTypeCount.get(type) ?? 0) >= perType) continue;
    perTypeCount.set(type, (perTypeCount.get(type) ?? 0) + 1);
    documents.push({ ...(await fetchPdf(agent, link)), path: link });
  }
  return documents;
}

/**
 * Text a spreadsheet would run as a formula. Two things start so and are safe: a negative number, and
 * the CSV's ="0123" that the application writes itself so that Excel keeps an identifier's zeros.
 */
const FORMULA = /^[=+\-@\t\r]/;
const SAFE = /^(?:-\d+(?:[.,]\d+)?|="\d+")$/;
const isFormulaText = (text: string) => FORMULA.test(text) && !SAFE.test(text);

export interface SpreadsheetCells {
  status: number;
  /** Every text cell, as the spreadsheet reads it. */
  texts: string[];
  /** Cells a spreadsheet would take for a formula (an XLSX formula, or text starting with = + - @). */
  formulas: string[];
}

export async function xlsxCells(agent: TestAgent, path: string): Promise<SpreadsheetCells> {
  const response = await download(agent, path);
  if (response.status !== 200) return { status: response.status, texts: [], formulas: [] };
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(response.body as unknown as ExcelJS.Buffer);
  const texts: string[] = [];
  const formulas: string[] = [];
  for (const sheet of workbook.worksheets) {
    sheet.eachRow((row) =>
      row.eachCell((cell) => {
        if (cell.type === ExcelJS.ValueType.Formula) formulas.push(`${cell.address}: formula ${String(cell.formula)}`);
        if (typeof cell.value !== 'string') return;
        texts.push(cell.value);
        if (isFormulaText(cell.value)) formulas.push(`${sheet.name}!${cell.address}: ${cell.value}`);
      }),
    );
  }
  return { status: response.status, texts, formulas };
}

export async function csvCells(agent: TestAgent, path: string): Promise<SpreadsheetCells> {
  const response = await download(agent, path);
  if (response.status !== 200) return { status: response.status, texts: [], formulas: [] };
  const texts = parseCsv(response.body.subarray(3).toString('utf8')).flat();
  return { status: response.status, texts, formulas: texts.filter(isFormulaText) };
}
