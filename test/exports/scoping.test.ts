import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { csrfTokenFrom, startTestApp, type TestApp } from '../support/test-app.ts';
import { downloadXlsx, exportedNumbers } from './support.ts';

/**
 * Who may export what (docs/domain.md): staff of any right get the conventions of their own centres, the
 * super-admin all of them; teachers and students are refused. No criterion of the address, however
 * crafted, reaches a convention outside the person's scope.
 */
describe('export scoping', () => {
  let app: TestApp;
  /** Numbers of the demo conventions staff see (created ones), by centre, newest first as the export sorts. */
  let sciences: number[];
  let droit: number[];

  async function numbersOf(centre: string): Promise<number[]> {
    return app
      .knex('convention as c')
      .join('centre as ce', 'ce.id', 'c.centre_id')
      .where('ce.name', centre)
      .whereNotNull('c.number')
      .orderBy('c.number', 'desc')
      .pluck('c.number');
  }

  beforeAll(async () => {
    app = await startTestApp();
    sciences = await numbersOf('UFR Sciences et techniques');
    droit = await numbersOf('UFR Droit et économie');
    expect(sciences.length).toBeGreaterThan(0);
    expect(droit.length).toBeGreaterThan(0);
  });
  afterAll(() => app.close());

  it('gives staff of UFR Sciences, whatever their right, the conventions of their centre only', async () => {
    for (const login of ['gest.sciences', 'lect.sciences', 'resp.sciences']) {
      const staff = await app.signIn(login);
      expect(await exportedNumbers(staff, ''), login).toEqual(sciences);
    }
  });

  it('never lets gest.droit reach a convention of UFR Sciences, even with crafted criteria', async () => {
    const staff = await app.signIn('gest.droit');
    expect(await exportedNumbers(staff, '')).toEqual(droit);
    const centres = await app.knex('centre').pluck('id');
    const crafted = [
      'faculty=SCI',
      'step=L3INFO&step=M1BIO',
      `number=${sciences[0]}`,
      'lastName=Moreau',
      ...centres.map((id) => `centre_id=${id}&centre=${id}&centreId=${id}`),
      'faculty=SCI&faculty=DEG',
      'scope=all&superAdmin=1&status=validated&status=submitted',
    ];
    for (const query of crafted) {
      const numbers = await exportedNumbers(staff, query);
      expect(
        numbers.filter((number) => sciences.includes(number)),
        query,
      ).toEqual([]);
      expect(
        numbers.every((number) => droit.includes(number)),
        query,
      ).toBe(true);
    }
    const { sheet } = await downloadXlsx(staff, `/conventions/export.xlsx?faculty=SCI&columns=number`);
    expect(sheet.rowCount).toBe(1);
    const chooser = await staff.get('/conventions/export?faculty=SCI').expect(200);
    expect(chooser.text).toContain('Aucune convention ne correspond à cette recherche');
  });

  it('gives the super-admin every convention', async () => {
    const admin = await app.signIn('admin');
    const numbers = await exportedNumbers(admin, '');
    const { count } = (await app.knex('convention').count({ count: '*' }).first()) as { count: number };
    // Drafts included (they have no number yet): the super-admin's list holds them too.
    expect(numbers).toHaveLength(count);
    expect(numbers.filter((number) => number > 0).sort((a, b) => b - a)).toEqual([...sciences, ...droit].sort((a, b) => b - a));
  });

  it('refuses teachers and students, even the supervisor or the student of a convention', async () => {
    for (const login of ['prof.martin', 'prof.durand', 'etu.sciences1', 'etu.droit1']) {
      const person = await app.signIn(login);
      await person.get('/conventions/export').expect(403);
      await person.get('/conventions/export.xlsx?columns=number').expect(403);
      await person.get('/conventions/export.csv').expect(403);
      const token = await csrfTokenFrom(person, '/');
      await person.post('/conventions/export').type('form').send({ _csrf: token, columns: 'number', format: 'csv' }).expect(403);
    }
  });

  it('sends anonymous visitors to sign in first', async () => {
    const visitor = app.anonymous();
    const response = await visitor.get('/conventions/export.xlsx?columns=number').expect(302);
    expect(response.headers.location).toBe(`/auth/login?returnTo=${encodeURIComponent('/conventions/export.xlsx?columns=number')}`);
  });
});
