import type TestAgent from 'supertest/lib/agent.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_COLUMN_KEYS, EXPORT_COLUMNS } from '../../src/exports/columns.ts';
import { translator } from '../../src/i18n/index.ts';
import { todayInFrance } from '../../src/rules/academic-year.ts';
import { addDays } from '../../src/rules/calendar.ts';
import { csrfTokenFrom, startTestApp, type TestApp } from '../support/test-app.ts';
import { downloadXlsx, rowValues } from './support.ts';

/**
 * The column chooser (GET/POST /conventions/export) and the refusals of the file addresses: the page
 * lists every column in three groups, carries the search along, remembers each person's choice, and
 * answers a French 400 to what cannot be exported.
 */
const t = translator('fr');
const label = (key: string) => t(`exports.columns.${key}`);

/** The keys of the checked boxes of the chooser, in page order. */
const checkedKeys = (html: string) => [...html.matchAll(/name="columns" value="(\w+)" checked/g)].map((match) => match[1]);

describe('the export column chooser', () => {
  let app: TestApp;
  let staff: TestAgent;
  // The coming year (the demo internships start within it), in the order of the search form, which links keep.
  const [from, to] = [todayInFrance(), addDays(todayInFrance(), 365)];
  const SEARCH = `period=between&from=${from}&to=${to}&faculty=SCI`;

  beforeAll(async () => {
    app = await startTestApp();
    staff = await app.signIn('gest.sciences');
  });
  afterAll(() => app.close());

  async function choose(fields: Record<string, string | string[]>) {
    const token = await csrfTokenFrom(staff, `/conventions/export?${SEARCH}`);
    return staff
      .post('/conventions/export')
      .type('form')
      .send({ _csrf: token, ...fields });
  }

  it('is reached from the search page with its criteria, and lists every column in three labelled groups', async () => {
    const list = await staff.get(`/conventions?search=1&${SEARCH}`).expect(200);
    const link = /href="(\/conventions\/export\?[^"]+)"/.exec(list.text)![1]!.replaceAll('&amp;', '&');
    expect(link).toBe(`/conventions/export?${SEARCH}`);

    const page = await staff.get(link).expect(200);
    expect(page.text).toContain('<h1>Exporter les conventions</h1>');
    const legends = [...page.text.matchAll(/<legend>([^<]+)<\/legend>/g)].map((match) => match[1]);
    expect(legends).toEqual(['Convention', 'Établissement d’accueil', 'Avenants']);
    for (const column of EXPORT_COLUMNS) {
      expect(page.text).toContain(`<input type="checkbox" id="column-${column.key}" name="columns" value="${column.key}"`);
      expect(page.text).toContain(`<label for="column-${column.key}">${label(column.key)}</label>`);
    }
    expect(checkedKeys(page.text)).toEqual(EXPORT_COLUMNS.map((column) => column.key).filter((key) => DEFAULT_COLUMN_KEYS.includes(key)));
    // The demo conventions of Sciences whose internships fall in the period, the cancelled one included.
    const { count } = (await app
      .knex('convention as c')
      .join('centre as ce', 'ce.id', 'c.centre_id')
      .where('ce.name', 'UFR Sciences et techniques')
      .whereNot('c.status', 'draft')
      .where('c.effective_start_date', '<=', to)
      .where('c.effective_end_date', '>=', from)
      .count({ count: '*' })
      .first()) as { count: number };
    expect(count).toBe(3);
    expect(page.text).toContain('3 conventions correspondent à cette recherche.');
    for (const [name, value] of new URLSearchParams(SEARCH)) expect(page.text).toContain(`<input type="hidden" name="${name}" value="${value}">`);
    expect(page.text).toContain('<button type="submit" name="format" value="xlsx" class="button">Télécharger au format Excel (XLSX)</button>');
    expect(page.text).toContain('value="csv"');
  });

  it('remembers the choice of each person and sends to the file of the same search', async () => {
    const response = await choose({ ...Object.fromEntries(new URLSearchParams(SEARCH)), columns: ['hostName', 'number', 'startDate'], format: 'xlsx' });
    expect(response.status).toBe(303);
    expect(response.headers.location).toBe(`/conventions/export.xlsx?${SEARCH}&columns=hostName,number,startDate`);

    const { sheet } = await downloadXlsx(staff, response.headers.location!);
    expect(rowValues(sheet, 1)).toEqual([label('hostName'), label('number'), label('startDate')]);

    const again = await staff.get('/conventions/export').expect(200);
    expect(checkedKeys(again.text)).toEqual(['number', 'startDate', 'hostName']);
    // Without `columns=`, a file has the remembered columns, in the order chosen.
    const { sheet: remembered } = await downloadXlsx(staff, '/conventions/export.xlsx');
    expect(rowValues(remembered, 1)).toEqual([label('hostName'), label('number'), label('startDate')]);

    // Another person's choice is their own.
    const other = await app.signIn('gest.droit');
    expect(checkedKeys((await other.get('/conventions/export').expect(200)).text)).toEqual(
      EXPORT_COLUMNS.map((column) => column.key).filter((key) => DEFAULT_COLUMN_KEYS.includes(key)),
    );
    const { sheet: defaults } = await downloadXlsx(other, '/conventions/export.xlsx');
    expect(rowValues(defaults, 1)).toEqual(DEFAULT_COLUMN_KEYS.map(label));
  });

  it('answers 400 with a message next to the columns when none is chosen, keeping the search and saving nothing', async () => {
    const before = await app.knex('user_preference').where({ login: 'gest.sciences' }).first('value');
    const response = await choose({ ...Object.fromEntries(new URLSearchParams(SEARCH)), format: 'csv' });
    expect(response.status).toBe(400);
    expect(response.text).toContain('<a href="#field-columns">Choisissez au moins une colonne.</a>');
    expect(response.text).toContain('<p class="field__error" id="columns-error">Choisissez au moins une colonne.</p>');
    expect(response.text).toContain('<fieldset aria-describedby="columns-error">');
    expect(response.text).toContain('<input type="hidden" name="faculty" value="SCI">');
    expect(checkedKeys(response.text)).toEqual([]);
    expect(await app.knex('user_preference').where({ login: 'gest.sciences' }).first('value')).toEqual(before);
  });

  it('refuses a forged column with its name quoted, keeping the known ones checked', async () => {
    const response = await choose({ columns: ['subject', 'password_hash'], format: 'xlsx' });
    expect(response.status).toBe(400);
    expect(response.text).toContain('Colonne inconnue (1) : « password_hash ». Choisissez les colonnes sur la page d’export.');
    expect(checkedKeys(response.text)).toEqual(['subject']);
  });

  it('refuses a forged format, and a form without its CSRF token', async () => {
    expect((await choose({ columns: 'number', format: 'pdf' })).status).toBe(400);
    expect((await staff.post('/conventions/export').type('form').send({ columns: 'number', format: 'csv' })).status).toBe(403);
  });

  it('answers a French 400 page to an unknown column or an empty list in a file address', async () => {
    const unknown = await staff.get('/conventions/export.xlsx?columns=number,salaire').expect(400);
    expect(unknown.text).toContain('Colonne inconnue (1) : « salaire ».');
    expect(unknown.headers['content-disposition']).toBeUndefined();
    const empty = await staff.get('/conventions/export.csv?columns=').expect(400);
    expect(empty.text).toContain('Choisissez au moins une colonne.');
  });

  it('refuses criteria that do not parse rather than export without them', async () => {
    const file = await staff.get('/conventions/export.csv?number=12a&columns=number').expect(400);
    expect(file.text).toContain('<h1>Export impossible</h1>');
    expect(file.text).toContain('Numéro de convention : Un numéro de convention ne contient que des chiffres.');
    expect(file.text).toContain('href="/conventions?number=12a&amp;search=1"');
    const chooser = await staff.get('/conventions/export?period=between&from=2027-02-30').expect(400);
    expect(chooser.text).toContain('Du : Date invalide (jj/mm/aaaa).');
  });
});
