import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumAvailable, expectNoAccessibilityViolation, startBrowserHarness, type BrowserHarness } from '../support/browser.ts';

/** The statistics page and the staff home page, in Chromium, on the demo data of the current year. */
describe.skipIf(!chromiumAvailable)('statistics in Chromium', () => {
  let harness: BrowserHarness;
  beforeAll(async () => {
    harness = await startBrowserHarness();
  });
  afterAll(() => harness?.close());

  it('chooses two criteria in the form and shows the table and its chart, without accessibility violation', async () => {
    const page = await harness.pageSignedInAs('gest.sciences');
    try {
      await page.getByRole('navigation', { name: 'Menu principal' }).getByRole('link', { name: 'Statistiques' }).click();
      await page.getByRole('heading', { level: 1, name: 'Statistiques des conventions' }).waitFor();
      await page.getByLabel('En lignes').selectOption({ label: 'Étape' });
      await page.getByLabel('En colonnes').selectOption({ label: 'Durée du stage' });
      await page.getByRole('button', { name: 'Afficher' }).click();
      await page.waitForURL(/first=step&second=duration/);

      const table = page.getByRole('table', { name: /^Conventions par étape \(lignes\) et par durée du stage \(colonnes\)/ });
      await expect(table.getByRole('rowheader', { name: 'Total' }).isVisible()).resolves.toBe(true);
      const chart = page.getByRole('img', { name: /^Graphique — Conventions par étape et par durée du stage/ });
      await expect(chart.isVisible()).resolves.toBe(true);
      await expect(chart.getAttribute('aria-describedby')).resolves.toBe('chart-summary');
      await expect(page.locator('#chart-summary').textContent()).resolves.toMatch(/^\d+ convention\(s\) au total\. Par étape : /);
      await expectNoAccessibilityViolation(page);

      // An open-ended criterion, and a form in error, are accessible too.
      await page.goto('/statistics?first=faculty&second=host');
      await page.getByRole('img', { name: /établissement d’accueil/ }).waitFor();
      await expectNoAccessibilityViolation(page);
      const refused = await page.goto('/statistics?academicYear=2026');
      expect(refused?.status()).toBe(400);
      await expect(page.getByRole('alert').textContent()).resolves.toContain('Année universitaire au format 2026-2027.');
      await expectNoAccessibilityViolation(page);
    } finally {
      await page.context().close();
    }
  });

  it('shows the headline figures on the staff home page, without accessibility violation', async () => {
    for (const login of ['gest.sciences', 'admin']) {
      const page = await harness.pageSignedInAs(login);
      try {
        await page.getByRole('heading', { level: 2, name: /^Les conventions de l’année \d{4}-\d{4} en chiffres$/ }).waitFor();
        await expect(page.getByRole('table', { name: 'Conventions par état' }).isVisible()).resolves.toBe(true);
        await expectNoAccessibilityViolation(page);
      } finally {
        await page.context().close();
      }
    }
  });
});
