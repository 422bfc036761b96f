import type TestAgent from 'supertest/lib/agent.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/test-app.ts';

/**
 * Conventions of years before the legal minimum-gratification table (it starts in 2023): imported
 * history, or kept for years before anonymisation. Staff open them; the page says the minimum of those
 * years is unknown instead of failing, and never shows a minimum taken from a later year.
 */
describe('conventions of years before the table of legal minimums', () => {
  let app: TestApp;
  let staff: TestAgent;
  let number: number;

  beforeAll(async () => {
    app = await startTestApp();
    staff = await app.signIn('gest.sciences');
    // The demo's submitted convention of etu.sciences1 (Sciences, paid 4.50 € net an hour): its dates are moved back.
    const row = await app
      .knex('convention as c')
      .join('student as s', 's.id', 'c.student_id')
      .where({ 's.login': 'etu.sciences1', 'c.status': 'submitted' })
      .first('c.number');
    number = row.number as number;
  });
  afterAll(() => app.close());

  const moveTo = (start: string, end: string, minutes: number, paid = true) =>
    app
      .knex('convention')
      .where({ number })
      .update({
        start_date: start,
        end_date: end,
        total_presence_minutes: minutes,
        gratification: paid,
        gratification_amount_cents: paid ? 450 : null,
        gratification_basis: paid ? 'NET' : null,
        gratification_per: paid ? 'hour' : null,
      });

  const unknown2015 =
    'Le montant de la gratification n’a pas pu être vérifié pour les heures de 2015 : le montant minimal légal de 2015 n’est pas dans la table de référence. Un super-administrateur peut ajouter le taux de l’année dans la table des paramètres légaux.';

  it('opens the summary of a 2015 internship that requires a gratification, and says its minimum could not be checked', async () => {
    // 2 March – 22 May 2015, Monday–Friday, 35 h: 56 days = 392 h, beyond 308 h.
    await moveTo('2015-03-02', '2015-05-22', 392 * 60);
    const page = await staff.get(`/conventions/${number}`);
    expect(page.status, page.text.slice(0, 2000)).toBe(200);
    expect(page.text).toContain('La gratification est obligatoire : la durée dépasse 308\u00a0h.');
    expect(page.text).toContain('2015 : non connu, le montant minimal légal de 2015 n’est pas dans la table de référence');
    expect(page.text).toContain(unknown2015);
    expect(page.text).toContain(
      'Le montant horaire minimal légal de 2015 n’est pas dans la table de référence : la gratification n’a pas pu être vérifiée pour les heures de 2015.',
    );
    // No amount borrowed from 2023 or later, and no total that would leave 2015 out.
    expect(page.text).not.toContain('2015 : 4,');
    expect(page.text).not.toContain('Minimum légal sur toute la durée du stage');
  });

  it('shows the same explanation on the internship tab', async () => {
    const page = await staff.get(`/conventions/${number}/internship`);
    expect(page.status, page.text.slice(0, 2000)).toBe(200);
    expect(page.text).toContain(unknown2015);
  });

  it('still blocks a missing gratification in 2015, without quoting an amount', async () => {
    await moveTo('2015-03-02', '2015-05-22', 392 * 60, false);
    const page = await staff.get(`/conventions/${number}`);
    expect(page.status, page.text.slice(0, 2000)).toBe(200);
    expect(page.text).toContain('au-delà de 308\u00a0h, une gratification est obligatoire.');
    expect(page.text).not.toContain('d’au moins');
  });

  it('straddling 2022 and 2023: checks 2023 with its own rate and says 2022 is unknown', async () => {
    // 7 November 2022 – 24 February 2023: 273 h in 2022, 280 h in 2023.
    await moveTo('2022-11-07', '2023-02-24', 553 * 60);
    const page = await staff.get(`/conventions/${number}`);
    expect(page.status, page.text.slice(0, 2000)).toBe(200);
    expect(page.text).toContain('2022 : non connu, le montant minimal légal de 2022 n’est pas dans la table de référence');
    expect(page.text).toContain('2023 : 4,05\u00a0€ par heure');
    expect(page.text).toContain('Le montant de la gratification n’a pas pu être vérifié pour les heures de 2022 :');
    expect(page.text).not.toContain('Minimum légal sur toute la durée du stage');
  });

  it('keeps the known years as they were: 2025, its rate and the total', async () => {
    // 3 March – 23 May 2025: 12 weeks less Easter Monday, 1 and 8 May = 57 days = 399 h × 4.35 € = 1,735.65 €.
    await moveTo('2025-03-03', '2025-05-23', 399 * 60);
    const page = await staff.get(`/conventions/${number}`);
    expect(page.status, page.text.slice(0, 2000)).toBe(200);
    expect(page.text).toContain('2025 : 4,35\u00a0€ par heure');
    expect(page.text).toContain('Minimum légal sur toute la durée du stage : 1\u00a0735,65\u00a0€');
    expect(page.text).not.toContain('non connu');
    expect(page.text).not.toContain('Un super-administrateur peut ajouter');
  });
});
