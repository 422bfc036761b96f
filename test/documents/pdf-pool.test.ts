import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pdf from 'pdf-parse/lib/pdf-parse.js';
import { threadId } from 'node:worker_threads';
import { loadActor } from '../../src/directory/actor.ts';
import { PdfWorkerPool, type PdfJob } from '../../src/documents/pdf-pool.ts';
import { documentData, type DocumentData } from '../../src/documents/service.ts';
import { startTestApp, type TestApp } from '../support/test-app.ts';

/**
 * Documents are drawn by worker threads: the process goes on answering other requests meanwhile, and a
 * document that cannot be drawn, or a thread that dies, fails that document only.
 */
describe('the pool of threads drawing the documents', () => {
  let app: TestApp;
  let data: DocumentData;
  const pool = new PdfWorkerPool(1);
  const conventionJob = (): PdfJob => ({ kind: 'convention', data, options: { language: 'en', printedOn: '2026-12-03' } });

  beforeAll(async () => {
    app = await startTestApp();
    const admin = await loadActor(app.knex, 'admin', ['admin']);
    const { number } = (await app.knex('convention').where({ status: 'validated' }).first('number')) as { number: number };
    data = await documentData(app.knex, admin!, number, 'convention');
  });

  afterAll(async () => {
    await pool.close();
    await app?.close();
  });

  it('draws the convention in another thread while the main one goes on', async () => {
    await pool.render(conventionJob()); // the thread starts
    let turns = 0;
    const timer = setInterval(() => (turns += 1), 10);
    const rendered = await pool.render(conventionJob());
    clearInterval(timer);
    expect(rendered.threadId).not.toBe(threadId);
    const parsed = await pdf(rendered.bytes);
    expect(parsed.numpages).toBe(15); // three copies of five pages
    expect(parsed.text).toContain(data.convention.student_last_name);
    // Drawn on this thread, the copies would leave no turn to the timer until the end.
    expect(turns).toBeGreaterThanOrEqual(5);
  });

  it('fails a document that cannot be drawn, and draws the next one', async () => {
    const broken = { kind: 'convention', data: { ...data, convention: null }, options: { language: 'fr', printedOn: '2026-12-03' } } as unknown as PdfJob;
    await expect(pool.render(broken)).rejects.toThrow(/could not be drawn/);
    expect((await pool.render(conventionJob())).bytes.subarray(0, 5).toString()).toBe('%PDF-');
  });

  it('replaces a thread that died, failing only the document it was drawing', async () => {
    const killer = { kind: 'no such document' } as unknown as PdfJob;
    const first = await pool.render(conventionJob());
    await expect(pool.render(killer)).rejects.toThrow();
    const next = await pool.render(conventionJob());
    expect(next.bytes.subarray(0, 5).toString()).toBe('%PDF-');
    expect(next.threadId).not.toBe(first.threadId);
  });
});
