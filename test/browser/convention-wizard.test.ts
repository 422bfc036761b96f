import type { Page } from 'playwright-core';
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
 * A student enters a complete convention in Chromium, from the home page to the number, using only
 * labels and buttons, with a new host (valid SIRET), service and tutor; axe-core checks every step.
 */
describe.skipIf(!chromiumAvailable)('the convention wizard in Chromium', () => {
  let harness: BrowserHarness;
  beforeAll(async () => {
    harness = await startBrowserHarness();
  });
  afterAll(() => harness?.close());

  async function step(page: Page, heading: string) {
    await page.getByRole('heading', { level: 2, name: heading, exact: true }).waitFor();
    await expectNoAccessibilityViolation(page);
  }

  it('takes a student from the home page to a created convention', async () => {
    const page = await harness.pageSignedInAs('etu.sciences1');
    page.setDefaultTimeout(10000);
    try {
      await page.getByRole('navigation', { name: 'Menu principal' }).getByRole('link', { name: 'Conventions' }).click();
      await page.getByRole('heading', { level: 1, name: 'Conventions' }).waitFor();
      await expectNoAccessibilityViolation(page);
      await page.getByRole('link', { name: 'Nouvelle convention' }).click();
      await page.getByRole('heading', { level: 1, name: 'Nouvelle convention de stage' }).waitFor();
      await expectNoAccessibilityViolation(page);
      await page.getByRole('link', { name: 'Commencer' }).click();

      // 1. Student — first an error, then the right values.
      await step(page, 'Étudiant');
      await field(page, 'Inscription').selectOption({ index: 1 });
      await field(page, 'Adresse').fill('10 rue des Écoles');
      await field(page, 'Code postal').fill('750');
      await field(page, 'Commune').fill('Paris');
      await field(page, 'Affiliation à la sécurité sociale').selectOption({ label: "En qualité d'étudiant(e)" });
      await field(page, 'Régime d’assurance maladie').selectOption({ label: "Caisse Primaire d'Assurance Maladie" });
      await field(page, 'Caisse primaire d’assurance maladie (CPAM)').selectOption({ index: 1 });
      await button(page, 'Enregistrer et continuer').click();
      await page.getByText('Code postal invalide (5 chiffres, par exemple 75005).').first().waitFor();
      await expectNoAccessibilityViolation(page);
      await field(page, 'Code postal').fill('75005');
      await button(page, 'Enregistrer et continuer').click();

      // 2. Host — created, with a valid SIRET.
      await step(page, 'Établissement d’accueil');
      await page.getByRole('link', { name: 'Créer un établissement' }).click();
      await step(page, 'Créer un établissement');
      await field(page, 'Nom (raison sociale)').fill('Atelier Numérique du Rhône');
      await field(page, 'Numéro SIRET').fill('732 829 320 00074');
      await field(page, 'Code NAF (APE)').fill('62.01Z');
      await field(page, 'Statut juridique').selectOption({ label: 'SAS' });
      await field(page, 'Type d’établissement').selectOption({ label: 'Entreprise privée' });
      await field(page, 'Adresse (voie)').fill('5 quai du Rhône');
      await field(page, 'Code postal').fill('69007');
      await field(page, 'Ville').fill('Lyon');
      await field(page, 'Téléphone').fill('04 72 00 00 00');
      await button(page, 'Enregistrer et continuer').click();

      // 3. Service — created at the host's address.
      await step(page, 'Service d’accueil');
      await page.getByRole('link', { name: 'Créer un service' }).click();
      await step(page, 'Créer un service');
      await field(page, 'Nom (raison sociale)').fill('Pôle développement');
      await button(page, 'Enregistrer et continuer').click();

      // 4. Tutor — created.
      await step(page, 'Tuteur');
      await page.getByRole('link', { name: 'Créer un contact' }).click();
      await step(page, 'Créer un contact — Tuteur');
      await field(page, 'Civilité').selectOption({ label: 'Madame' });
      await field(page, 'Nom').fill('Lambert');
      await field(page, 'Prénom').fill('Claire');
      await field(page, 'Fonction').fill('Cheffe de projet');
      await field(page, 'Téléphone').fill('04 72 00 00 01');
      await field(page, 'Adresse e-mail').fill('claire.lambert@atelier-rhone.fr');
      await button(page, 'Enregistrer et continuer').click();

      // 5. Internship, then its confirmation with the computed hours.
      await step(page, 'Stage');
      await field(page, 'Type de convention').selectOption({ label: 'Formation initiale' });
      await field(page, 'Type de stage').selectOption({ label: 'Stage obligatoire' });
      await field(page, 'Thématique').selectOption({ index: 1 });
      await field(page, 'Sujet du stage').fill('Refonte d’une application de gestion');
      await field(page, 'Activités confiées').fill('Analyse des besoins, développement, tests.');
      await field(page, 'Compétences à acquérir ou à développer').fill('Conduite de projet, qualité logicielle.');
      await field(page, 'Date de début').fill('2027-03-01');
      await field(page, 'Date de fin').fill('2027-05-28');
      await field(page, 'Nombre d’heures par semaine').fill('35');
      await field(page, 'Temps de travail').selectOption({ label: 'Temps plein' });
      await field(page, 'Modalités d’encadrement par le tuteur et l’enseignant référent').fill('Un point par semaine avec la tutrice.');
      await page.getByRole('radio', { name: 'Oui' }).check();
      await field(page, 'Montant de la gratification').fill('4.50');
      await field(page, 'Montant').selectOption({ label: 'par heure' });
      await field(page, 'Montant net ou brut').selectOption({ label: 'Net' });
      await field(page, 'Mode de versement').selectOption({ label: 'Virement bancaire' });
      await button(page, 'Enregistrer et continuer').click();
      await step(page, 'Vérification du stage');
      await expect(page.getByText('La gratification est obligatoire').textContent()).resolves.toContain('308');
      await expect(page.getByText('Durée totale de présence').isVisible()).resolves.toBe(true);
      await button(page, 'Confirmer et continuer').click();

      // 6. Academic supervisor, found by name.
      await step(page, 'Enseignant référent');
      await field(page, 'Nom').fill('martin');
      await button(page, 'Rechercher').click();
      await button(page, 'Choisir Jeanne Martin').click();

      // 7. Signatory: skipped.
      await step(page, 'Signataire');
      await button(page, 'Passer cette étape').click();

      // 8. Summary and Create.
      await step(page, 'Récapitulatif');
      await page.getByLabel('J’ai pris connaissance des avertissements ci-dessus et je confirme').check();
      await button(page, 'Créer la convention').click();
      const heading = page.getByRole('heading', { level: 1, name: /^Convention n° \d+$/ });
      await heading.waitFor();
      const number = Number((await heading.textContent())!.replace(/\D/g, ''));
      expect(number).toBeGreaterThan(0);
      await expect(page.getByRole('status').first().textContent()).resolves.toContain(`La convention a été créée sous le numéro ${number}.`);
      await expectNoAccessibilityViolation(page);

      const row = await harness.database.knex('convention').where({ number }).first('status', 'host_id', 'tutor_id', 'supervisor_teacher_id');
      expect(row.status).toBe('submitted');
      expect(row.tutor_id).not.toBeNull();
      expect(row.supervisor_teacher_id).not.toBeNull();
    } finally {
      await page.context().close();
    }
  }, 120000);
});
