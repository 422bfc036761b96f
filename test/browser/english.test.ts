import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  buttonNamed as button,
  chromiumAvailable,
  expectNoAccessibilityViolation,
  fieldLabelled as field,
  startBrowserHarness,
  type BrowserHarness,
} from '../support/browser.ts';

/**
 * An exchange student whose browser asks for French switches the interface to English from the page
 * header, then starts a convention: labels, hints and errors are in English, and axe-core finds no
 * violation in the English pages (the switch itself included).
 */
describe.skipIf(!chromiumAvailable)('the interface in English in Chromium', () => {
  let harness: BrowserHarness;
  beforeAll(async () => {
    harness = await startBrowserHarness();
  });
  afterAll(() => harness?.close());

  it('takes a student through the first step of the wizard in English', async () => {
    const page = await harness.pageSignedInAs('etu.sciences1');
    page.setDefaultTimeout(10000);
    try {
      const languages = page.getByRole('group', { name: 'Langue' });
      expect(await languages.getByRole('button', { name: 'Français' }).getAttribute('aria-pressed')).toBe('true');
      await expectNoAccessibilityViolation(page);
      await languages.getByRole('button', { name: 'English' }).click();

      await page.getByRole('group', { name: 'Language' }).getByRole('button', { name: 'English', pressed: true }).waitFor();
      expect(await page.getAttribute('html', 'lang')).toBe('en');
      expect(new URL(page.url()).pathname).toBe('/');
      await page.getByRole('heading', { name: 'My enrolments' }).waitFor();
      await expectNoAccessibilityViolation(page);

      await page.getByRole('navigation', { name: 'Main menu' }).getByRole('link', { name: 'Conventions' }).click();
      await page.getByText('Your internship conventions, including the drafts being entered.').waitFor();
      await page.getByRole('link', { name: 'New convention' }).click();
      await page.getByRole('heading', { level: 1, name: 'New internship convention' }).waitFor();
      await expectNoAccessibilityViolation(page);
      await page.getByRole('link', { name: 'Start' }).click();

      await page.getByRole('heading', { level: 2, name: 'Student', exact: true }).waitFor();
      await page.getByRole('navigation', { name: 'Steps' }).waitFor();
      await expectNoAccessibilityViolation(page);
      await field(page, 'Enrolment').selectOption({ index: 1 });
      await field(page, 'Address').fill('10 rue des Écoles');
      await field(page, 'Postcode').fill('750');
      await field(page, 'Town').fill('Paris');
      await field(page, 'Social security affiliation').selectOption({ index: 1 });
      await field(page, 'Health insurance scheme').selectOption({ label: "Caisse Primaire d'Assurance Maladie" });
      await field(page, 'Health insurance office (CPAM)').selectOption({ index: 1 });
      await button(page, 'Save and continue').click();

      await page.getByRole('alert').getByText('The form has 1 error(s): correct the fields marked below.').waitFor();
      const postcode = field(page, 'Postcode');
      expect(await postcode.getAttribute('aria-invalid')).toBe('true');
      expect(await postcode.inputValue()).toBe('750');
      await page.locator('#field-student_postal_code-error').getByText('Invalid postcode (5 digits, for example 75005).').waitFor();
      expect(await field(page, 'Town').inputValue()).toBe('Paris');
      await expectNoAccessibilityViolation(page);

      await postcode.fill('75005');
      await button(page, 'Save and continue').click();
      await page.getByRole('heading', { level: 2, name: 'Host organisation', exact: true }).waitFor();
      await expectNoAccessibilityViolation(page);
      expect(await page.locator('main').innerText()).not.toMatch(/Étape|Enregistrer|Rechercher|obligatoire/);
    } finally {
      await page.context().close();
    }
  });
});
