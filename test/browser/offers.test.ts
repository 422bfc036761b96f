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
 * Offers in Chromium: a staff member creates and publishes an offer to Sciences and Droit; a
 * Droit student finds it and starts a convention from it, the activities pre-filled. axe-core checks the
 * offer pages (search, host choice and creation, contact creation, creation form, offer page and its block
 * forms, transfer, student view).
 */
describe.skipIf(!chromiumAvailable)('offers in Chromium', () => {
  let harness: BrowserHarness;
  beforeAll(async () => {
    harness = await startBrowserHarness();
  });
  afterAll(() => harness?.close());

  it('lets staff publish an offer that a student of a targeted centre turns into a convention', async () => {
    const staff = await harness.pageSignedInAs('gest.sciences');
    staff.setDefaultTimeout(10000);
    let offerNumber: string;
    try {
      await staff.getByRole('navigation', { name: 'Menu principal' }).getByRole('link', { name: 'Offres' }).click();
      await staff.getByRole('heading', { level: 1, name: 'Offres de stage et d’emploi' }).waitFor();
      await expectNoAccessibilityViolation(staff);
      await staff.getByRole('link', { name: 'Créer une offre' }).click();
      await staff.getByRole('heading', { level: 1, name: 'Créer une offre : la structure d’accueil' }).waitFor();
      await field(staff, 'Nom (raison sociale)').fill('Atlantique');
      await button(staff, 'Rechercher').click();
      await expectNoAccessibilityViolation(staff);
      await staff.getByRole('link', { name: 'Logiciels Atlantique' }).click();

      await staff.getByRole('heading', { level: 1, name: 'Créer une offre' }).waitFor();
      await expectNoAccessibilityViolation(staff);
      await field(staff, 'Centre gestionnaire').selectOption({ label: 'UFR Sciences et techniques' });
      await field(staff, 'Type d’offre').selectOption({ label: 'Stage' });
      await field(staff, 'Intitulé').fill('Stage cartographie des réseaux');
      await field(staff, 'Missions').fill('Cartographier les réseaux de capteurs et documenter leur maintenance.');
      await field(staff, 'Contact pour candidater').selectOption({ index: 1 });
      await field(staff, 'Publier l’offre dès maintenant').check();
      await field(staff, 'Durée de publication (mois)').selectOption('2');
      await staff.getByRole('checkbox', { name: 'UFR Droit et économie' }).check();
      await button(staff, 'Enregistrer l’offre').click();

      await staff.getByRole('heading', { level: 1, name: 'Stage cartographie des réseaux' }).waitFor();
      await staff.getByText(/L’offre a été enregistrée sous le numéro \d+/).waitFor();
      await expectNoAccessibilityViolation(staff);
      offerNumber = /\/offers\/(\d+)/.exec(staff.url())![1]!;
      // Every block's form and the transfer confirmation are accessible too.
      for (const block of ['centre', 'host', 'details', 'content']) {
        await staff.goto(`${harness.baseUrl}/offers/${offerNumber}/edit/${block}`);
        await button(staff, 'Enregistrer').waitFor();
        await expectNoAccessibilityViolation(staff);
      }
      await staff.goto(`${harness.baseUrl}/offers/new/host`);
      await button(staff, 'Créer la structure et continuer').waitFor();
      await expectNoAccessibilityViolation(staff);
      const { host_id: hostId } = await harness.database
        .knex('offer')
        .where({ id: Number(offerNumber) })
        .first('host_id');
      await staff.goto(`${harness.baseUrl}/offers/contacts/new?host=${hostId}&offer=${offerNumber}`);
      await button(staff, 'Créer le contact et revenir à l’offre').waitFor();
      await expectNoAccessibilityViolation(staff);
      await staff.goto(`${harness.baseUrl}/offers/${offerNumber}/transfer`);
      await button(staff, 'Confirmer le transfert').waitFor();
      await expectNoAccessibilityViolation(staff);
    } finally {
      await staff.context().close();
    }

    const student = await harness.pageSignedInAs('etu.droit1');
    student.setDefaultTimeout(10000);
    try {
      await student.getByRole('navigation', { name: 'Menu principal' }).getByRole('link', { name: 'Offres' }).click();
      await field(student, 'Intitulé').fill('cartographie');
      await button(student, 'Rechercher').click();
      await expectNoAccessibilityViolation(student);
      await student.getByRole('link', { name: 'Stage cartographie des réseaux' }).click();
      await student.getByRole('heading', { level: 1, name: 'Stage cartographie des réseaux' }).waitFor();
      await expectNoAccessibilityViolation(student);

      await student.getByRole('link', { name: 'Commencer une convention à partir de cette offre' }).click();
      await student.getByRole('link', { name: 'Commencer' }).click();
      await student.getByRole('heading', { level: 2, name: 'Étudiant', exact: true }).waitFor();
      await field(student, 'Inscription').selectOption({ index: 1 });
      await field(student, 'Adresse').fill('10 rue des Écoles');
      await field(student, 'Code postal').fill('75005');
      await field(student, 'Commune').fill('Paris');
      await field(student, 'Affiliation à la sécurité sociale').selectOption({ label: "En qualité d'étudiant(e)" });
      await field(student, 'Régime d’assurance maladie').selectOption({ label: "Caisse Primaire d'Assurance Maladie" });
      await field(student, 'Caisse primaire d’assurance maladie (CPAM)').selectOption({ index: 1 });
      await field(student, 'Numéro de l’offre ou mot du titre').fill(offerNumber);
      await button(student, 'Enregistrer et continuer').click();
      // The host is pre-selected: the wizard goes on with step 3.
      await student.getByRole('heading', { level: 2, name: 'Service d’accueil', exact: true }).waitFor();
      const conventionId = Number(/\/conventions\/drafts\/(\d+)\//.exec(student.url())![1]);
      const row = await harness.database.knex('convention').where({ id: conventionId }).first('offer_id', 'activities');
      expect(row).toEqual({ offer_id: Number(offerNumber), activities: 'Cartographier les réseaux de capteurs et documenter leur maintenance.' });
    } finally {
      await student.context().close();
    }
  });
});
