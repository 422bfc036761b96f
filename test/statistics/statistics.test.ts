import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { academicYearOf, todayInFrance } from '../../src/rules/academic-year.ts';
import { startTestApp, type TestApp } from '../support/test-app.ts';
import { countsOf, figureLinks, FIXTURE_YEAR, insertConventions, insertHosts, tableOf, textOf, type ConventionFacts } from './support.ts';

const SCIENCES = 'UFR Sciences et techniques';
const DROIT = 'UFR Droit et économie';

/**
 * The fixture, in a year of its own. Durations: "up to N months" ends before the same day N months later.
 * Sciences (seen by gest.sciences and lect.sciences): S1…S8, and S9, a draft its student is still
 * writing, which staff do not see. Droit: D1…D3. IUT: I1.
 */
const FIXTURE: ConventionFacts[] = [
  // S1: ≤ 1 month (ends before 5 February), Nantes (44).
  { centre: SCIENCES, student: 'etu.sciences1', step: 'L3INFO', host: 'atlantique', start: '2032-01-05', end: '2032-01-30', supervisor: 'prof.martin' },
  // S2: 1–2 months.
  {
    centre: SCIENCES,
    student: 'etu.sciences1',
    step: 'L3INFO',
    host: 'atlantique',
    start: '2032-02-02',
    end: '2032-03-31',
    supervisor: 'prof.martin',
    status: 'submitted',
  },
  // S3: 2–4 months, unpaid, continuing education, part time 4.5 days, Brest (29).
  {
    centre: SCIENCES,
    student: 'etu.sciences1',
    step: 'L3INFO',
    host: 'ocean',
    start: '2032-03-01',
    end: '2032-06-30',
    supervisor: 'prof.petit',
    type: 'FC',
    gratification: false,
    workingTime: 'TPART',
    daysPerWeek: 4.5,
  },
  // S4: over 6 months (past 5 July), unpaid.
  {
    centre: SCIENCES,
    student: 'etu.sciences2',
    step: 'M1BIO',
    host: 'ocean',
    start: '2032-01-05',
    end: '2032-07-15',
    supervisor: 'prof.petit',
    gratification: false,
  },
  // S5: 2–4 months, gap year, in Germany, no supervisor.
  { centre: SCIENCES, student: 'etu.sciences2', step: 'M1BIO', host: 'lefevre', start: '2032-02-02', end: '2032-05-31', type: 'CS', country: 'DE' },
  // S6: 4–6 months, cancelled, at the host's site in Bastia (Haute-Corse, 2B).
  {
    centre: SCIENCES,
    student: 'etu.sciences2',
    step: 'M1BIO',
    host: 'montreuil',
    place: { postalCode: '20200', town: 'Bastia' },
    start: '2032-04-01',
    end: '2032-09-15',
    supervisor: 'prof.martin',
    status: 'cancelled',
  },
  // S7: ≤ 1 month, unpaid, in Martinique (972: in France, though not "FR" in the list of countries), no supervisor.
  {
    centre: SCIENCES,
    student: 'etu.sciences1',
    step: 'L3INFO',
    host: 'montreuil',
    place: { postalCode: '97200', town: 'Fort-de-France', country: 'MQ' },
    country: 'MQ',
    start: '2032-05-03',
    end: '2032-06-01',
    gratification: false,
    status: 'submitted',
  },
  // S8: 1–2 months, Master 2.
  { centre: SCIENCES, student: 'etu.sciences1', step: 'M2INFO', host: 'atlantique', start: '2032-03-01', end: '2032-04-30', supervisor: 'prof.martin' },
  // S9: a student's draft: not for staff.
  { centre: SCIENCES, student: 'etu.sciences2', step: 'M1BIO', host: 'atlantique', start: '2032-03-01', end: '2032-04-30', status: 'draft' },
  { centre: DROIT, student: 'etu.droit1', step: 'L3DROIT', host: 'lefevre', start: '2032-01-05', end: '2032-02-26', supervisor: 'prof.durand' },
  {
    centre: DROIT,
    student: 'etu.droit1',
    step: 'L3DROIT',
    host: 'montreuil',
    start: '2032-03-01',
    end: '2032-05-31',
    supervisor: 'prof.durand',
    type: 'FC',
    gratification: false,
    status: 'submitted',
  },
  { centre: DROIT, student: 'etu.droit1', step: 'L3DROIT', host: 'atlantique', start: '2032-06-01', end: '2032-06-26', supervisor: 'prof.durand' },
  { centre: 'IUT', student: 'etu.iut1', step: 'BUTINFO2', host: 'atlantique', start: '2032-01-05', end: '2032-03-26' },
];

