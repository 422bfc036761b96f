import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumAvailable, startBrowserHarness, expectNoAccessibilityViolation, type BrowserHarness } from '../support/browser.ts';

const menus: Record<string, string[]> = {
  admin: ['Accueil', 'Conventions', 'Offres', "Établissements d'accueil", 'Statistiques', 'Centres de gestion', 'Administration', 'Besoin d’aide ?'],
  'resp.sciences': ['Accueil', 'Conventions', 'Offres', "Établissements d'accueil", 'Statistiques', 'Centres de gestion', 'Besoin d’aide ?'],
  'gest.sciences': ['Accueil', 'Conventions', 'Offres', "Établissements d'accueil", 'Statistiques', 'Centres de gestion', 'Besoin d’aide ?'],
  'lect.sciences': ['Accueil', 'Conventions', 'Offres', "Établissements d'accueil", 'Statistiques', 'Centres de gestion', 'Besoin d’aide ?'],
  'gest.droit': ['Accueil', 'Conventions', 'Offres', "Établissements d'accueil", 'Statistiques', 'Centres de gestion', 'Besoin d’aide ?'],
  'prof.martin': ['Accueil', 'Conventions', 'Besoin d’aide ?'],
  'prof.durand': ['Accueil', 'Conventions', 'Besoin d’aide ?'],
  'etu.sciences1': ['Accueil', 'Conventions', 'Offres', 'Besoin d’aide ?'],
  'etu.sciences2': ['Accueil', 'Conventions', 'Offres', 'Besoin d’aide ?'],
  'etu.droit1': ['Accueil', 'Conventions', 'Offres', 'Besoin d’aide ?'],
};

describe.skipIf(!chromiumAvailable)('signing in through the demo page, in Chromium', () => {
  let harness: BrowserHarness;
  beforeAll(async () => {
    harness = await startBrowserHarness();
  });
  afterAll(() => harness?.close());

  it.each(Object.entries(menus))('%s reaches their home page with their menu', async (login, expectedMenu) => {
    const page = await harness.pageSignedInAs(login);
    try {
      const menu = page.getByRole('navigation', { name: 'Menu principal' }).getByRole('link');
      expect(await menu.allTextContents()).toEqual(expectedMenu);
      await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toMatch(/^Bonjour /);
      await expect(page.getByRole('button', { name: 'Se déconnecter' }).isVisible()).resolves.toBe(true);
    } finally {
      await page.context().close();
    }
  });

  it('signs out with the keyboard', async () => {
    const page = await harness.pageSignedInAs('etu.sciences1');
    try {
      await page.getByRole('button', { name: 'Se déconnecter' }).focus();
      await page.keyboard.press('Enter');
      await page.getByRole('heading', { name: 'Bienvenue sur Conventio' }).waitFor();
      await expect(page.getByRole('button', { name: 'Se déconnecter' }).count()).resolves.toBe(0);
    } finally {
      await page.context().close();
    }
  });

  it('has no accessibility violation on the sign-in, home and help pages', async () => {
    const context = await harness.browser.newContext({ baseURL: harness.baseUrl });
    const anonymous = await context.newPage();
    await anonymous.goto('/auth/login');
    await expectNoAccessibilityViolation(anonymous);
    await anonymous.goto('/');
    await expectNoAccessibilityViolation(anonymous);
    await context.close();
    for (const login of ['admin', 'gest.sciences', 'etu.sciences1', 'prof.martin']) {
      const page = await harness.pageSignedInAs(login);
      await expectNoAccessibilityViolation(page);
      await page.goto('/help');
      await expectNoAccessibilityViolation(page);
      await page.context().close();
    }
  });
});
