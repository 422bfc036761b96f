import { once, type EventEmitter } from 'node:events';
import type { Writable } from 'node:stream';
import { finished } from 'node:stream/promises';
import ExcelJS from 'exceljs';
import { xlsxRow } from './cells.ts';
import type { ValueType } from './columns.ts';
import type { SheetSpec, SpreadsheetWriter } from './spreadsheet.ts';

/**
 * XLSX through ExcelJS's streaming writer, zipped straight into the output: one row in memory at a
 * time, whatever the number of rows. Dates are real Excel dates, numbers real numbers; the header row
 * is bold, frozen and carries the autofilter.
 */
const NUMBER_FORMATS: Record<ValueType, string> = {
  text: 'General',
  code: 'General',
  integer: 'General',
  decimal: 'General',
  hours: 'General',
  money: '#,##0.00',
  date: 'dd/mm/yyyy',
  datetime: 'dd/mm/yyyy hh:mm',
  yesNo: 'General',
  label: 'General',
};

const WIDTHS: Record<ValueType, number> = { text: 28, code: 16, integer: 10, decimal: 10, hours: 10, money: 12, date: 12, datetime: 17, yesNo: 8, label: 22 };

interface PacedStream extends EventEmitter {
  _writableState: { needDrain: boolean };
}

/**
 * ExcelJS never asks its caller to wait: the sheet's buffer writes its XML into the zip entry's
 * PassThrough without looking at the answer, so with a slow client (or a compressor slower than the
 * rows) the XML would pile up in memory. Rows are paced on that PassThrough instead: while it wants
 * a drain, no row is added. This reads ExcelJS 4.4's internals (the worksheet's `stream`, a StreamBuf,
 * and its `pipes`; that PassThrough comes from readable-stream 2, which keeps `needDrain` in its state
 * only), checked here once so that a change of ExcelJS fails loudly, and by test/exports/writers.test.ts.
 */
function sheetBacklog(sheet: ExcelJS.Worksheet): PacedStream {
  const consumer = (sheet as unknown as { stream?: { pipes?: unknown[] } }).stream?.pipes?.[0] as PacedStream | undefined;
  if (typeof consumer?._writableState?.needDrain !== 'boolean')
    throw new Error('ExcelJS internals changed: the sheet stream has no consumer to pace the rows on');
  return consumer;
}

export function xlsxWriter(output: Writable, { columns, headers, t, signal }: SheetSpec): SpreadsheetWriter {
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: output, useStyles: true, useSharedStrings: false });
  workbook.creator = 'Conventio';
  const sheet = workbook.addWorksheet(t('exports.file.sheetName'), { views: [{ state: 'frozen', ySplit: 1 }] });
  sheet.columns = columns.map((column) => ({ width: WIDTHS[column.type] }));
  sheet.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: columns.length } };
  const header = sheet.addRow([...headers]);
  header.font = { bold: true };
  header.commit();

  // One style object per column, shared by its cells: ExcelJS then resolves each style once instead of once a cell.
  const styles = columns.map((column) => ({ numFmt: NUMBER_FORMATS[column.type] }));
  const convert = xlsxRow(columns, t);
  const backlog = sheetBacklog(sheet);
  return {
    write(row) {
      const values = convert(row);
      const added = sheet.addRow([]);
      values.forEach((value, index) => {
        if (value === null) return;
        const cell = added.getCell(index + 1);
        cell.value = value;
        cell.style = styles[index]!;
      });
      added.commit();
      return !backlog._writableState.needDrain;
    },
    async drained() {
      await once(backlog, 'drain', { signal });
    },
    async end() {
      sheet.commit();
      await Promise.all([workbook.commit(), finished(output)]);
    },
  };
}
