import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumAvailable, expectNoAccessibilityViolation, startBrowserHarness, type BrowserHarness } from '../support/browser.ts';

/**
 * Amendments in Chromium: the internship office of UFR Droit (gest.droit) amends etu.droit1's
 * validated demo convention — list, form, confirmation, creation, amendment page, validation — and
 * axe-core finds no violation on each page; the validated amendment's page links to its PDF.
 */
describe.skipIf(!chromiumAvailable)('amendments in Chromium', () => {
  let harness: BrowserHarness;
  beforeAll(async () => {
    harness = await startBrowserHarness();
  });
  afterAll(() => harness?.close());

  const VALIDATED = 'Veille juridique en droit des contrats'; // etu.droit1, the demo's validated convention
  const NEW_SUBJECT = 'Veille juridique et rédaction de notes de synthèse';

  const heading = (page: Page, level: number, name: string) => page.getByRole('heading', { level, name, exact: true });

  async function pressButton(page: Page, name: string) {
    await page.getByRole('button', { name, exact: true }).focus();
    await Promise.all([page.waitForNavigation(), page.keyboard.press('Enter')]);
  }

  it('gest.droit creates and validates an amendment; every page passes axe-core', async () => {
    const number = String(
      (
        await harness.database
          .knex('convention as c')
          .join('student as s', 's.id', 'c.student_id')
          .where({ 's.login': 'etu.droit1', 'c.status': 'validated', 'c.subject': VALIDATED })
          .first('c.number')
      ).number,
    );
    const page = await harness.pageSignedInAs('gest.droit');
    page.setDefaultTimeout(10000);
    try {
      // The convention's page, then its "Avenants" tab: the list (empty).
      await page.goto(`/conventions/${number}`);
      await heading(page, 1, `Convention n° ${number}`).waitFor();
      await page.getByRole('navigation', { name: 'Parties de la convention' }).getByRole('link', { name: 'Avenants', exact: true }).click();
      await heading(page, 2, 'Avenants').waitFor();
      await page.getByText('Aucun avenant.', { exact: true }).waitFor();
      await expectNoAccessibilityViolation(page);

      // The form.
      await page.getByRole('link', { name: 'Nouvel avenant', exact: true }).click();
      await heading(page, 2, 'Nouvel avenant').waitFor();
      await expectNoAccessibilityViolation(page);
      await page.locator('textarea[name="reason"]').fill('Le sujet est précisé à la demande du tuteur.');
      await page.locator('textarea[name="subject"]').fill(NEW_SUBJECT);
      await pressButton(page, 'Vérifier l’avenant');

      // The confirmation page: before → after.
      await heading(page, 2, 'Vérifiez l’avenant avant de le créer').waitFor();
      await page.getByRole('cell', { name: NEW_SUBJECT }).first().waitFor();
      await expectNoAccessibilityViolation(page);
      await pressButton(page, 'Créer l’avenant');

      // The amendment's page, submitted (with its edit form), then validated (with the PDF link).
      await heading(page, 2, 'Avenant n° 1').waitFor();
      await page.getByText('L’avenant n° 1 est créé ; il attend sa validation par le service des stages.').waitFor();
      await expectNoAccessibilityViolation(page);
      await pressButton(page, 'Valider l’avenant');
      await page.getByText('L’avenant n° 1 est validé.').waitFor();
      await expectNoAccessibilityViolation(page);
      const pdf = page.getByRole('link', { name: 'Avenant n° 1 (PDF, en français)', exact: true });
      expect(await pdf.getAttribute('href')).toBe(`/conventions/${number}/amendments/1/amendment.pdf`);
      const response = await page.request.get(`/conventions/${number}/amendments/1/amendment.pdf`);
      expect(response.status()).toBe(200);
      expect(response.headers()['content-type']).toBe('application/pdf');

      // The list again, with the validated amendment.
      await page.getByRole('link', { name: 'Retour aux avenants', exact: true }).click();
      await page.getByRole('row').filter({ hasText: 'Le sujet est précisé' }).getByText('Validé', { exact: true }).waitFor();
      await expectNoAccessibilityViolation(page);
    } finally {
      await page.context().close();
    }
  });
});
