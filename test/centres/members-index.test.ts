import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { staffSearchQuery } from '../../src/directory/staff-search.ts';
import { startTestApp, type TestApp } from '../support/test-app.ts';

describe('index of the staff directory search', () => {
  let testApp: TestApp;
  beforeAll(async () => {
    testApp = await startTestApp();
  });
  afterAll(() => testApp.close());

  it('can be served by the trigram index on the staff names', async () => {
    const plan = await testApp.knex.transaction(async (trx) => {
      await trx.raw('SET LOCAL enable_seqscan = off; SET LOCAL enable_indexscan = off; SET LOCAL enable_indexonlyscan = off');
      const explained = await trx.raw(`EXPLAIN ${staffSearchQuery(trx, { lastName: 'lefevre' }).select('id').toString()}`);
      return (explained.rows as { 'QUERY PLAN': string }[]).map((row) => row['QUERY PLAN']).join('\n');
    });
    expect(plan).toContain('staff_name_search');
  });
});
