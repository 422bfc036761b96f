import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { todayInFrance } from '../../src/rules/academic-year.ts';
import { addDays } from '../../src/rules/calendar.ts';
import { chromiumAvailable, expectNoAccessibilityViolation, startBrowserHarness, type BrowserHarness } from '../support/browser.ts';

/**
 * The convention search in Chromium: gest.sciences opens the advanced search with the
 * keyboard, chooses a faculty and a period, searches, sees the results, sorts them by a column, and
 * meets an error message; axe-core finds no violation on the page in each of these states.
 */
describe.skipIf(!chromiumAvailable)('the convention search in Chromium', () => {
  let harness: BrowserHarness;
  beforeAll(async () => {
    harness = await startBrowserHarness();
  });
  afterAll(() => harness?.close());

  const today = todayInFrance();
  const from = addDays(today, 50);
  const to = addDays(today, 100);

  /** The numbers of the rows shown, in order. */
  const shownNumbers = async (page: Page) => (await page.locator('tbody tr th[scope="row"] a').allTextContents()).map((text) => text.trim());

  async function pressButton(page: Page, name: string) {
    await page.getByRole('button', { name, exact: true }).focus();
    await Promise.all([page.waitForNavigation(), page.keyboard.press('Enter')]);
  }

  it('gest.sciences searches with the advanced criteria, sorts the results, corrects an error; axe-core finds no violation', async () => {
    // The demo conventions of the Sciences centre whose internship overlaps the period chosen below.
    const expected = (await harness.database
      .knex('convention as c')
      .join('centre as ce', 'ce.id', 'c.centre_id')
      .join('enrolment as e', 'e.id', 'c.enrolment_id')
      .where({ 'ce.name': 'UFR Sciences et techniques', 'e.faculty_code': 'SCI' })
      .whereNot('c.status', 'draft')
      .where('c.effective_start_date', '<=', to)
      .where('c.effective_end_date', '>=', from)
      .orderBy('c.effective_start_date')
      .select('c.number', 'c.effective_start_date')) as { number: number; effective_start_date: string }[];
    expect(expected.length).toBeGreaterThanOrEqual(2);

    const page = await harness.pageSignedInAs('gest.sciences');
    page.setDefaultTimeout(10000);
    try {
      await page.getByRole('navigation', { name: 'Menu principal' }).getByRole('link', { name: 'Conventions', exact: true }).click();
      await page.getByRole('heading', { level: 1, name: 'Conventions' }).waitFor();
      const search = page.getByRole('search', { name: 'Rechercher des conventions' });
      const advanced = search.locator('details');
      expect(await advanced.getAttribute('open')).toBeNull();
      await expect(search.getByLabel('Composantes').isVisible()).resolves.toBe(false);

      // The advanced search opens from the keyboard.
      await search.getByText('Recherche avancée', { exact: true }).focus();
      await page.keyboard.press('Enter');
      expect(await advanced.getAttribute('open')).not.toBeNull();
      await expectNoAccessibilityViolation(page);

      // A faculty (the last of the list, chosen with the keyboard), the period between two dates.
      const faculties = search.getByLabel('Composantes');
      await faculties.focus();
      await page.keyboard.press('End');
      expect(await faculties.evaluate((select: HTMLSelectElement) => Array.from(select.selectedOptions, (option) => option.value))).toEqual(['SCI']);
      const period = search.getByLabel('Période du stage');
      await period.focus();
      await period.selectOption({ label: 'Entre deux dates' });
      await search.getByLabel('Du', { exact: true }).fill(from);
      await search.getByLabel('Au', { exact: true }).fill(to);
      await pressButton(page, 'Rechercher');

      // The results, the criteria kept in the form, the advanced search still open.
      await page.getByRole('table').getByText(`Conventions (${expected.length})`, { exact: true }).waitFor();
      expect((await shownNumbers(page)).sort()).toEqual(expected.map((row) => String(row.number)).sort());
      expect(await page.locator('details.search-form__advanced').getAttribute('open')).not.toBeNull();
      expect(await page.getByLabel('Du', { exact: true }).inputValue()).toBe(from);
      expect(await page.getByLabel('Période du stage').inputValue()).toBe('between');
      await expectNoAccessibilityViolation(page);

      // Sorted by date with the keyboard: ascending, then descending.
      const dates = page.getByRole('columnheader', { name: 'Dates' });
      expect(await dates.getAttribute('aria-sort')).toBeNull();
      await dates.getByRole('link').focus();
      await Promise.all([page.waitForNavigation(), page.keyboard.press('Enter')]);
      expect(await page.getByRole('columnheader', { name: 'Dates' }).getAttribute('aria-sort')).toBe('ascending');
      expect(await page.getByRole('columnheader', { name: 'N°' }).getAttribute('aria-sort')).toBeNull();
      expect(await shownNumbers(page)).toEqual(expected.map((row) => String(row.number)));
      await expectNoAccessibilityViolation(page);
      await page.getByRole('columnheader', { name: 'Dates' }).getByRole('link').click();
      expect(await page.getByRole('columnheader', { name: 'Dates' }).getAttribute('aria-sort')).toBe('descending');
      expect(await shownNumbers(page)).toEqual(expected.map((row) => String(row.number)).reverse());

      // An error: a convention number with letters; the message next to the field and in the summary.
      await page.getByLabel('Numéro de convention').fill('12a');
      await pressButton(page, 'Rechercher');
      const summary = page.getByRole('alert');
      await summary.getByRole('link', { name: 'Un numéro de convention ne contient que des chiffres.' }).waitFor();
      const number = page.getByLabel('Numéro de convention');
      expect(await number.inputValue()).toBe('12a');
      expect(await number.getAttribute('aria-invalid')).toBe('true');
      expect(await page.locator('#field-number-error').textContent()).toBe('Un numéro de convention ne contient que des chiffres.');
      // The other criteria still apply, and the sort is kept.
      expect(await shownNumbers(page)).toEqual(expected.map((row) => String(row.number)).reverse());
      await expectNoAccessibilityViolation(page);

      // The summary's link leads to the field.
      await summary.getByRole('link').click();
      expect(await page.evaluate(() => document.activeElement?.id)).toBe('field-number');

      // "Between" without dates: the message is in the open advanced search.
      await number.fill('');
      await page.getByLabel('Du', { exact: true }).fill('');
      await page.getByLabel('Au', { exact: true }).fill('');
      await pressButton(page, 'Rechercher');
      await page.locator('#field-from-error').getByText('Indiquez au moins une des deux dates.').waitFor();
      expect(await page.locator('details.search-form__advanced').getAttribute('open')).not.toBeNull();
      await expectNoAccessibilityViolation(page);

      // The reset button empties the form and shows every convention of the centre.
      await page.getByRole('link', { name: 'Réinitialiser', exact: true }).click();
      await page.getByRole('heading', { level: 1, name: 'Conventions' }).waitFor();
      expect(await page.getByLabel('Période du stage').inputValue()).toBe('');
      expect(await page.locator('details.search-form__advanced').getAttribute('open')).toBeNull();
      expect((await shownNumbers(page)).length).toBeGreaterThan(expected.length);
    } finally {
      await page.context().close();
    }
  });
});
