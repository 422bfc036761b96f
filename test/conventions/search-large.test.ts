import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/test-app.ts';

/**
 * A search matching more than COUNT_LIMIT (10,000) conventions cuts its page by walking the order's
 * index rather than from the set of matches gathered (search-repository.ts): the same rows must come
 * out, in the same order, whichever way the page is cut. The list then stops counting and says "more
 * than 10 000", its pages going on until the last row.
 */
const COPIES = 10100;

function numbersOn(html: string): number[] {
  return [...html.matchAll(/<th scope="row"><a href="\/conventions\/(\d+)">/g)].map((match) => Number(match[1]));
}

describe('a search matching thousands of conventions', () => {
  let app: TestApp;
  let numbers: number[];

  beforeAll(async () => {
    app = await startTestApp();
    // Copies of a submitted Sciences convention, each with its own number and a subject of its own.
    const template = (await app
      .knex('convention as c')
      .join('centre as ce', 'ce.id', 'c.centre_id')
      .where({ 'ce.name': 'UFR Sciences et techniques', 'c.status': 'submitted' })
      .first('c.id')) as { id: number };
    const columns = (await app.knex('information_schema.columns').where({ table_name: 'convention', table_schema: 'public' }).pluck('column_name')) as string[];
    const copied = columns.filter(
      (column) => !['id', 'number', 'subject', 'version', 'created_at', 'updated_at'].includes(column) && !column.startsWith('effective_'),
    );
    await app.knex.raw(
      `INSERT INTO convention (number, subject, ${copied.join(', ')})
       SELECT nextval('convention_number_seq'), 'Copie ' || i || (CASE WHEN i % 1000 = 0 THEN ' rarissime' ELSE '' END), ${copied.map((column) => `c.${column}`).join(', ')}
       FROM convention c, generate_series(1, ?) AS i WHERE c.id = ?`,
      [COPIES, template.id],
    );
    await app.knex.raw('ANALYZE convention');
    numbers = (await app
      .knex('convention as c')
      .join('centre as ce', 'ce.id', 'c.centre_id')
      .where('ce.name', 'UFR Sciences et techniques')
      .whereNotNull('c.number')
      .orderBy('c.number')
      .pluck('c.number')) as number[];
  });
  afterAll(() => app.close());

  it('gives the same pages as the whole matching set sorted, at the start, the middle and the end', async () => {
    const staff = await app.signIn('gest.sciences');
    expect(numbers.length).toBeGreaterThan(COPIES);
    const pages = Math.ceil(numbers.length / 20);
    for (const page of [1, 2, Math.floor(pages / 2), pages]) {
      const ascending = await staff.get(`/conventions?search=1&sort=number&direction=asc&page=${page}`).expect(200);
      expect(numbersOn(ascending.text)).toEqual(numbers.slice((page - 1) * 20, page * 20));
      const descending = await staff.get(`/conventions?search=1&sort=number&direction=desc&page=${page}`).expect(200);
      expect(numbersOn(descending.text)).toEqual([...numbers].reverse().slice((page - 1) * 20, page * 20));
    }
    const first = await staff.get('/conventions?search=1').expect(200);
    expect(first.text).toMatch(/Conventions \(plus de 10\s000 :/u);
    expect(first.text).toMatch(/Page 1\s*<a/);
    const last = await staff.get(`/conventions?search=1&sort=number&direction=asc&page=${pages}`).expect(200);
    expect(last.text).not.toContain('Page suivante');
    expect(last.text).toContain('Page précédente');
  });

  it('sorts them by host name in both directions, empty names last', async () => {
    const staff = await app.signIn('gest.sciences');
    const byHost = (direction: 'asc' | 'desc') =>
      app
        .knex('convention as c')
        .join('centre as ce', 'ce.id', 'c.centre_id')
        .where('ce.name', 'UFR Sciences et techniques')
        .where((query) => query.whereNot('c.status', 'draft').orWhere('c.entered_by_staff', true))
        .orderByRaw(`c.host_name_search ${direction} NULLS LAST, c.id ${direction}`)
        .limit(40)
        .pluck('c.number') as Promise<number[]>;
    for (const direction of ['asc', 'desc'] as const) {
      const expected = await byHost(direction);
      for (const page of [1, 2]) {
        const html = (await staff.get(`/conventions?search=1&sort=host&direction=${direction}&page=${page}`).expect(200)).text;
        expect(numbersOn(html)).toEqual(expected.slice((page - 1) * 20, page * 20));
      }
    }
  });

  it('finds a rare match among them without losing it to the index walk', async () => {
    const staff = await app.signIn('gest.sciences');
    const rare = await staff.get('/conventions?search=1&subject=rarissime&sort=number&direction=asc').expect(200);
    expect(numbersOn(rare.text)).toHaveLength(Math.floor(COPIES / 1000));
    expect(rare.text).toContain(`Conventions (${Math.floor(COPIES / 1000)})`);
  });
});
