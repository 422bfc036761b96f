import { Readable, Writable } from 'node:stream';
import express, { type ErrorRequestHandler } from 'express';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { columnByKey, type ExportColumn } from '../../src/exports/columns.ts';
import { sendSpreadsheet } from '../../src/exports/download.ts';
import { translator } from '../../src/i18n/index.ts';
import { createLogger } from '../../src/logger.ts';

/**
 * A query that fails: before the first row, the usual error page (and no "attachment" header left);
 * once the file has started, a download cut short — never a complete-looking file, never a crash.
 */
const t = translator('fr');
const columns = ['number', 'subject'].map((key) => columnByKey(key)!) as ExportColumn[];

/** Rows of a query that fails after `count` rows. */
const failingAfter = (count: number) => {
  let sent = 0;
  return new Readable({
    objectMode: true,
    read() {
      if (sent < count) this.push([(sent += 1), `Sujet n° ${sent} avec des accents : é, ç, à`]);
      else this.destroy(new Error('connexion à la base perdue'));
    },
  });
};

function appFailingAfter(count: number, logs: Record<string, unknown>[]) {
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString().split('\n').filter(Boolean)) logs.push(JSON.parse(line) as Record<string, unknown>);
      done();
    },
  });
  const logger = createLogger('info', sink);
  const app = express();
  app.get('/export.csv', async (req, res) => {
    req.log = logger;
    await sendSpreadsheet(req, res, { format: 'csv', fileName: 'conventions.csv', rows: failingAfter(count), sheet: { columns, headers: ['N°', 'Sujet'], t } });
  });
  const errorPage: ErrorRequestHandler = (_error, _req, res, _next) => {
    res.status(500).json({ disposition: res.getHeader('Content-Disposition') ?? null });
  };
  app.use(errorPage);
  return app;
}

describe('a query failing during an export', () => {
  it('gets the error page when it fails before the first row', async () => {
    const response = await request(appFailingAfter(0, [])).get('/export.csv');
    expect(response.status).toBe(500);
    expect(response.body).toEqual({ disposition: null });
  });

  it('cuts the download short, logged, when it fails once the file has started', async () => {
    const logs: Record<string, unknown>[] = [];
    const app = appFailingAfter(5000, logs);
    await expect(request(app).get('/export.csv').buffer(true)).rejects.toThrow(/aborted|socket hang up|ECONNRESET/);
    const failure = logs.find((line) => line.msg === 'export failed while streaming');
    expect(failure).toMatchObject({ format: 'csv', columns: ['number', 'subject'] });
    // The rows already sent (those the failing stream still held are lost with it).
    expect(failure!.rows as number).toBeGreaterThan(1000);
    expect((failure!.err as { message: string }).message).toBe('connexion à la base perdue');
    // The process goes on serving.
    expect((await request(appFailingAfter(0, [])).get('/export.csv')).status).toBe(500);
  });
});
