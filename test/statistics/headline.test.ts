import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { academicYearOf, todayInFrance } from '../../src/rules/academic-year.ts';
import { startTestApp, type TestApp } from '../support/test-app.ts';
import { figureLinks, insertConventions, tableOf, textOf, type ConventionFacts } from './support.ts';

const SCIENCES = 'UFR Sciences et techniques';

/** The figures are those of the current academic year. */
describe('headline figures on the staff home page', () => {
  let app: TestApp;
  let year: string;

  beforeAll(async () => {
    app = await startTestApp();
    year = academicYearOf(todayInFrance(), app.config.academicYearSwitchOver);
    // The demo conventions of Sciences (none validated) go to another year: this year's are the fixture's.
    const sciences = (await app.knex('centre').where({ name: SCIENCES }).first('id')).id as number;
    await app.knex('convention').where({ centre_id: sciences, academic_year: year }).update({ academic_year: '2019-2020' });
    const facts = (
      status: ConventionFacts['status'],
      host: ConventionFacts['host'],
      start: string,
      end: string,
      more: Partial<ConventionFacts> = {},
    ): ConventionFacts => ({
      centre: SCIENCES,
      student: 'etu.sciences1',
      step: 'L3INFO',
      status,
      host,
      start,
      end,
      year,
      ...more,
    });
    await insertConventions(app.knex, [
      facts('submitted', 'atlantique', '2027-03-01', '2027-03-28'), // 28 days, paid
      facts('validated', 'atlantique', '2027-03-01', '2027-04-04'), // 35 days, paid
      facts('validated', 'ocean', '2027-03-01', '2027-04-29', { gratification: false }), // 60 days
      facts('pedagogically_validated', 'atlantique', '2027-03-01', '2027-03-21'), // 21 days, paid
      facts('cancelled', 'lefevre', '2027-03-01', '2027-03-10', { gratification: false }),
      facts('draft', 'lefevre', '2027-03-01', '2027-03-10', { enteredByStaff: true }),
      // A draft its student is still writing: not the staff's business.
      facts('draft', 'montreuil', '2027-03-01', '2027-03-10', { student: 'etu.sciences2', step: 'M1BIO' }),
    ]);
  });
  afterAll(() => app.close());

  it('gives gest.sciences this year’s conventions by status, share paid, average duration and top hosts', async () => {
    const staff = await app.signIn('gest.sciences');
    const home = await staff.get('/').expect(200);
    const text = textOf(home.text);
    expect(text).toContain(`Les conventions de l’année ${year} en chiffres Dans vos centres de gestion.`);
    expect(tableOf(home.text, 'Conventions par état')).toEqual([
      ['État', 'Nombre'],
      ['Brouillon', '1'],
      ['Créée, en attente de validation', '1'],
      ['Validée pédagogiquement', '1'],
      ['Validée', '2'],
      ['Refusée', '0'],
      ['Annulée', '1'],
    ]);
    expect(text).toContain('Sur les 4 convention(s) soumises ou validées (hors brouillons, refusées et annulées) :');
    // 3 of 4 paid; (28 + 35 + 60 + 21) / 4 = 36 days = 5.14 weeks.
    expect(text).toMatch(/75\s%\savec gratification/);
    expect(text).toContain('5,1 semaines durée moyenne (calendaire, après avenants)');
    expect(tableOf(home.text, 'Établissements d’accueil les plus fréquents')).toEqual([
      ['Établissement d’accueil', 'Nombre'],
      ['Logiciels Atlantique (Nantes)', '3'],
      ['Laboratoire Océan Bleu (Brest)', '1'],
    ]);
    expect(home.text).toContain(`<a href="/statistics?academicYear=${year}">Toutes les statistiques</a>`);
  });

  it('links each count of a status to the list, which finds the same number', async () => {
    for (const login of ['gest.sciences', 'gest.droit', 'admin']) {
      const staff = await app.signIn(login);
      const home = await staff.get('/').expect(200);
      const links = figureLinks(home.text).filter((link) => link.href.startsWith('/conventions?'));
      const counted = tableOf(home.text, 'Conventions par état')
        .slice(1)
        .filter(([, count]) => count !== '0');
      expect(
        links.map((link) => link.count),
        login,
      ).toEqual(counted.map(([, count]) => Number(count)));
      for (const link of links) {
        const list = await staff.get(link.href).expect(200);
        const shown = list.text.includes('Aucune convention.') ? 0 : Number(/Conventions \((\d+)\)/.exec(list.text)![1]);
        expect(shown, `${login} ${link.href}`).toBe(link.count);
      }
    }
  });

  it('is not on the home page of students and teachers', async () => {
    for (const login of ['etu.sciences1', 'prof.martin']) {
      const person = await app.signIn(login);
      const home = await person.get('/').expect(200);
      expect(home.text).not.toContain('en chiffres');
    }
  });
});
