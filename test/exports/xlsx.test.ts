import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXPORT_COLUMNS } from '../../src/exports/columns.ts';
import { translator } from '../../src/i18n/index.ts';
import { todayInFrance } from '../../src/rules/academic-year.ts';
import { addDays } from '../../src/rules/calendar.ts';
import { expectRedirect } from '../conventions/support.ts';
import { csrfTokenFrom, startTestApp, type TestApp } from '../support/test-app.ts';
import { downloadXlsx, rowValues } from './support.ts';

/**
 * XLSX exports read back with ExcelJS's reader, as Excel would open them: chosen columns in order with
 * their French titles, real dates and numbers, accents, neutralised formulas, the frozen and filtered
 * header, and the effective values of a convention after validated amendments.
 */
const t = translator('fr');
const label = (key: string) => t(`exports.columns.${key}`);
const utcDate = (isoDate: string) => new Date(`${isoDate}T00:00:00Z`);

/** The wall-clock time in France of an instant, as the UTC date ExcelJS reads back from the file. */
function frenchWallClock(instant: Date): Date {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-GB', {
      timeZone: 'Europe/Paris',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    })
      .formatToParts(instant)
      .map((part) => [part.type, part.value]),
  );
  return new Date(`${parts.year}-${parts.month}-${parts.day}T${parts.hour}:${parts.minute}:00Z`);
}

