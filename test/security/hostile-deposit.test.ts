import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { depositForm, newDepositLink } from '../offers/deposit-support.ts';
import { startTestApp, type TestApp } from '../support/test-app.ts';
import { crawl } from './hostile-crawl.ts';
import { documentsLinkedFrom } from './hostile-files.ts';
import { columnsWithLongText, HostileRun, notShown, pageProblems, valuesHeld } from './hostile-run.ts';

/**
 * Hostile input (production readiness): a company, not signed in, on the offer deposit page reached
 * with a valid deposit link. The blank public form starts from a valid submission so that what it
 * accepts is stored, then looked for on the staff's pages and in the offer's PDF.
 * (Fewer posts than the 20 per hour and address the deposit allows: a 429 would be a finding.)
 */
describe('hostile input: a company on the offer deposit page', () => {
  let app: TestApp;
  let run: HostileRun;

  beforeAll(async () => {
    app = await startTestApp();
    run = new HostileRun(app);
    const link = await newDepositLink(app, await app.signIn('agent.stages'));
    await run.exercise(null, { starts: [link], baseline: depositForm() });
  }, 120_000);
  afterAll(() => app.close());

  it('reaches the deposit form', () => {
    expect(run.result.forms).toContain('POST /offers/deposit/:secret?');
  });

  it('answers every hostile post without a 5xx, refuses NUL and over-long text with a French message, keeps and escapes the input', () => {
    expect(run.result.findings).toEqual([]);
  });

  it('shows what it kept escaped to the staff who moderate it, and prints it literally', async () => {
    const held = await valuesHeld(app.knex, run.storedValues());
    expect(held.size).toBeGreaterThan(0);
    const offer = (await app.knex('offer').where({ entered_by_company: true }).orderBy('id', 'desc').first('id')) as { id: number };
    const staff = await app.signIn('agent.stages');
    const pages = await crawl(staff, ['/', `/offers/${offer.id}`]);
    expect(pageProblems(pages)).toEqual([]);
    expect(
      notShown(
        pages,
        run.result.stored.filter((stored) => held.has(stored.value)),
      ),
    ).toEqual([]);
    const documents = await documentsLinkedFrom(
      staff,
      pages.filter((page) => page.path === `/offers/${offer.id}`),
    );
    expect(documents.map((document) => document.status)).toEqual([200]);
    expect([...held].filter((value) => /^[\x20-\x7e]+$/.test(value) && !documents[0]!.text.includes(value))).toEqual([]);
  }, 60_000);

  it('stored no over-long text', async () => {
    expect(await columnsWithLongText(app.knex)).toEqual([]);
  });
});
