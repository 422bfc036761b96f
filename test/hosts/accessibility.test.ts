import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumAvailable, expectNoAccessibilityViolation, startBrowserHarness, type BrowserHarness } from '../support/browser.ts';
import { insertContact, insertHosts, insertService } from './support.ts';

describe.skipIf(!chromiumAvailable)('host directory pages in Chromium', () => {
  let harness: BrowserHarness;
  let hostId: number;
  let serviceId: number;
  let contactId: number;
  beforeAll(async () => {
    harness = await startBrowserHarness();
    const knex = harness.database.knex;
    [hostId] = (await insertHosts(knex, [
      {
        name: 'Société Générale',
        siret: '55208131766522',
        naf_code: '64.19Z',
        address: '29 boulevard Haussmann',
        postal_code: '75009',
        town: 'Paris',
        phone: '01 42 14 20 00',
        to_check: true,
      },
      ...Array.from({ length: 25 }, (_, index) => ({ name: `Société ${index}`, postal_code: '69001', town: 'Lyon' })),
    ])) as [number];
    serviceId = await insertService(knex, hostId, 'Direction');
    contactId = await insertContact(knex, hostId, serviceId, 'Durand');
  });
  afterAll(() => harness?.close());

  it('has no accessibility violation on any directory page', async () => {
    const pages = {
      'gest.sciences': [
        '/hosts',
        '/hosts?name=societe&page=2',
        '/hosts?department=ZZ',
        '/hosts/new',
        '/hosts/to-check',
        `/hosts/${hostId}`,
        `/hosts/${hostId}/edit`,
        `/hosts/${hostId}/services/new`,
        `/hosts/${hostId}/services/${serviceId}/edit`,
        `/hosts/${hostId}/contacts/new`,
        `/hosts/${hostId}/contacts/${contactId}/edit`,
      ],
      'lect.sciences': ['/hosts?name=societe', `/hosts/${hostId}`],
    };
    for (const [login, paths] of Object.entries(pages)) {
      const page = await harness.pageSignedInAs(login);
      try {
        for (const path of paths) {
          const response = await page.goto(path);
          expect(response?.status(), path).toBe(path.includes('ZZ') ? 422 : 200);
          await expectNoAccessibilityViolation(page);
        }
      } finally {
        await page.context().close();
      }
    }
  });

  it('creates a host using only labels and buttons, errors first shown next to the fields', async () => {
    const page = await harness.pageSignedInAs('gest.droit');
    try {
      await page.goto('/hosts');
      await page.getByRole('link', { name: 'Créer un établissement' }).click();
      await page.getByLabel('Nom (raison sociale)').fill('Librairie du Port');
      await page.getByLabel('Numéro SIRET').fill('732 829 320 00075');
      await page.getByLabel('Code NAF (APE)').fill('47.61Z');
      await page.getByLabel('Statut juridique').selectOption('SARL');
      await page.getByLabel('Type d’établissement').selectOption('3');
      await page.getByLabel('Adresse (voie)').fill('3 quai des Chartrons');
      await page.getByLabel('Code postal').fill('33000');
      await page.getByLabel('Ville').fill('Bordeaux');
      await page.getByLabel('Téléphone').fill('05 56 00 00 00');
      await page.getByRole('button', { name: 'Créer l’établissement' }).click();
      await page.getByRole('alert').filter({ hasText: 'Le formulaire contient 1 erreur(s)' }).waitFor();
      await expectNoAccessibilityViolation(page);
      await page.getByLabel('Numéro SIRET').fill('732 829 320 00074');
      await page.getByRole('button', { name: 'Créer l’établissement' }).click();
      await page.getByRole('heading', { level: 1, name: 'Librairie du Port' }).waitFor();
      expect(await page.getByText('L’établissement « Librairie du Port » a été créé.').count()).toBe(1);
    } finally {
      await page.context().close();
    }
  });
});
