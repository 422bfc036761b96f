import type { Readable } from 'node:stream';
import type { Request, Response } from 'express';
import { csvWriter } from './csv.ts';
import type { ExportFormat } from './schemas.ts';
import type { SheetSpec, SpreadsheetWriter, WriterFactory } from './spreadsheet.ts';
import { xlsxWriter } from './xlsx.ts';

const FORMATS: Record<ExportFormat, { contentType: string; writer: WriterFactory }> = {
  xlsx: { contentType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', writer: xlsxWriter },
  csv: { contentType: 'text/csv; charset=utf-8', writer: csvWriter },
};

/**
 * Streams the rows into a file download. The headers wait for the first row (or the end): a query
 * that fails at once still gets the usual error page. Past that point an error can only cut the
 * download short — logged, and the connection closed so that the browser reports an incomplete file
 * rather than keeping a truncated one. When the client goes away, the cursor is closed at once and
 * its connection returns to the pool.
 */
export async function sendSpreadsheet(
  req: Request,
  res: Response,
  download: { format: ExportFormat; fileName: string; rows: Readable; sheet: Omit<SheetSpec, 'signal'> },
): Promise<void> {
  const { format, fileName, rows, sheet } = download;
  const clientGone = new AbortController();
  const onClose = () => {
    if (!res.writableFinished) clientGone.abort();
  };
  res.on('close', onClose);
  clientGone.signal.addEventListener('abort', () => rows.destroy(), { once: true });
  const log = req.log.child({ format, columns: sheet.columns.map((column) => column.key) });
  let count = 0;
  let writer: SpreadsheetWriter | undefined;
  try {
    const iterator = rows[Symbol.asyncIterator]() as AsyncIterator<unknown[]>;
    let next = await iterator.next();
    res.attachment(fileName);
    res.type(FORMATS[format].contentType);
    writer = FORMATS[format].writer(res, { ...sheet, signal: clientGone.signal });
    while (!next.done && !clientGone.signal.aborted) {
      count += 1;
      if (!writer.write(next.value)) await writer.drained();
      next = await iterator.next();
    }
    if (!clientGone.signal.aborted) {
      await writer.end();
      log.info({ rows: count }, 'conventions exported');
    }
  } catch (error) {
    if (clientGone.signal.aborted) return;
    if (writer === undefined) {
      res.removeHeader('Content-Disposition');
      throw error;
    }
    log.error({ err: error, rows: count }, 'export failed while streaming');
    res.destroy();
  } finally {
    res.off('close', onClose);
    rows.destroy();
    if (clientGone.signal.aborted) log.info({ rows: count }, 'export interrupted: the client went away');
  }
}
