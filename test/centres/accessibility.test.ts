import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumAvailable, expectNoAccessibilityViolation, startBrowserHarness, type BrowserHarness } from '../support/browser.ts';
import { demoCentres, tinyPng, type DemoCentres } from './support.ts';

describe.skipIf(!chromiumAvailable)('centre pages in Chromium', () => {
  let harness: BrowserHarness;
  let centres: DemoCentres;
  beforeAll(async () => {
    harness = await startBrowserHarness();
    centres = await demoCentres(harness.database.knex);
    await harness.database.knex('centre').where({ id: centres.sciences }).update({ logo: tinyPng(), logo_mime_type: 'image/png' });
  });
  afterAll(() => harness?.close());

  it('has no accessibility violation on any centre page, for administrators and readers', async () => {
    const pages = {
      admin: [
        '/centres',
        '/centres/new',
        `/centres/${centres.sciences}`,
        `/centres/${centres.sciences}/members?lastName=gest`,
        `/centres/${centres.sciences}/delete`,
        `/centres/${centres.entreprise}/delete`,
      ],
      'lect.sciences': ['/centres', `/centres/${centres.sciences}`, `/centres/${centres.sciences}/members`],
    };
    for (const [login, paths] of Object.entries(pages)) {
      const page = await harness.pageSignedInAs(login);
      try {
        for (const path of paths) {
          const response = await page.goto(path);
          expect(response?.status(), path).toBe(200);
          await expectNoAccessibilityViolation(page);
        }
      } finally {
        await page.context().close();
      }
    }
  });

  it('shows the errors of a form in a summary linked to the fields, and the logo preview', async () => {
    const page = await harness.pageSignedInAs('resp.sciences');
    try {
      await page.goto(`/centres/${centres.sciences}`);
      expect(
        await page.getByRole('img', { name: 'Logo actuel du centre UFR Sciences et techniques' }).evaluate((image: HTMLImageElement) => image.naturalWidth),
      ).toBe(1);
      await page.getByLabel('Nom du centre').fill('');
      await page.getByRole('button', { name: 'Enregistrer', exact: true }).click();
      await page.getByRole('alert').filter({ hasText: 'Le formulaire contient 1 erreur(s)' }).waitFor();
      await page.getByRole('link', { name: 'Ce champ est obligatoire.' }).click();
      await expect(page.evaluate(() => document.activeElement?.id)).resolves.toBe('field-name');
      await expectNoAccessibilityViolation(page);
    } finally {
      await page.context().close();
    }
  });
});
