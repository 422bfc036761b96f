import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { translator } from '../../src/i18n/index.ts';
import { todayInFrance } from '../../src/rules/academic-year.ts';
import { expectRedirect } from '../conventions/support.ts';
import { csrfTokenFrom, startTestApp, type TestApp } from '../support/test-app.ts';
import { downloadCsv } from './support.ts';

/**
 * CSV exports as French Excel opens them with a double click: UTF-8 with a BOM, `;` between fields,
 * CRLF, dd/mm/yyyy dates, decimal commas, quoted fields, identifiers kept as text, formulas neutralised.
 */
const t = translator('fr');
const frenchDate = (isoDate: string) => isoDate.split('-').reverse().join('/');

describe('CSV export', () => {
  let app: TestApp;
  let convention: { id: number; number: number; start_date: string };

  beforeAll(async () => {
    app = await startTestApp();
    convention = await app
      .knex('convention as c')
      .join('student as s', 's.id', 'c.student_id')
      .where({ 's.login': 'etu.sciences1', 'c.status': 'submitted' })
      .first('c.id', 'c.number', 'c.start_date');
    await app.knex('convention').where({ id: convention.id }).update({
      subject: 'Étude "bilan carbone" ; phase 2',
      activities: 'Relevés sur le terrain\net façades',
      skills: '@SUM(A1:A9)',
      student_address: '-2 rue du Commerce',
      total_presence_minutes: 24_330,
      days_per_week: 4.5,
      gratification_amount_cents: 123_450,
      gratification_per: 'month',
    });
  });
  afterAll(() => app.close());

  const COLUMNS = [
    'number',
    'studentFirstName',
    'subject',
    'startDate',
    'totalHours',
    'daysPerWeek',
    'gratificationAmount',
    'gratificationPer',
    'gratification',
    'createdAt',
    'hostSiret',
    'hostPostalCode',
    'hostPhone',
    'activities',
    'skills',
    'studentAddress',
    'supervisorEmail',
    'terminationDate',
  ];

  it('writes a UTF-8 file with a BOM, semicolons and CRLF, with the French titles of the chosen columns', async () => {
    const staff = await app.signIn('gest.sciences');
    const { response, bytes, rows } = await downloadCsv(staff, `/conventions/export.csv?columns=${COLUMNS.join(',')}`);
    expect(response.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(response.headers['content-disposition']).toBe(`attachment; filename=conventions-${todayInFrance()}.csv`);
    const text = bytes.subarray(3).toString('utf8');
    expect(text.split('\r\n')[0]).toBe(COLUMNS.map((key) => t(`exports.columns.${key}`)).join(';'));
    expect(text.endsWith('\r\n')).toBe(true);
    // The three visible conventions of UFR Sciences (a draft being written by its student is not one of them).
    expect(rows).toHaveLength(1 + 3);
    expect(rows.every((row) => row.length === COLUMNS.length)).toBe(true);
  });

  it('writes dates as dd/mm/yyyy, decimals with a comma, and keeps accents, quotes and line breaks', async () => {
    const staff = await app.signIn('gest.sciences');
    const { bytes, rows } = await downloadCsv(staff, `/conventions/export.csv?columns=${COLUMNS.join(',')}`);
    const row = rows.find(([number]) => number === String(convention.number))!;
    const value = (key: string) => row[COLUMNS.indexOf(key)];
    expect(value('studentFirstName')).toBe('Léa');
    expect(value('subject')).toBe('Étude "bilan carbone" ; phase 2');
    // As written in the file: quoted, with its quotes doubled.
    expect(bytes.toString('utf8')).toContain(';"Étude ""bilan carbone"" ; phase 2";');
    expect(value('startDate')).toBe(frenchDate(convention.start_date));
    expect(value('totalHours')).toBe('405,5');
    expect(value('daysPerWeek')).toBe('4,5');
    expect(value('gratificationAmount')).toBe('1234,50');
    expect(value('gratificationPer')).toBe('Par mois');
    expect(value('gratification')).toBe('Oui');
    expect(value('createdAt')).toMatch(/^\d{2}\/\d{2}\/\d{4} \d{2}:\d{2}$/);
    expect(value('activities')).toBe('Relevés sur le terrain\net façades');
    expect(value('supervisorEmail')).toBe('jeanne.martin@univ-demo.fr');
    expect(value('terminationDate')).toBe('');
  });

  it('keeps identifiers made of digits as text and neutralises what Excel would run as a formula', async () => {
    const staff = await app.signIn('gest.sciences');
    const { rows } = await downloadCsv(staff, `/conventions/export.csv?columns=${COLUMNS.join(',')}`);
    const row = rows.find(([number]) => number === String(convention.number))!;
    const value = (key: string) => row[COLUMNS.indexOf(key)];
    // A constant text formula: Excel shows 44287651200017 and 44000, not 4,42877E+13 or a number.
    expect(value('hostSiret')).toBe('="44287651200017"');
    expect(value('hostPostalCode')).toBe('="44000"');
    expect(value('hostPhone')).toBe('02 40 00 00 01');
    expect(value('skills')).toBe("'@SUM(A1:A9)");
    expect(value('studentAddress')).toBe("'-2 rue du Commerce");
  });

  it('dates the validations in force, and forgets a pedagogical validation once withdrawn', async () => {
    const staff = await app.signIn('gest.sciences');
    const columns = 'number,status,pedagogicalValidationDate,validationDate';
    /** The French calendar day of the latest transition of a convention by this action. */
    const dayOf = async (number: number, action: string) =>
      frenchDate(
        (
          await app
            .knex('convention_transition as tr')
            .join('convention as c', 'c.id', 'tr.convention_id')
            .where({ 'c.number': number, 'tr.action': action })
            .first(app.knex.raw("to_char(max(tr.at) AT TIME ZONE 'Europe/Paris', 'YYYY-MM-DD') AS day"))
        ).day as string,
      );
    const pedagogical = (await app.knex('convention').where({ status: 'pedagogically_validated' }).first('number', 'version')) as {
      number: number;
      version: number;
    };
    const before = await downloadCsv(staff, `/conventions/export.csv?number=${pedagogical.number}&columns=${columns}`);
    expect(before.rows[1]).toEqual([String(pedagogical.number), 'Validée pédagogiquement', await dayOf(pedagogical.number, 'validate_pedagogically'), '']);

    const token = await csrfTokenFrom(staff, '/');
    expectRedirect(
      await staff
        .post(`/conventions/${pedagogical.number}/validation/withdraw`)
        .type('form')
        .send({ _csrf: token, version: String(pedagogical.version) }),
    );
    const after = await downloadCsv(staff, `/conventions/export.csv?number=${pedagogical.number}&columns=${columns}`);
    expect(after.rows[1]).toEqual([String(pedagogical.number), 'Créée, en attente de validation', '', '']);

    const droit = await app.signIn('gest.droit');
    const validated = (await app.knex('convention').where({ status: 'validated' }).first('number')) as { number: number };
    const { rows } = await downloadCsv(droit, `/conventions/export.csv?number=${validated.number}&columns=${columns}`);
    expect(rows[1]).toEqual([String(validated.number), 'Validée', '', await dayOf(validated.number, 'validate')]);
  });
});
