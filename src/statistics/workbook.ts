import ExcelJS from 'exceljs';
import { neutralised } from '../exports/cells.ts';
import type { CrossTable } from './cross-table.ts';

export interface WorkbookTexts {
  sheetName: string;
  title: string;
  /** The year, status and centres counted. */
  scope: string;
  /** The heading of the first column: the first criterion. */
  rowsHeading: string;
  total: string;
}

/** The rows above the table: the title, the scope, then the header row, which stays in view when scrolling. */
export const HEADER_ROW = 3;

/** The cross table as one XLSX sheet: the page's table, with its totals, numbers as numbers. */
export function statisticsWorkbook(table: CrossTable, texts: WorkbookTexts): ExcelJS.Workbook {
  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'Conventio';
  const sheet = workbook.addWorksheet(texts.sheetName, { views: [{ state: 'frozen', xSplit: 1, ySplit: HEADER_ROW }] });
  sheet.addRow([texts.title]).font = { bold: true, size: 14 };
  sheet.addRow([texts.scope]);
  // Labels are typed by people (host names, departments): a spreadsheet must not run one as a formula.
  sheet.addRow([texts.rowsHeading, ...table.columns.map((column) => neutralised(column.heading.label)), texts.total]).font = { bold: true };
  for (const row of table.rows) sheet.addRow([neutralised(row.heading.label), ...row.counts, row.total]);
  sheet.addRow([texts.total, ...table.columns.map((column) => column.total), table.total]).font = { bold: true };
  sheet.getColumn(1).width = Math.min(60, Math.max(16, ...table.rows.map((row) => row.heading.label.length + 2)));
  for (let index = 2; index <= table.columns.length + 2; index += 1) sheet.getColumn(index).width = 14;
  return workbook;
}
