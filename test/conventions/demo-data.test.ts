import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemoConventions } from '../../src/conventions/demo-data.ts';
import { startTestApp, type TestApp } from '../support/test-app.ts';

describe('demo conventions', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp();
  });
  afterAll(() => app.close());

  it('creates a few conventions in each state, once', async () => {
    await seedDemoConventions(app.knex, '2026-11-23');
    await seedDemoConventions(app.knex, '2026-11-23');
    const statuses = (await app.knex('convention').orderBy('status').pluck('status')) as string[];
    expect(statuses).toEqual(['cancelled', 'draft', 'pedagogically_validated', 'refused', 'submitted', 'validated']);
    const numbered = await app.knex('convention').whereNotNull('number').count({ count: '*' }).first();
    expect(Number(numbered!.count)).toBe(5);

    const staff = await app.signIn('gest.sciences');
    const list = await staff.get('/conventions').expect(200);
    expect(list.text).toContain('Conventions (3)');
    const droit = await app.signIn('etu.droit1');
    const validated = await app.knex('convention').where({ status: 'validated' }).first('number');
    const page = await droit.get(`/conventions/${validated.number}`).expect(200);
    expect(page.text).toContain('Veille juridique en droit des contrats');
    expect(page.text).not.toContain(`action="/conventions/${validated.number}/delete"`);
  });
});
