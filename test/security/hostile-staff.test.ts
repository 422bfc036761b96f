import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/test-app.ts';
import { crawl, type Page } from './hostile-crawl.ts';
import { csvCells, documentsLinkedFrom, xlsxCells } from './hostile-files.ts';
import { formsIn } from './hostile-html.ts';
import { FORMULAS, SCRIPT } from './hostile-payloads.ts';
import type { HostileActor } from './hostile-fuzz.ts';
import { columnsWithLongText, HostileRun, notShown, pageProblems, valuesHeld } from './hostile-run.ts';

/**
 * Hostile input (production readiness): every form a WRITE staff member reaches, found by crawling
 * from the home page, posted with every family of hostile values; then the pages, the PDFs and the
 * exports that show what was kept.
 */
describe('hostile input: staff with the WRITE right', () => {
  let app: TestApp;
  let run: HostileRun;
  let staff: HostileActor;
  let pages: Page[];

  beforeAll(async () => {
    app = await startTestApp();
    run = new HostileRun(app);
    staff = await run.exercise('gest.sciences');
    pages = [...(await crawl(await app.signIn('gest.sciences'), ['/'])), ...(await crawl(await app.signIn('etu.sciences1'), ['/']))];
  }, 180_000);
  afterAll(() => app.close());

  it('reaches the forms of conventions, hosts, offers, searches and exports through links', () => {
    expect(run.result.forms).toEqual(
      expect.arrayContaining([
        'POST /conventions/:n/internship?',
        'POST /conventions/:n/validation/refuse?',
        'POST /hosts/:n/edit?',
        'POST /hosts/:n/contacts/:n/edit?',
        'POST /offers/:n/edit/details?',
        'POST /conventions/export?',
        'GET /conventions?',
        'GET /hosts?',
        'GET /statistics?',
      ]),
    );
  });

  it('answers every hostile post without a 5xx, refuses NUL and over-long text with a French message, keeps and escapes the input', () => {
    expect(run.result.findings).toEqual([]);
  });

  it('shows what it kept escaped afterwards, to the staff and to the student', async () => {
    const held = await valuesHeld(app.knex, run.storedValues());
    expect([...held]).toEqual(expect.arrayContaining([SCRIPT, FORMULAS[0]]));
    expect(pageProblems(pages)).toEqual([]);
    expect(
      notShown(
        pages,
        run.result.stored.filter((stored) => held.has(stored.value)),
      ),
    ).toEqual([]);
  });

  it('prints it literally in the PDFs, never as HTML entities', async () => {
    const documents = await documentsLinkedFrom(staff.agent, pages);
    expect(documents.filter((document) => document.status >= 500).map((document) => document.path)).toEqual([]);
    expect(documents.filter((document) => /&(?:lt|gt|amp|#34|#39);/.test(document.text)).map((document) => document.path)).toEqual([]);
    expect(documents.some((document) => document.text.includes(SCRIPT))).toBe(true);
  }, 60_000);

  it('neutralises formulas in the XLSX and CSV exports with every column, and in the statistics workbooks', async () => {
    // The fields that kept a hostile value now get formula starters, the names of hosts among them.
    await staff.storeAgain((index) => FORMULAS[index % FORMULAS.length]!);
    expect(run.result.findings).toEqual([]);
    const neutralised = (texts: string[]) => texts.some((text) => FORMULAS.some((formula) => text.startsWith(`'${formula}`)));

    const forms = pages.flatMap((page) => formsIn(page.html, page.path));
    const columns = forms.find((form) => form.action === '/conventions/export')!.fields.find((field) => field.name === 'columns')!.options;
    const xlsx = await xlsxCells(staff.agent, `/conventions/export.xlsx?columns=${columns.join(',')}`);
    const csv = await csvCells(staff.agent, `/conventions/export.csv?columns=${columns.join(',')}`);
    expect([xlsx.status, csv.status]).toEqual([200, 200]);
    expect([...xlsx.formulas, ...csv.formulas]).toEqual([]);
    expect([neutralised(xlsx.texts), neutralised(csv.texts)]).toEqual([true, true]);

    const second = forms.find((form) => form.action === '/statistics')!.fields.find((field) => field.name === 'second')!;
    const workbooks = await Promise.all(second.options.map((option) => xlsxCells(staff.agent, `/statistics/export.xlsx?second=${option}`)));
    expect(workbooks.map((workbook) => workbook.status)).toEqual(second.options.map(() => 200));
    expect(workbooks.flatMap((workbook) => workbook.formulas)).toEqual([]);
    expect(neutralised(workbooks.flatMap((workbook) => workbook.texts))).toBe(true);
  }, 60_000);

  it('stored no over-long text', async () => {
    expect(await columnsWithLongText(app.knex)).toEqual([]);
  });
});
