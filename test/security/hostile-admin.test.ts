import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/test-app.ts';
import { crawl } from './hostile-crawl.ts';
import { columnsWithLongText, HostileRun, notShown, pageProblems, valuesHeld } from './hostile-run.ts';

/**
 * Hostile input (production readiness): the forms a centre's ADMIN and the super-administrator reach
 * beyond those of WRITE staff (posted by hostile-staff.test.ts): centres, criteria, members, imports…
 */
describe('hostile input: staff with the ADMIN right, and the super-administrator', () => {
  let app: TestApp;
  let run: HostileRun;

  beforeAll(async () => {
    app = await startTestApp();
    run = new HostileRun(app);
    await run.skipFormsOf('gest.sciences');
    await run.exercise('resp.sciences');
    await run.exercise('admin');
  }, 180_000);
  afterAll(() => app.close());

  it('reaches the forms of the centres and of the administration through links', () => {
    expect(run.result.forms).toEqual(expect.arrayContaining(['POST /centres/:n?', 'POST /centres/:n/criteria?', 'POST /centres?', 'POST /admin/imports?']));
  });

  it('answers every hostile post without a 5xx, refuses NUL and over-long text with a French message, keeps and escapes the input', () => {
    expect(run.result.findings).toEqual([]);
  });

  it('shows what it kept escaped afterwards', async () => {
    const held = await valuesHeld(app.knex, run.storedValues());
    expect(held.size).toBeGreaterThan(0);
    const pages = [...(await crawl(await app.signIn('admin'), ['/'])), ...(await crawl(await app.signIn('etu.sciences1'), ['/']))];
    expect(pageProblems(pages)).toEqual([]);
    expect(
      notShown(
        pages,
        run.result.stored.filter((stored) => held.has(stored.value)),
      ),
    ).toEqual([]);
  }, 60_000);

  it('stored no over-long text', async () => {
    expect(await columnsWithLongText(app.knex)).toEqual([]);
  });
});
