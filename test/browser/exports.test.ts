import ExcelJS from 'exceljs';
import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { todayInFrance } from '../../src/rules/academic-year.ts';
import { addDays } from '../../src/rules/calendar.ts';
import { chromiumAvailable, expectNoAccessibilityViolation, startBrowserHarness, type BrowserHarness } from '../support/browser.ts';

/**
 * The export of a search in Chromium: gest.sciences searches by faculty and period, follows
 * "Exporter le résultat", chooses columns, downloads the XLSX and finds in it the conventions of the
 * list, with their dates and accents; axe-core finds no violation on the chooser, on it in error, nor
 * on the page refusing a file address.
 */
describe.skipIf(!chromiumAvailable)('the export of a search in Chromium', () => {
  let harness: BrowserHarness;
  beforeAll(async () => {
    harness = await startBrowserHarness();
  });
  afterAll(() => harness?.close());

  const today = todayInFrance();
  const [from, to] = [today, addDays(today, 365)];

  it('gest.sciences exports the result of an advanced search to XLSX with the columns chosen', async () => {
    const expected = (await harness.database
      .knex('convention as c')
      .join('centre as ce', 'ce.id', 'c.centre_id')
      .join('student as s', 's.id', 'c.student_id')
      .where('ce.name', 'UFR Sciences et techniques')
      .whereNot('c.status', 'draft')
      .where('c.effective_start_date', '<=', to)
      .where('c.effective_end_date', '>=', from)
      .orderBy('c.number', 'desc')
      .select('c.number', 's.first_name', 'c.effective_start_date as start', 'c.effective_subject as subject')) as {
      number: number;
      first_name: string;
      start: string;
      subject: string;
    }[];
    expect(expected.length).toBeGreaterThanOrEqual(2);

    const page = await harness.pageSignedInAs('gest.sciences');
    page.setDefaultTimeout(10000);
    try {
      await page.goto('/conventions');
      const search = page.getByRole('search', { name: 'Rechercher des conventions' });
      await search.getByText('Recherche avancée', { exact: true }).click();
      await search.getByLabel('Composantes').selectOption('SCI');
      await search.getByLabel('Période du stage').selectOption({ label: 'Entre deux dates' });
      await search.getByLabel('Du', { exact: true }).fill(from);
      await search.getByLabel('Au', { exact: true }).fill(to);
      await search.getByRole('button', { name: 'Rechercher', exact: true }).click();
      await page.getByRole('table').getByText(`Conventions (${expected.length})`, { exact: true }).waitFor();

      await page.getByRole('link', { name: 'Exporter le résultat', exact: true }).click();
      await page.getByRole('heading', { level: 1, name: 'Exporter les conventions' }).waitFor();
      await page.getByText(`${expected.length} conventions correspondent à cette recherche.`, { exact: true }).waitFor();
      await expectNoAccessibilityViolation(page);

      // Only four columns: the defaults unchecked, then the chosen ones checked.
      const checked = page.getByRole('checkbox', { checked: true });
      while ((await checked.count()) > 0) await checked.first().uncheck();
      const chosen = ['Numéro de convention', 'Prénom de l’étudiant', 'Date de début du stage', 'Sujet du stage'];
      for (const name of chosen) await page.getByRole('group', { name: 'Convention' }).getByLabel(name, { exact: true }).check();

      const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Télécharger au format Excel (XLSX)' }).click()]);
      expect(download.suggestedFilename()).toBe(`conventions-${today}.xlsx`);
      const workbook = new ExcelJS.Workbook();
      await workbook.xlsx.load((await readFile((await download.path())!)) as unknown as ExcelJS.Buffer);
      const sheet = workbook.worksheets[0]!;
      const rows = sheet.getRows(1, sheet.rowCount)!.map((row) => (row.values as unknown[]).slice(1));
      expect(rows).toEqual([
        chosen,
        ...expected.map((convention) => [convention.number, convention.first_name, new Date(`${convention.start}T00:00:00Z`), convention.subject]),
      ]);
      expect(rows.flat()).toContain('Léa');

      // Back on the chooser, the choice is remembered; with nothing chosen, the page says so, accessibly.
      await page.reload();
      expect(await Promise.all((await checked.all()).map((box) => box.getAttribute('value')))).toEqual(['number', 'studentFirstName', 'startDate', 'subject']);
      while ((await checked.count()) > 0) await checked.first().uncheck();
      await page.getByRole('button', { name: 'Télécharger au format CSV' }).click();
      await page.getByRole('alert').getByText('Choisissez au moins une colonne.').waitFor();
      await expectNoAccessibilityViolation(page);

      // A file address with a column that does not exist gets its French page, accessible too.
      const refused = await page.goto('/conventions/export.xlsx?columns=number,salaire');
      expect(refused?.status()).toBe(400);
      await page.getByRole('alert').getByText('Colonne inconnue (1) : « salaire ». Choisissez les colonnes sur la page d’export.').waitFor();
      await expectNoAccessibilityViolation(page);
    } finally {
      await page.context().close();
    }
  });
});
