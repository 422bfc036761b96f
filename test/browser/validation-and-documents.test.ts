import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buttonNamed as button, chromiumAvailable, expectNoAccessibilityViolation, startBrowserHarness, type BrowserHarness } from '../support/browser.ts';

/**
 * The validation workflow and the printed convention in Chromium: the teacher validates
 * pedagogically, the internship office validates, the student sees it validated and gets the PDF;
 * axe-core checks the validation, history, list (with bulk validation) and bulk report pages.
 */
describe.skipIf(!chromiumAvailable)('validation and documents in Chromium', () => {
  let harness: BrowserHarness;
  beforeAll(async () => {
    harness = await startBrowserHarness();
  });
  afterAll(() => harness?.close());

  // Demo conventions (src/conventions/demo-data.ts), found by their subject.
  const SUBMITTED = 'Développement d’une application web de suivi'; // etu.sciences1, supervised by prof.martin
  const PEDAGOGICALLY_VALIDATED = 'Étude de la biodiversité d’un site industriel'; // etu.sciences2
  const CANCELLED = 'Stage annulé par l’organisme'; // etu.sciences2

  const heading = (page: Page, level: number, name: string | RegExp) =>
    page.getByRole('heading', { level, name, exact: typeof name === 'string' ? true : undefined });

  async function signIn(login: string): Promise<Page> {
    const page = await harness.pageSignedInAs(login);
    page.setDefaultTimeout(10000);
    return page;
  }

  /** From the home page, through the menu and the list, to the convention's summary; returns its number. */
  async function openConvention(page: Page, subject: string): Promise<string> {
    await page.getByRole('navigation', { name: 'Menu principal' }).getByRole('link', { name: 'Conventions', exact: true }).click();
    await heading(page, 1, 'Conventions').waitFor();
    const link = page.getByRole('row').filter({ hasText: subject }).getByRole('rowheader').getByRole('link');
    const number = (await link.textContent())!.trim();
    expect(number).toMatch(/^\d+$/);
    await link.click();
    await heading(page, 1, `Convention n° ${number}`).waitFor();
    return number;
  }

  async function openTab(page: Page, name: 'Validation' | 'Historique' | 'Récapitulatif') {
    await page.getByRole('navigation', { name: 'Parties de la convention' }).getByRole('link', { name, exact: true }).click();
    await heading(page, 2, name).waitFor();
  }

  /** Activates a button with the keyboard and waits for the page it leads to. */
  async function pressButton(page: Page, name: string) {
    await button(page, name).focus();
    await Promise.all([page.waitForNavigation(), page.keyboard.press('Enter')]);
  }

  it('takes a submitted convention through both validations to the student’s PDF', async () => {
    // 1. The academic supervisor validates pedagogically.
    const teacher = await signIn('prof.martin');
    let number: string;
    try {
      number = await openConvention(teacher, SUBMITTED);
      await openTab(teacher, 'Validation');
      await teacher.getByText('État actuel : Créée, en attente de validation.', { exact: true }).waitFor();
      await expect(teacher.getByText(/Le centre de gestion demande une validation pédagogique/).isVisible()).resolves.toBe(true);
      await expectNoAccessibilityViolation(teacher);
      await expect(button(teacher, 'Valider la convention').count()).resolves.toBe(0);
      await pressButton(teacher, 'Valider pédagogiquement');
      await teacher.getByText(`La convention n° ${number} est validée pédagogiquement.`).waitFor();
      await teacher.getByText('État actuel : Validée pédagogiquement.', { exact: true }).waitFor();
      await expect(button(teacher, 'Valider pédagogiquement').count()).resolves.toBe(0);
      await expectNoAccessibilityViolation(teacher);
    } finally {
      await teacher.context().close();
    }

    // 2. The internship office validates administratively, then reads the history.
    const staff = await signIn('gest.sciences');
    try {
      expect(await openConvention(staff, SUBMITTED)).toBe(number);
      await openTab(staff, 'Validation');
      await staff.getByText('État actuel : Validée pédagogiquement.', { exact: true }).waitFor();
      await expectNoAccessibilityViolation(staff);
      await pressButton(staff, 'Valider la convention');
      await staff.getByText(`La convention n° ${number} est validée.`).waitFor();
      await staff.getByText('État actuel : Validée.', { exact: true }).waitFor();
      await expectNoAccessibilityViolation(staff);

      await openTab(staff, 'Historique');
      const table = staff.getByRole('table', { name: 'Changements d’état' });
      const actions = await table.getByRole('rowheader').allTextContents();
      expect(actions.map((action) => action.trim())).toEqual(['Création', 'Valider pédagogiquement', 'Valider la convention']);
      await expect(table.getByRole('row').filter({ hasText: 'Valider pédagogiquement' }).textContent()).resolves.toContain('(prof.martin)');
      await expect(table.getByRole('row').filter({ hasText: 'Valider la convention' }).textContent()).resolves.toContain('(gest.sciences)');
      await expectNoAccessibilityViolation(staff);
    } finally {
      await staff.context().close();
    }

    // 3. The student sees it validated and downloads the convention.
    const student = await signIn('etu.sciences1');
    try {
      expect(await openConvention(student, SUBMITTED)).toBe(number);
      await expect(
        student
          .getByRole('definition')
          .filter({ hasText: /^Validée$/ })
          .count(),
      ).resolves.toBe(1);
      await openTab(student, 'Validation');
      await student.getByText('État actuel : Validée.', { exact: true }).waitFor();
      await expectNoAccessibilityViolation(student);

      // The convention's page links to its documents; the link is followed with the page's cookies.
      await openTab(student, 'Récapitulatif');
      const href = await student.getByRole('link', { name: 'Convention (PDF, en français)' }).getAttribute('href');
      expect(href).toBe(`/conventions/${number}/convention.pdf?lang=fr`);
      const response = await student.context().request.get(href!);
      expect(response.status()).toBe(200);
      expect(response.headers()['content-type']).toBe('application/pdf');
      expect((await response.body()).subarray(0, 5).toString('latin1')).toBe('%PDF-');
    } finally {
      await student.context().close();
    }
  });

  it('validates in bulk from the list and reports what it skipped', async () => {
    const staff = await signIn('gest.sciences');
    try {
      await staff.getByRole('navigation', { name: 'Menu principal' }).getByRole('link', { name: 'Conventions', exact: true }).click();
      await heading(staff, 1, 'Conventions').waitFor();
      await expect(staff.getByRole('columnheader', { name: 'Sélection', exact: true }).isVisible()).resolves.toBe(true);
      await expectNoAccessibilityViolation(staff);

      const rowOf = (subject: string) => staff.getByRole('row').filter({ hasText: subject });
      const validatedNumber = (await rowOf(PEDAGOGICALLY_VALIDATED).getByRole('rowheader').textContent())!.trim();
      const skippedNumber = (await rowOf(CANCELLED).getByRole('rowheader').textContent())!.trim();
      await staff.getByRole('checkbox', { name: `Sélectionner la convention n° ${validatedNumber}`, exact: true }).check();
      const skippedBox = staff.getByRole('checkbox', { name: `Sélectionner la convention n° ${skippedNumber}`, exact: true });
      await skippedBox.focus();
      await staff.keyboard.press('Space');
      await expect(skippedBox.isChecked()).resolves.toBe(true);
      await pressButton(staff, 'Valider les conventions sélectionnées');

      await heading(staff, 1, 'Validation groupée').waitFor();
      await expect(staff.getByRole('status').first().textContent()).resolves.toContain(`Conventions validées (1) : n° ${validatedNumber}.`);
      const skipped = staff.getByRole('table', { name: 'Conventions non validées' });
      await expect(skipped.getByRole('rowheader').allTextContents()).resolves.toEqual([skippedNumber]);
      await expect(skipped.getByRole('row').filter({ hasText: skippedNumber }).textContent()).resolves.toContain(
        'Son état ne permet pas la validation administrative',
      );
      await expectNoAccessibilityViolation(staff);
    } finally {
      await staff.context().close();
    }
  });
});
