import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumAvailable, expectNoAccessibilityViolation, startBrowserHarness, type BrowserHarness } from '../support/browser.ts';

/**
 * The company deposit in Chromium: the super-admin creates the link; a company opens it, sees
 * its errors, then deposits an offer. axe-core finds no violation on any of these pages.
 */
describe.skipIf(!chromiumAvailable)('company deposit in Chromium', () => {
  let harness: BrowserHarness;
  beforeAll(async () => {
    harness = await startBrowserHarness();
  });
  afterAll(() => harness?.close());

  it('creates a link, then deposits an offer through it; every page passes axe-core', async () => {
    const staff = await harness.pageSignedInAs('admin');
    let link: string;
    try {
      await staff.goto('/offers/deposit-link');
      await expectNoAccessibilityViolation(staff);
      await staff.getByRole('button', { name: 'Créer le lien' }).click();
      link = await staff.getByLabel('Lien à envoyer aux entreprises', { exact: true }).inputValue();
      await expectNoAccessibilityViolation(staff);
    } finally {
      await staff.context().close();
    }

    const context = await harness.browser.newContext({ locale: 'fr-FR' });
    const company = await context.newPage();
    company.setDefaultTimeout(5000);
    try {
      const form = await company.goto(link.replace(/^https?:\/\/[^/]+/, harness.baseUrl));
      expect(form?.status()).toBe(200);
      await expectNoAccessibilityViolation(company);
      await company.getByRole('button', { name: 'Envoyer l’offre' }).click();
      await company.getByRole('alert').filter({ hasText: 'Le formulaire contient' }).waitFor();
      await expectNoAccessibilityViolation(company);

      await company.getByLabel('Oui : il suffit de donner son numéro SIRET').check();
      await company.getByLabel('Numéro SIRET', { exact: true }).fill('442 876 512 00017');
      await company.getByLabel('Intitulé de l’offre').fill('Stage en contrôle de gestion');
      await company.getByLabel('Type d’offre').selectOption('STAGE');
      await company.getByLabel('Missions').fill('Préparer les tableaux de bord mensuels.');
      await company.getByLabel('Mail', { exact: true }).check();
      await company.getByLabel('Civilité').selectOption('M');
      await company.locator('[name="contact_last_name"]').fill('Bernard');
      await company.locator('[name="contact_first_name"]').fill('Louis');
      await company.getByLabel('Fonction').fill('Responsable RH');
      await company.locator('[name="contact_email"]').fill('louis.bernard@example.fr');
      await company.getByRole('button', { name: 'Envoyer l’offre' }).click();
      await company.getByRole('heading', { level: 1, name: 'Offre transmise' }).waitFor();
      await expectNoAccessibilityViolation(company);
    } finally {
      await context.close();
    }
    const offer = await harness.database.knex('offer').where({ title: 'Stage en contrôle de gestion' }).first();
    expect(offer).toMatchObject({ entered_by_company: true, to_moderate: true, state: 'saved' });
  });
});