describe('XLSX export', () => {
  let app: TestApp;
  /** etu.sciences1's submitted demo convention (UFR Sciences), given accents, interruptions and a formula below. */
  let sciences: { id: number; number: number; start_date: string; end_date: string; created_at: Date };

  beforeAll(async () => {
    app = await startTestApp();
    sciences = await app
      .knex('convention as c')
      .join('student as s', 's.id', 'c.student_id')
      .where({ 's.login': 'etu.sciences1', 'c.status': 'submitted' })
      .first('c.id', 'c.number', 'c.start_date', 'c.end_date', 'c.created_at');
    await app.knex('convention').where({ id: sciences.id }).update({
      activities: 'Façades, études « thermiques » ; relevés\nsur le terrain',
      skills: '=HYPERLINK("http://pirate.example","Cliquez")',
      student_phone: '+33 6 12 34 56 78',
      total_presence_minutes: 24_330,
      days_per_week: 4.5,
    });
    await app.knex('convention_interruption').insert([
      { convention_id: sciences.id, start_date: addDays(sciences.start_date, 14), end_date: addDays(sciences.start_date, 18), position: 1 },
      { convention_id: sciences.id, start_date: addDays(sciences.start_date, 35), end_date: addDays(sciences.start_date, 35), position: 2 },
    ]);
  });
  afterAll(() => app.close());

  const CHOSEN = [
    'number',
    'studentLastName',
    'studentFirstName',
    'subject',
    'startDate',
    'endDate',
    'interruptions',
    'totalHours',
    'daysPerWeek',
    'gratificationAmount',
    'gratificationBasis',
    'createdAt',
    'status',
    'hostSiret',
    'hostPostalCode',
    'activities',
    'skills',
    'studentPhone',
  ];

  it('gives gest.sciences the chosen columns in order, with real dates and numbers and the accents intact', async () => {
    const staff = await app.signIn('gest.sciences');
    const { response, sheet } = await downloadXlsx(staff, `/conventions/export.xlsx?columns=${CHOSEN.join(',')}`);
    expect(response.headers['content-type']).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    expect(response.headers['content-disposition']).toBe(`attachment; filename=conventions-${todayInFrance()}.xlsx`);
    expect(sheet.name).toBe('Conventions');
    expect(rowValues(sheet, 1)).toEqual(CHOSEN.map(label));

    const rowNumber = [...Array(sheet.rowCount).keys()].map((index) => index + 1).find((row) => sheet.getRow(row).getCell(1).value === sciences.number)!;
    const row = sheet.getRow(rowNumber);
    const cell = (key: string) => row.getCell(CHOSEN.indexOf(key) + 1);
    expect(cell('number').type).toBe(ExcelJS.ValueType.Number);
    expect(cell('studentLastName').value).toBe('Moreau');
    expect(cell('studentFirstName').value).toBe('Léa');
    expect(cell('subject').value).toBe('Développement d’une application web de suivi');

    expect(cell('startDate').type).toBe(ExcelJS.ValueType.Date);
    expect(cell('startDate').value).toEqual(utcDate(sciences.start_date));
    expect(cell('startDate').numFmt).toBe('dd/mm/yyyy');
    expect(cell('endDate').value).toEqual(utcDate(sciences.end_date));
    const day = (offset: number) => addDays(sciences.start_date, offset).split('-').reverse().join('/');
    expect(cell('interruptions').value).toBe(`${day(14)} – ${day(18)} ; ${day(35)} – ${day(35)}`);

    expect(cell('totalHours').value).toBe(405.5);
    expect(cell('daysPerWeek').value).toBe(4.5);
    expect(cell('gratificationAmount').type).toBe(ExcelJS.ValueType.Number);
    expect(cell('gratificationAmount').value).toBe(4.5);
    expect(cell('gratificationAmount').numFmt).toBe('#,##0.00');
    expect(cell('gratificationBasis').value).toBe('Net');

    expect(cell('createdAt').type).toBe(ExcelJS.ValueType.Date);
    expect(cell('createdAt').value).toEqual(frenchWallClock(sciences.created_at));
    expect(cell('createdAt').numFmt).toBe('dd/mm/yyyy hh:mm');
    expect(cell('status').value).toBe('Créée, en attente de validation');

    // Identifiers stay text: no SIRET in scientific notation, no postal code without its zero.
    expect(cell('hostSiret').value).toBe('44287651200017');
    expect(cell('hostPostalCode').value).toBe('44000');
    expect(cell('activities').value).toBe('Façades, études « thermiques » ; relevés\nsur le terrain');
    // Text a spreadsheet would run as a formula is shown as typed, behind an apostrophe.
    expect(cell('skills').value).toBe('\'=HYPERLINK("http://pirate.example","Cliquez")');
    expect(cell('skills').type).toBe(ExcelJS.ValueType.String);
    expect(cell('studentPhone').value).toBe("'+33 6 12 34 56 78");
  });

  it('freezes the header row, puts the filter on it and sets it in bold', async () => {
    const staff = await app.signIn('gest.sciences');
    const { sheet } = await downloadXlsx(staff, `/conventions/export.xlsx?columns=${CHOSEN.join(',')}`);
    expect(sheet.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
    expect(sheet.autoFilter).toBe(`A1:R1`);
    expect(sheet.getRow(1).getCell(1).font?.bold).toBe(true);
    expect(sheet.getRow(2).getCell(1).font?.bold).not.toBe(true);
  });

  it('exports every column of the catalogue for the super-admin, one row per convention', async () => {
    const admin = await app.signIn('admin');
    const { sheet } = await downloadXlsx(admin, `/conventions/export.xlsx?columns=${EXPORT_COLUMNS.map((column) => column.key).join(',')}`);
    expect(rowValues(sheet, 1)).toEqual(EXPORT_COLUMNS.map((column) => label(column.key)));
    const { count } = (await app.knex('convention').count({ count: '*' }).first()) as { count: number };
    expect(sheet.rowCount).toBe(1 + count);
    const host = rowValues(sheet, 2).slice(EXPORT_COLUMNS.findIndex((column) => column.key === 'hostName'));
    expect(host.slice(0, 4)).toEqual(['Logiciels Atlantique', '44287651200017', '62.01Z', 'Programmation informatique']);
  });

  it('shows the values in force after validated amendments: dates, subject, gratification, termination', async () => {
    const droit = await app.signIn('gest.droit');
    const original = await app
      .knex('convention as c')
      .join('student as s', 's.id', 'c.student_id')
      .where({ 's.login': 'etu.droit1', 'c.status': 'validated' })
      .first('c.id', 'c.number', 'c.start_date', 'c.end_date', 'c.subject');
    const base = `/conventions/${original.number}/amendments`;
    const send = async (fields: Record<string, string>) =>
      droit
        .post(`${base}/new`)
        .type('form')
        .send({ _csrf: await csrfTokenFrom(droit, '/'), ...fields });
    const newEnd = addDays(original.end_date, 14);
    expectRedirect(
      await send({
        kind: 'changes',
        reason: 'Prolongation et précision du sujet',
        change_dates: 'on',
        start_date: original.start_date,
        end_date: newEnd,
        subject: 'Veille juridique et rédaction de notes de synthèse',
        change_gratification: 'on',
        gratification: 'yes',
        gratification_amount: '5.25',
        gratification_per: 'hour',
        gratification_basis: 'BRUT',
        validate_now: 'on',
        confirmed: 'on',
      }),
      `${base}/1`,
    );
    const terminatedOn = addDays(original.start_date, 30);
    expectRedirect(
      await send({
        kind: 'termination',
        reason: 'Fin anticipée à la demande de l’étudiante',
        termination_date: terminatedOn,
        termination_comment: 'Départ',
        validate_now: 'on',
        confirmed: 'on',
      }),
      `${base}/2`,
    );

    const columns = [
      'number',
      'subject',
      'startDate',
      'endDate',
      'totalHours',
      'gratificationAmount',
      'gratificationBasis',
      'amendmentCount',
      'lastAmendmentKind',
      'lastAmendmentDate',
      'terminationDate',
    ];
    const { sheet } = await downloadXlsx(droit, `/conventions/export.xlsx?number=${original.number}&columns=${columns.join(',')}`);
    expect(sheet.rowCount).toBe(2);
    const { effective_total_presence_minutes: minutes } = await app.knex('convention').where({ id: original.id }).first('effective_total_presence_minutes');
    expect(rowValues(sheet, 2)).toEqual([
      original.number,
      'Veille juridique et rédaction de notes de synthèse',
      utcDate(original.start_date),
      utcDate(terminatedOn),
      Math.round((minutes * 100) / 60) / 100,
      5.25,
      'Brut',
      2,
      'Résiliation (fin anticipée du stage)',
      utcDate(todayInFrance()),
      utcDate(terminatedOn),
    ]);
    expect(original.subject).not.toBe('Veille juridique et rédaction de notes de synthèse');
  });
});
