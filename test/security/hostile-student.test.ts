import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/test-app.ts';
import { crawl, type Page } from './hostile-crawl.ts';
import { SCRIPT, UNICODE } from './hostile-payloads.ts';
import { columnsWithLongText, HostileRun, notShown, pageProblems, valuesHeld } from './hostile-run.ts';

/**
 * Hostile input (production readiness): every form a student with a draft convention, then a student
 * with a validated one, reaches, found by crawling from the home page, posted with every family of
 * hostile values (see hostile-payloads).
 */
describe('hostile input: students with a draft and with a validated convention', () => {
  let app: TestApp;
  let run: HostileRun;

  beforeAll(async () => {
    app = await startTestApp();
    run = new HostileRun(app);
    await run.exercise('etu.sciences1');
    await run.exercise('etu.droit1');
  }, 120_000);
  afterAll(() => app.close());

  it('reaches the wizard of the draft and the request of an amendment through links', () => {
    expect(run.result.forms).toEqual(
      expect.arrayContaining([
        'POST /conventions/drafts/:n/student?',
        'POST /conventions/drafts/:n/internship?',
        'POST /conventions/drafts/:n/host/new?',
        'POST /conventions/:n/amendments/new?',
        'GET /offers?',
      ]),
    );
    expect(run.result.posts).toBeGreaterThan(100);
  });

  it('answers every hostile post without a 5xx, refuses NUL and over-long text with a French message, keeps and escapes the input', () => {
    expect(run.result.findings).toEqual([]);
  });

  it('shows what it kept escaped afterwards, to the students and to the staff of their centres', async () => {
    const held = await valuesHeld(app.knex, run.storedValues());
    expect([...held]).toEqual(expect.arrayContaining([SCRIPT, UNICODE]));
    const pages: Page[] = [];
    for (const login of ['etu.sciences1', 'gest.sciences', 'etu.droit1', 'gest.droit']) pages.push(...(await crawl(await app.signIn(login), ['/'])));
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