const statistics = (parameters: Record<string, string>) => `/statistics?${new URLSearchParams({ academicYear: FIXTURE_YEAR, ...parameters }).toString()}`;

/** What the list of conventions says it found. */
function listTotal(html: string): number {
  if (html.includes('Aucune convention.')) return 0;
  const match = /Conventions \((\d+)\)/.exec(html);
  if (!match) throw new Error(`no total on the list: ${textOf(html).slice(0, 300)}`);
  return Number(match[1]);
}

describe('statistics of conventions', () => {
  let app: TestApp;
  let centreId: Record<string, number>;

  beforeAll(async () => {
    app = await startTestApp();
    await insertConventions(app.knex, FIXTURE);
    centreId = Object.fromEntries(
      ((await app.knex('centre').select('id', 'name')) as { id: number; name: string }[]).map((centre) => [centre.name, centre.id]),
    );
  });
  afterAll(() => app.close());

  describe('figures equal hand-computed counts', () => {
    it('counts by faculty and convention type, with totals', async () => {
      const staff = await app.signIn('gest.sciences');
      const page = await staff.get(statistics({ first: 'faculty', second: 'conventionType' })).expect(200);
      expect(tableOf(page.text, 'Conventions par')).toEqual([
        ['Composante', 'Formation initiale', 'Formation continue', 'Césure', 'Total'],
        [SCIENCES, '6', '1', '1', '8'],
        ['Total', '6', '1', '1', '8'],
      ]);
    });

    it('counts by step and duration band', async () => {
      const staff = await app.signIn('gest.sciences');
      const page = await staff.get(statistics({ first: 'step', second: 'duration' })).expect(200);
      expect(tableOf(page.text, 'Conventions par')).toEqual([
        [
          'Étape',
          '1 mois ou moins',
          'Plus de 1 mois, jusqu’à 2 mois',
          'Plus de 2 mois, jusqu’à 4 mois',
          'Plus de 4 mois, jusqu’à 6 mois',
          'Plus de 6 mois',
          'Total',
        ],
        ['Licence 3 Informatique', '2', '1', '1', '0', '0', '4'],
        ['Master 1 Biologie', '0', '0', '1', '1', '1', '3'],
        ['Master 2 Informatique', '0', '1', '0', '0', '0', '1'],
        ['Total', '2', '2', '2', '1', '1', '8'],
      ]);
      expect(textOf(page.text)).toContain('Durée calendaire effective (après avenants)');
    });

    it('counts by département of the place of the internship: service address, Corsica, overseas, abroad', async () => {
      const staff = await app.signIn('gest.sciences');
      const page = await staff.get(statistics({ first: 'faculty', second: 'internshipDepartment' })).expect(200);
      expect(tableOf(page.text, 'Conventions par')).toEqual([
        ['Composante', '2B', '29', '44', '972', 'Étranger', 'Total'],
        [SCIENCES, '1', '2', '3', '1', '1', '8'],
        ['Total', '1', '2', '3', '1', '1', '8'],
      ]);
    });

    it('counts by NAF section, gratification, supervisor, days per week and country', async () => {
      const staff = await app.signIn('gest.sciences');
      const expectations: [string, Record<string, number>][] = [
        ['nafSection', { 'Information et communication': 3, 'Activités spécialisées, scientifiques et techniques': 3, 'Administration publique': 2, Total: 8 }],
        ['gratification', { 'Avec gratification': 5, 'Sans gratification': 3, Total: 8 }],
        ['supervisor', { 'Martin Jeanne': 4, 'Petit Nadia': 2, 'Non renseigné': 2, Total: 8 }],
        ['daysPerWeek', { '4,5 jours': 1, '5 jours': 7, Total: 8 }],
        ['country', { ALLEMAGNE: 1, FRANCE: 6, MARTINIQUE: 1, Total: 8 }],
      ];
      for (const [second, expected] of expectations) {
        const page = await staff.get(statistics({ first: 'faculty', second })).expect(200);
        expect(countsOf(page.text)[SCIENCES], second).toEqual(expected);
      }
    });

    it('counts by department of the supervising teacher, those without one as "Non renseigné"', async () => {
      const staff = await app.signIn('gest.sciences');
      const page = await staff.get(statistics({ first: 'department', second: 'workingTime' })).expect(200);
      expect(tableOf(page.text, 'Conventions par')).toEqual([
        ['Département de l’enseignant référent', 'Temps plein', 'Temps partiel', 'Total'],
        ['Biologie', '1', '1', '2'],
        ['Informatique', '4', '0', '4'],
        ['Non renseigné', '2', '0', '2'],
        ['Total', '7', '1', '8'],
      ]);
    });

    it('counts the chosen status only, as the list does', async () => {
      const staff = await app.signIn('gest.sciences');
      const page = await staff.get(statistics({ first: 'faculty', second: 'conventionType', status: 'validated' })).expect(200);
      expect(countsOf(page.text)[SCIENCES]).toEqual({ 'Formation initiale': 3, 'Formation continue': 1, Césure: 1, Total: 5 });
      const cancelled = await staff.get(statistics({ first: 'faculty', second: 'conventionType', status: 'cancelled' })).expect(200);
      expect(countsOf(cancelled.text)[SCIENCES]).toEqual({ 'Formation initiale': 1, Total: 1 });
    });

    it('counts every academic year when the rows are the years', async () => {
      const staff = await app.signIn('gest.sciences');
      const page = await staff.get(statistics({ first: 'academicYear', second: 'conventionType' })).expect(200);
      const counts = countsOf(page.text);
      expect(counts[FIXTURE_YEAR]).toEqual({ 'Formation initiale': 6, 'Formation continue': 1, Césure: 1, Total: 8 });
      // The demo conventions of the current year are counted too, in a row of their own.
      expect(Object.keys(counts).filter((row) => row !== FIXTURE_YEAR && row !== 'Total')).not.toHaveLength(0);
    });

    it('links each figure to the list of conventions, which finds the same number', async () => {
      const staff = await app.signIn('gest.sciences');
      const cases: Record<string, string>[] = [
        { first: 'faculty', second: 'conventionType' },
        { first: 'step', second: 'gratification', status: 'validated' },
        { first: 'academicYear', second: 'nafSection', status: 'not_validated' },
      ];
      for (const parameters of cases) {
        const page = await staff.get(statistics(parameters)).expect(200);
        const links = figureLinks(page.text);
        expect(links.length, JSON.stringify(parameters)).toBeGreaterThan(3);
        for (const link of links) {
          expect(link.href).toMatch(/^\/conventions\?search=1&/);
          const list = await staff.get(link.href).expect(200);
          expect(listTotal(list.text), link.href).toBe(link.count);
        }
      }
    });

    it('gives the 20 most frequent hosts a column each and groups the others in "Autres"', async () => {
      // Another year: hosts 01 to 20 have two conventions each, 21 and 22 one each.
      const year = '2032-2033';
      const names = Array.from({ length: 22 }, (_, index) => `Entreprise ${String(index + 1).padStart(2, '0')}`);
      await insertHosts(app.knex, names);
      await insertConventions(
        app.knex,
        names.flatMap((host, index) =>
          Array.from(
            { length: index < 20 ? 2 : 1 },
            () => ({ centre: SCIENCES, student: 'etu.sciences1', step: 'L3INFO', host, start: '2033-01-03', end: '2033-02-25', year }) as ConventionFacts,
          ),
        ),
      );
      const staff = await app.signIn('gest.sciences');
      const page = await staff.get(`/statistics?academicYear=${year}&first=faculty&second=host`).expect(200);
      const [header, row] = tableOf(page.text, 'Conventions par');
      expect(header).toEqual(['Composante', ...names.slice(0, 20).map((name) => `${name} (Paris)`), 'Autres', 'Total']);
      expect(row).toEqual([SCIENCES, ...Array.from({ length: 20 }, () => '2'), '2', '42']);
      expect(textOf(page.text)).toContain('Les 20 valeurs les plus fréquentes ont chacune leur colonne ; les 2 autres sont regroupées dans « Autres ».');
    });

    it('draws the chart with a text alternative that gives the totals', async () => {
      const staff = await app.signIn('gest.sciences');
      const page = await staff.get(statistics({ first: 'step', second: 'conventionType' })).expect(200);
      expect(page.text).toMatch(/<svg class="chart__drawing"[^>]* role="img" aria-labelledby="chart-title" aria-describedby="chart-summary"/);
      const summary = textOf(/<p id="chart-summary">([\s\S]*?)<\/p>/.exec(page.text)![1]!);
      expect(summary).toBe(
        '8 convention(s) au total. Par étape : Licence 3 Informatique 4, Master 1 Biologie 3, Master 2 Informatique 1. Par type de convention : Formation initiale 6, Formation continue 1, Césure 1.',
      );
      // One bar per row, one segment per non-empty cell: L3 (FI, FC), M1 (FI, CS), M2 (FI).
      expect(page.text.match(/<rect x="[\d.]+" y="[\d.]+" width="[\d.]+" height="22"/g)).toHaveLength(2 + 2 + 1);
    });
  });

  describe('XLSX', () => {
    it('holds the same table as the page, numbers as numbers, header row frozen', async () => {
      const staff = await app.signIn('gest.sciences');
      const query = { first: 'step', second: 'duration', status: 'not_validated' };
      const page = await staff.get(statistics(query)).expect(200);
      const download = await staff
        .get(`/statistics/export.xlsx?${new URLSearchParams({ academicYear: FIXTURE_YEAR, ...query }).toString()}`)
        .buffer(true)
        .parse((response, callback) => {
          const chunks: Buffer[] = [];
          response.on('data', (chunk: Buffer) => chunks.push(chunk));
          response.on('end', () => callback(null, Buffer.concat(chunks)));
        })
        .expect(200);
      expect(download.headers['content-type']).toContain('spreadsheetml');
      expect(download.headers['content-disposition']).toMatch(/^attachment; filename="?statistiques-2031-2032-step-duration\.xlsx"?$/);

      const bytes = download.body as Buffer;
      const workbook = new ExcelJS.Workbook();
      await workbook.xlsx.load(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer);
      const sheet = workbook.worksheets[0]!;
      expect(sheet.getCell('A1').value).toBe('Conventions par étape et par durée du stage');
      expect(sheet.getCell('A2').value).toBe(`Année universitaire ${FIXTURE_YEAR} · État : Non validées · Centres : tous vos centres`);
      expect(sheet.views[0]).toMatchObject({ state: 'frozen', ySplit: 3 });
      const rows: (string | number)[][] = [];
      sheet.eachRow((row, number) => {
        if (number >= 3) rows.push((row.values as (string | number)[]).slice(1));
      });
      const onPage = tableOf(page.text, 'Conventions par');
      expect(rows[0]).toEqual(onPage[0]);
      expect(rows.slice(1)).toEqual(onPage.slice(1).map(([label, ...counts]) => [label, ...counts.map(Number)]));
      // Not validated: S7, S2, S6 (the student's draft is not the staff's); only the bands that occur are columns.
      expect(rows[0]).toEqual(['Étape', '1 mois ou moins', 'Plus de 1 mois, jusqu’à 2 mois', 'Plus de 4 mois, jusqu’à 6 mois', 'Total']);
      expect(rows.at(-1)).toEqual(['Total', 1, 1, 1, 3]);
    });
  });

  describe('scoping', () => {
    it('gives gest.droit the conventions of Droit, never one of Sciences', async () => {
      const staff = await app.signIn('gest.droit');
      const page = await staff.get(statistics({ first: 'faculty', second: 'conventionType' })).expect(200);
      expect(tableOf(page.text, 'Conventions par')).toEqual([
        ['Composante', 'Formation initiale', 'Formation continue', 'Total'],
        ['UFR Droit, économie et gestion', '2', '1', '3'],
        ['Total', '2', '1', '3'],
      ]);
      for (const first of ['faculty', 'step', 'academicYear', 'department']) {
        const other = await staff.get(statistics({ first, second: 'host' })).expect(200);
        expect(other.text).not.toMatch(/Sciences|Informatique|Biologie/);
      }
    });

    it('gives lect.sciences (READ) the same figures as gest.sciences (WRITE)', async () => {
      const reader = await app.signIn('lect.sciences');
      const writer = await app.signIn('gest.sciences');
      for (const second of ['conventionType', 'host', 'duration']) {
        const [read, written] = await Promise.all([reader.get(statistics({ first: 'step', second })), writer.get(statistics({ first: 'step', second }))]);
        expect(read.status).toBe(200);
        expect(countsOf(read.text)).toEqual(countsOf(written.text));
      }
    });

    it('refuses a centre that is not the person’s, without counting anything', async () => {
      const staff = await app.signIn('gest.droit');
      for (const centres of [[centreId[SCIENCES]!], [centreId[DROIT]!, centreId[SCIENCES]!], [999999]]) {
        const query = `${statistics({ first: 'faculty', second: 'conventionType' })}&${centres.map((id) => `centre=${id}`).join('&')}`;
        const page = await staff.get(query).expect(400);
        expect(textOf(page.text)).toContain('Choisissez parmi vos centres de gestion.');
        expect(page.text).not.toContain('<caption>Conventions par');
        await staff.get(query.replace('/statistics?', '/statistics/export.xlsx?')).expect(400);
      }
    });

    it('counts only the centres chosen by a super-admin', async () => {
      const admin = await app.signIn('admin');
      const all = await admin.get(statistics({ first: 'faculty', second: 'conventionType' })).expect(200);
      // The super-admin sees every convention, the students' drafts included (S9), as in the list.
      expect(countsOf(all.text)).toEqual({
        [SCIENCES]: { 'Formation initiale': 7, 'Formation continue': 1, Césure: 1, Total: 9 },
        'UFR Droit, économie et gestion': { 'Formation initiale': 2, 'Formation continue': 1, Césure: 0, Total: 3 },
        'Institut universitaire de technologie': { 'Formation initiale': 1, 'Formation continue': 0, Césure: 0, Total: 1 },
        Total: { 'Formation initiale': 10, 'Formation continue': 2, Césure: 1, Total: 13 },
      });
      const droit = await admin.get(`${statistics({ first: 'faculty', second: 'conventionType' })}&centre=${centreId[DROIT]}`).expect(200);
      expect(Object.keys(countsOf(droit.text))).toEqual(['UFR Droit, économie et gestion', 'Total']);
      expect(textOf(droit.text)).toContain(`Centres : ${DROIT}`);
    });

    it('refuses students and teachers, and sends visitors to sign in', async () => {
      for (const login of ['etu.sciences1', 'prof.martin']) {
        const person = await app.signIn(login);
        await person.get('/statistics').expect(403);
        await person.get(`/statistics/export.xlsx?centre=${centreId[SCIENCES]}`).expect(403);
        const home = await person.get('/').expect(200);
        expect(home.text).not.toContain('href="/statistics"');
      }
      const visitor = app.anonymous();
      const redirect = await visitor.get('/statistics').expect(302);
      expect(redirect.headers.location).toBe('/auth/login?returnTo=%2Fstatistics');
    });

    it('shows the page in the staff menu', async () => {
      const staff = await app.signIn('lect.sciences');
      const page = await staff.get('/statistics').expect(200);
      expect(page.text).toContain('<a href="/statistics" aria-current="page">Statistiques</a>');
    });
  });

  describe('the form', () => {
    it('defaults to the current academic year, faculty × convention type, all statuses and centres', async () => {
      const staff = await app.signIn('gest.sciences');
      const page = await staff.get('/statistics').expect(200);
      const year = academicYearOf(todayInFrance(), app.config.academicYearSwitchOver);
      expect(page.text).toMatch(new RegExp(`<input type="text" id="field-academicYear" name="academicYear" value="${year}"`));
      expect(textOf(page.text)).toContain(
        `Conventions par composante et par type de convention Année universitaire ${year} · État : Toutes (validées et non validées) · Centres : tous vos centres`,
      );
    });

    it('answers 400 with French messages next to the fields, keeping what was typed', async () => {
      const staff = await app.signIn('gest.sciences');
      const page = await staff.get('/statistics?academicYear=2031&first=faculty&second=salary&status=lost').expect(400);
      expect(page.text).toMatch(/id="field-academicYear" name="academicYear" value="2031"[^>]*aria-invalid="true"/);
      expect(page.text).toContain('<p class="field__error" id="field-academicYear-error">Année universitaire au format 2026-2027.</p>');
      expect(page.text).toContain('<p class="field__error" id="field-second-error">Choisissez un critère de la liste.</p>');
      expect(page.text).toContain('<p class="field__error" id="field-status-error">Choisissez un état de la liste.</p>');
      expect(page.text).toMatch(/<option value="faculty" selected>/);
      expect(page.text).not.toContain('<caption>Conventions par');
      await staff.get('/statistics/export.xlsx?academicYear=2031-2033').expect(400);
    });
  });
});
