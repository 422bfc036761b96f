import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hostSearchQuery } from '../../src/hosts/repository.ts';
import { EMPTY_SEARCH, type HostSearchCriteria } from '../../src/hosts/schemas.ts';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';

/**
 * The speed of the search rests on its indexes (`npm run bench` runs it on
 * 100,000 hosts). On a small table PostgreSQL rightly prefers reading the table; with sequential
 * scans disabled, each criterion must still be answerable from its index — which fails as soon as the
 * query's expression and the index's differ. Plain and index-only scans are disabled too: otherwise reading
 * a whole sort index (host_name_order) and filtering its rows can cost less than the trigram index on so
 * few rows, depending on how much of the table the last vacuum marked visible; a bitmap scan needs a
 * condition its index answers.
 */
describe('indexes of the host search', () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase();
    // Enough varied rows for the statistics to tell the indexes apart (a sample of the hand-made benchmark).
    await database.knex.raw(`
      INSERT INTO host (name, siret, naf_code, legal_status_code, host_type_code, address, postal_code, town, phone)
      SELECT (ARRAY['Société', 'Boulangerie', 'Cabinet', 'Atelier', 'Garage'])[1 + i % 5] || ' ' || (ARRAY['Martin', 'Générale', 'Dupont', 'Lefèvre'])[1 + i % 4] || ' ' || i,
             lpad(i::text, 13, '0') || '0', '62.01Z', 'SAS', '3', i || ' rue Pasteur', lpad((1 + i % 95)::text, 2, '0') || lpad((i % 1000)::text, 3, '0'),
             (ARRAY['Paris', 'Lyon', 'Saint-Étienne', 'Lille'])[1 + i % 4], '01 ' || lpad((i % 100)::text, 2, '0') || ' 00 00 00'
      FROM generate_series(1, 3000) AS i`);
    await database.knex.raw(`INSERT INTO host_service (host_id, name) SELECT id, 'Service ' || id FROM host`);
    await database.knex.raw('ANALYZE host; ANALYZE host_service');
  });
  afterAll(() => database.drop());

  async function plan(criteria: Partial<HostSearchCriteria>): Promise<string> {
    return database.knex.transaction(async (trx) => {
      await trx.raw('SET LOCAL enable_seqscan = off; SET LOCAL enable_indexscan = off; SET LOCAL enable_indexonlyscan = off');
      const { sql, bindings } = hostSearchQuery(trx, { ...EMPTY_SEARCH, ...criteria })
        .count({ n: '*' })
        .toSQL();
      const result = (await trx.raw(`EXPLAIN ${sql}`, bindings as never)) as { rows: { 'QUERY PLAN': string }[] };
      return result.rows.map((row) => row['QUERY PLAN']).join('\n');
    });
  }

  it.each([
    [{ name: 'societe generale' }, 'host_name_search'],
    [{ street: 'haussmann' }, 'host_address_search'],
    [{ town: 'saint etienne' }, 'host_town_search'],
    [{ service: 'ressources humaines' }, 'host_service_name_search'],
    [{ siret: '552081317' }, 'host_siret_unique'],
    [{ naf: '62.01' }, 'host_naf_code'],
    [{ phone: '0142' }, 'host_phone_digits'],
    [{ postal: '75009' }, 'host_postal_code'],
    [{ department: '75' }, 'host_postal_code'],
    [{ country: 'DE' }, 'host_country_code'],
  ] as const)('answers %j from %s', async (criteria, index) => {
    expect(await plan(criteria)).toContain(index);
  });
});
