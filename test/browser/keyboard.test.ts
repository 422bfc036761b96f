import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumAvailable, startBrowserHarness, type BrowserHarness } from '../support/browser.ts';

/**
 * Keyboard only, in Chromium: a student enters a convention through every step of the wizard and
 * submits it, then the internship office validates it — with Tab, Shift+Tab, Enter, Space, the arrow
 * keys and typing into the focused field; never a click. Wherever the keyboard lands, the focus is
 * visible, and the skip link leads to the main content. (Signing in through the demo page is not part
 * of the journey.)
 */
describe.skipIf(!chromiumAvailable)('keyboard-only journeys in Chromium', () => {
  let harness: BrowserHarness;
  beforeAll(async () => {
    harness = await startBrowserHarness();
  });
  afterAll(() => harness?.close());

  interface Focused {
    name: string;
    tag: string;
    /** An outline or a shadow drawn around it. */
    visible: boolean;
    /** Inside the window, where it can be seen. */
    onScreen: boolean;
    value: string;
  }

  /** What the focused element is called (its label, else its text), and whether its focus can be seen. */
  const focused = (page: Page): Promise<Focused> =>
    page.evaluate(() => {
      const element = document.activeElement as HTMLElement | null;
      if (!element || element === document.body) return { name: '', tag: 'body', visible: false, onScreen: false, value: '' };
      const labelled = element as HTMLElement & { labels?: NodeListOf<HTMLLabelElement> | null; value?: string };
      const text = labelled.labels?.[0]?.textContent ?? element.getAttribute('aria-label') ?? element.textContent ?? '';
      const style = getComputedStyle(element);
      const outlined = style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0;
      const value = element instanceof HTMLSelectElement ? (element.selectedOptions[0]?.textContent ?? '') : (labelled.value ?? '');
      const box = element.getBoundingClientRect();
      const onScreen = box.width > 1 && box.height > 1 && box.left >= 0 && box.top >= 0 && box.right <= window.innerWidth;
      return {
        name: text
          .replace(/\s*\*\s*$/, '')
          .replace(/\s+/g, ' ')
          .trim(),
        tag: element.tagName.toLowerCase(),
        visible: outlined || style.boxShadow !== 'none',
        onScreen,
        value: value.trim(),
      };
    });

  /** Presses Tab (or Shift+Tab) until the element called `name` has the focus; its focus must show. */
  async function tabTo(page: Page, name: string | RegExp, backwards = false): Promise<Focused> {
    const seen: string[] = [];
    for (let presses = 0; presses < 150; presses += 1) {
      await page.keyboard.press(backwards ? 'Shift+Tab' : 'Tab');
      const current = await focused(page);
      if (typeof name === 'string' ? current.name === name : name.test(current.name)) {
        expect(current.visible, `the focus on "${current.name}" is visible`).toBe(true);
        return current;
      }
      if (seen.at(-1) !== current.name) seen.push(current.name);
    }
    throw new Error(`"${String(name)}" never got the focus on ${page.url()}; the keyboard went through: ${seen.join(' | ')}`);
  }

  /** From the top of a fresh page: the skip link comes first, shows its focus and leads into the main content. */
  async function skipToContent(page: Page): Promise<void> {
    await page.keyboard.press('Tab');
    const skip = await focused(page);
    expect(skip.name).toBe('Aller au contenu');
    expect(skip).toMatchObject({ visible: true, onScreen: true });
    await page.keyboard.press('Enter');
    await expect(page.evaluate(() => document.activeElement?.id)).resolves.toBe('main');
  }

  /** Follows the link or presses the button that has the focus, and waits for the page it leads to. */
  async function activate(page: Page, key: 'Enter' | 'Space' = 'Enter'): Promise<void> {
    await Promise.all([page.waitForNavigation(), page.keyboard.press(key)]);
  }

  async function typeInto(page: Page, label: string, text: string): Promise<void> {
    await tabTo(page, label);
    await page.keyboard.press('ControlOrMeta+A');
    await page.keyboard.type(text);
    await expect(focused(page).then((field) => field.value)).resolves.toBe(text);
  }

  /**
   * A date field, typed segment after segment. Chromium orders the segments by its own language (day
   * first in French, month first in English), whatever the page's: if the day-first typing gives another
   * date, the segments are typed again from the first one, month first.
   */
  async function typeDate(page: Page, label: string, isoDate: string): Promise<void> {
    await tabTo(page, label);
    const [year, month, day] = isoDate.split('-');
    await page.keyboard.type(`${day}${month}${year}`);
    if ((await focused(page)).value !== isoDate) {
      await page.keyboard.press('Shift+Tab');
      await page.keyboard.press('Shift+Tab');
      await page.keyboard.type(`${month}${day}${year}`);
    }
    await expect(focused(page).then((field) => field.value)).resolves.toBe(isoDate);
  }

  /** A list, browsed with the arrow keys until `option` (or, as a pattern, a matching option) is selected. */
  async function choose(page: Page, label: string, option: string | RegExp): Promise<void> {
    await tabTo(page, label);
    for (let presses = 0; presses < 400; presses += 1) {
      const { value } = await focused(page);
      if (typeof option === 'string' ? value === option : option.test(value)) return;
      await page.keyboard.press('ArrowDown');
    }
    throw new Error(`No option "${String(option)}" in "${label}"`);
  }

  /** Any option but the empty first one. */
  const ANY_OPTION = /^(?!Choisir…$)./;

  /** Waits for the page to show its heading; if it does not, says what the page shows instead. */
  async function heading(page: Page, level: number, name: string | RegExp): Promise<void> {
    try {
      await page.getByRole('heading', { level, name, exact: typeof name === 'string' ? true : undefined }).waitFor();
    } catch (error) {
      const alerts = await page.getByRole('alert').allTextContents();
      throw new Error(`No heading "${String(name)}" on ${page.url()}: ${alerts.join(' / ').replace(/\s+/g, ' ')}`, { cause: error });
    }
  }

  it('a student submits a convention and the internship office validates it, by keyboard only', async () => {
    const student = await harness.pageSignedInAs('etu.sciences1');
    student.setDefaultTimeout(10000);
    let number: number;
    try {
      // The main menu is before the skip link's target: reached with Tab from the top.
      await tabTo(student, 'Conventions');
      await activate(student);
      await heading(student, 1, 'Conventions');
      await skipToContent(student);
      await tabTo(student, 'Nouvelle convention');
      await activate(student);
      await heading(student, 1, 'Nouvelle convention de stage');
      await skipToContent(student);
      await tabTo(student, 'Commencer');
      await activate(student);

      // 1. Student.
      await heading(student, 2, 'Étudiant');
      await skipToContent(student);
      await choose(student, 'Inscription', /Sciences/);
      await typeInto(student, 'Adresse', '10 rue des Écoles');
      await typeInto(student, 'Code postal', '75005');
      await typeInto(student, 'Commune', 'Paris');
      await choose(student, 'Affiliation à la sécurité sociale', "En qualité d'étudiant(e)");
      await choose(student, 'Régime d’assurance maladie', "Caisse Primaire d'Assurance Maladie");
      await choose(student, 'Caisse primaire d’assurance maladie (CPAM)', ANY_OPTION);
      await tabTo(student, 'Enregistrer et continuer');
      await activate(student);

      // 2. Host: a new one; a mistake in the SIRET is corrected after going back to it with Shift+Tab.
      await heading(student, 2, 'Établissement d’accueil');
      await skipToContent(student);
      await tabTo(student, 'Créer un établissement');
      await activate(student);
      await heading(student, 2, 'Créer un établissement');
      await skipToContent(student);
      await typeInto(student, 'Nom (raison sociale)', 'Atelier Numérique du Rhône');
      await typeInto(student, 'Numéro SIRET', '732 829 320 00075');
      await typeInto(student, 'Code NAF (APE)', '62.01Z');
      await choose(student, 'Statut juridique', 'SAS');
      await choose(student, 'Type d’établissement', 'Entreprise privée');
      await typeInto(student, 'Adresse (voie)', '5 quai du Rhône');
      await typeInto(student, 'Code postal', '69007');
      await typeInto(student, 'Ville', 'Lyon');
      await typeInto(student, 'Téléphone', '04 72 00 00 00');
      await tabTo(student, 'Enregistrer et continuer');
      await activate(student);
      // The error summary takes the focus; its link leads to the field in error.
      await expect(focused(student).then((element) => element.name)).resolves.toMatch(/^Le formulaire contient 1 erreur/);
      await tabTo(student, /^Ce numéro SIRET n’est pas valide/);
      await student.keyboard.press('Enter');
      await expect(focused(student).then((element) => element.name)).resolves.toBe('Numéro SIRET');
      await student.keyboard.press('ControlOrMeta+A');
      await student.keyboard.type('732 829 320 00074');
      await tabTo(student, 'Enregistrer et continuer');
      await activate(student);

      // 3. Service, created at the host's address.
      await heading(student, 2, 'Service d’accueil');
      await skipToContent(student);
      await tabTo(student, 'Créer un service');
      await activate(student);
      await heading(student, 2, 'Créer un service');
      await skipToContent(student);
      await typeInto(student, 'Nom (raison sociale)', 'Pôle développement');
      await tabTo(student, 'Enregistrer et continuer');
      await activate(student);

      // 4. Tutor, created.
      await heading(student, 2, 'Tuteur');
      await skipToContent(student);
      await tabTo(student, 'Créer un contact');
      await activate(student);
      await heading(student, 2, 'Créer un contact — Tuteur');
      await skipToContent(student);
      await choose(student, 'Civilité', 'Madame');
      await typeInto(student, 'Nom', 'Lambert');
      await typeInto(student, 'Prénom', 'Claire');
      await typeInto(student, 'Fonction', 'Cheffe de projet');
      await typeInto(student, 'Téléphone', '04 72 00 00 01');
      await typeInto(student, 'Adresse e-mail', 'claire.lambert@atelier-rhone.fr');
      await tabTo(student, 'Enregistrer et continuer');
      await activate(student);

      // 5. Internship; the gratification's radio buttons with Space and the arrow keys.
      await heading(student, 2, 'Stage');
      await skipToContent(student);
      await choose(student, 'Type de convention', 'Formation initiale');
      await choose(student, 'Type de stage', 'Stage obligatoire');
      await choose(student, 'Thématique', ANY_OPTION);
      await typeInto(student, 'Sujet du stage', 'Refonte d’une application de gestion');
      await typeInto(student, 'Activités confiées', 'Analyse des besoins, développement, tests.');
      await typeInto(student, 'Compétences à acquérir ou à développer', 'Conduite de projet, qualité logicielle.');
      await typeDate(student, 'Date de début', '2027-03-01');
      await typeDate(student, 'Date de fin', '2027-05-28');
      await typeInto(student, 'Nombre d’heures par semaine', '35');
      await choose(student, 'Temps de travail', 'Temps plein');
      await typeInto(student, 'Modalités d’encadrement par le tuteur et l’enseignant référent', 'Un point par semaine avec la tutrice.');
      await tabTo(student, /^(Oui|Non)$/);
      await student.keyboard.press('Space');
      if ((await focused(student)).name === 'Non') await student.keyboard.press('ArrowLeft');
      await expect(student.getByRole('radio', { name: 'Oui' }).isChecked()).resolves.toBe(true);
      await typeInto(student, 'Montant de la gratification', '4.50');
      await choose(student, 'Montant', 'par heure');
      await choose(student, 'Montant net ou brut', 'Net');
      await choose(student, 'Mode de versement', 'Virement bancaire');
      await tabTo(student, 'Enregistrer et continuer');
      await activate(student);
      await heading(student, 2, 'Vérification du stage');
      await skipToContent(student);
      await tabTo(student, 'Confirmer et continuer');
      await activate(student);

      // 6. Academic supervisor, searched then chosen; 7. signatory skipped.
      await heading(student, 2, 'Enseignant référent');
      await skipToContent(student);
      await typeInto(student, 'Nom', 'martin');
      await activate(student);
      await student.getByRole('button', { name: 'Choisir Jeanne Martin' }).waitFor();
      await tabTo(student, 'Choisir Jeanne Martin');
      await activate(student);
      await heading(student, 2, 'Signataire');
      await skipToContent(student);
      await tabTo(student, 'Passer cette étape');
      await activate(student, 'Space');

      // 8. Summary: the warnings confirmed with Space, then Create.
      await heading(student, 2, 'Récapitulatif');
      await skipToContent(student);
      await tabTo(student, 'J’ai pris connaissance des avertissements ci-dessus et je confirme');
      await student.keyboard.press('Space');
      await tabTo(student, 'Créer la convention');
      await activate(student);
      await heading(student, 1, /^Convention n° \d+$/);
      number = Number((await student.getByRole('heading', { level: 1 }).textContent())!.replace(/\D/g, ''));
      await expect(student.getByRole('status').first().textContent()).resolves.toContain(`La convention a été créée sous le numéro ${number}.`);
    } finally {
      await student.context().close();
    }
    // What was typed, chosen and ticked arrived.
    const created = await harness.database
      .knex('convention as c')
      .join('host as h', 'h.id', 'c.host_id')
      .join('teacher as te', 'te.id', 'c.supervisor_teacher_id')
      .where('c.number', number)
      .first('c.status', 'c.subject', 'c.start_date', 'c.end_date', 'c.gratification_amount_cents', 'c.gratification_per', 'h.siret', 'te.login');
    expect(created).toEqual({
      status: 'submitted',
      subject: 'Refonte d’une application de gestion',
      start_date: '2027-03-01',
      end_date: '2027-05-28',
      gratification_amount_cents: 450,
      gratification_per: 'hour',
      siret: '73282932000074',
      login: 'prof.martin',
    });

    // The internship office: the list, the convention, its Validation tab, both validations.
    const staff = await harness.pageSignedInAs('gest.sciences');
    staff.setDefaultTimeout(10000);
    try {
      await tabTo(staff, 'Conventions');
      await activate(staff);
      await heading(staff, 1, 'Conventions');
      await skipToContent(staff);
      await tabTo(staff, String(number));
      await activate(staff);
      await heading(staff, 1, `Convention n° ${number}`);
      await skipToContent(staff);
      await tabTo(staff, 'Validation');
      await activate(staff);
      await heading(staff, 2, 'Validation');
      await skipToContent(staff);
      await tabTo(staff, 'Valider pédagogiquement');
      await activate(staff);
      await staff.getByText(`La convention n° ${number} est validée pédagogiquement.`).waitFor();
      await skipToContent(staff);
      await tabTo(staff, 'Valider la convention');
      await activate(staff);
      await staff.getByText(`La convention n° ${number} est validée.`).waitFor();
      await staff.getByText('État actuel : Validée.', { exact: true }).waitFor();
      // Shift+Tab goes back up the page to its tabs.
      await skipToContent(staff);
      await tabTo(staff, 'Historique');
      await tabTo(staff, 'Récapitulatif', true);
    } finally {
      await staff.context().close();
    }
    await expect(harness.database.knex('convention').where({ number }).first('status')).resolves.toEqual({ status: 'validated' });
  }, 180000);
});
