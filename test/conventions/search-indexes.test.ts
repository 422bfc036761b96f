import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../../src/access/actor.ts';
import { matchingConventions, SORT_COLUMNS } from '../../src/conventions/search/repository.ts';
import { parseSearch } from '../../src/conventions/search/schemas.ts';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';

/**
 * The text criteria of the convention search (accent- and case-insensitive "contains") must stay
 * answerable from their trigram indexes: with sequential scans disabled, each is read from the index
 * built on the same expression — which fails as soon as the query's expression and the index's differ.
 * Only bitmap scans are left: a whole sort index read and filtered could otherwise cost less on so few rows.
 */
const ADMIN: Actor = { login: 'admin', displayName: 'Admin', studentId: null, teacherId: null, staffId: null, superAdmin: true, memberships: [] };

describe('indexes of the convention search', () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase();
    await database.knex.raw(`
      INSERT INTO student (login, student_number, last_name, first_name)
      SELECT 'index.' || i, '35' || lpad(i::text, 6, '0'), (ARRAY['Martin', 'Lefèvre', 'Dupont', 'Élodie'])[1 + i % 4] || i, (ARRAY['Léa', 'Hugo', 'Inès'])[1 + i % 3] || i
      FROM generate_series(1, 3000) AS i`);
    await database.knex.raw(`
      INSERT INTO teacher (login, last_name, first_name)
      SELECT 'index.teacher.' || i, (ARRAY['Bernard', 'Petitjean', 'Lemaître'])[1 + i % 3] || i, 'Jean' || i FROM generate_series(1, 2000) AS i`);
    await database.knex.raw(
      `INSERT INTO enrolment (student_id, academic_year, faculty_code, step_code) SELECT id, '2026-2027', 'SCI', 'L3INFO' FROM student WHERE login LIKE 'index.%'`,
    );
    await database.knex.raw(`
      INSERT INTO convention (number, status, student_id, enrolment_id, centre_id, academic_year, host_id, supervisor_teacher_id, start_date, end_date,
                              days_per_week, hours_per_week, total_presence_minutes, social_security_affiliation, subject)
      SELECT nextval('convention_number_seq'), 'submitted', e.student_id, e.id, (SELECT min(id) FROM centre), '2026-2027', (SELECT min(id) FROM host),
             (SELECT min(id) FROM teacher) + e.id % 1000, DATE '2027-03-01' + e.id % 200, DATE '2027-05-01' + e.id % 200, 5, 35, 6000, 'ASSETUDIANT',
             (ARRAY['Étude', 'Analyse', 'Développement'])[1 + e.id % 3] || ' numéro ' || e.id
      FROM enrolment e JOIN student s ON s.id = e.student_id WHERE s.login LIKE 'index.%'`);
    await database.knex.raw('ANALYZE student; ANALYZE teacher; ANALYZE enrolment');
    // Vacuumed, as autovacuum keeps a real table: the index-only scans then need not visit the table.
    await database.knex.raw('VACUUM ANALYZE convention');
  });
  afterAll(() => database.drop());

  async function plan(query: Record<string, string>): Promise<string> {
    return database.knex.transaction(async (trx) => {
      await trx.raw('SET LOCAL enable_seqscan = off; SET LOCAL enable_indexscan = off; SET LOCAL enable_indexonlyscan = off');
      const { criteria } = parseSearch(query);
      const { sql, bindings } = matchingConventions(trx, ADMIN, criteria, '2026-11-23').count({ n: '*' }).toSQL();
      const result = (await trx.raw(`EXPLAIN ${sql}`, bindings as never)) as { rows: { 'QUERY PLAN': string }[] };
      return result.rows.map((row) => row['QUERY PLAN']).join('\n');
    });
  }

  it.each([
    [{ subject: 'étude' }, 'convention_subject_search'],
    [{ lastName: 'lefevre' }, 'student_name_search'],
    [{ firstName: 'ines' }, 'student_name_search_reversed'],
    [{ supervisor: 'martin' }, 'teacher_name_search'],
    [{ hostName: 'societe' }, 'convention_host_name_search'],
    [{ town: 'lyon' }, 'convention_host_town_search'],
  ] as const)('answers %j from %s', async (query, index) => {
    expect(await plan(query)).toContain(index);
  });

  /**
   * Every criterion on the convention's own columns is answered from a covering index of the search
   * (the everyday ones from the four indexes walked by year, end date, status or type, the rarer ones
   * from the one that carries every searched column), within the centres of a staff member, without
   * reading the table. The other indexes of the table are
   * dropped for the time of the plan (the transaction is rolled back) and the table cannot be read
   * whole: the plan is then an index-only scan of it, or, as soon as the search reads a column the index
   * does not carry, a plain index scan that fails the test.
   */
  async function scopedPlan(query: Record<string, string>): Promise<string> {
    const { centre_id } = (await database.knex('convention').first('centre_id')) as { centre_id: number };
    const staff: Actor = { ...ADMIN, login: 'index.staff', superAdmin: false, memberships: [{ centreId: centre_id, right: 'READ' }] };
    const trx = await database.knex.transaction();
    try {
      const others = (await trx.raw(`
        SELECT indexrelid::regclass::text AS name FROM pg_index
        WHERE indrelid = 'convention'::regclass AND indexrelid::regclass::text NOT LIKE 'convention\\_search\\_%'
          AND NOT EXISTS (SELECT 1 FROM pg_constraint WHERE conindid = indexrelid)`)) as { rows: { name: string }[] };
      await trx.raw(`DROP INDEX ${others.rows.map((row) => row.name).join(', ')}`);
      await trx.raw('SET LOCAL enable_seqscan = off; SET LOCAL enable_bitmapscan = off');
      const { criteria } = parseSearch(query);
      const { sql, bindings } = matchingConventions(trx, staff, criteria, '2026-11-23')
        .select([...new Set(Object.values(SORT_COLUMNS).flat())])
        .toSQL();
      const result = (await trx.raw(`EXPLAIN ${sql}`, bindings as never)) as { rows: { 'QUERY PLAN': string }[] };
      return result.rows.map((row) => row['QUERY PLAN']).join('\n');
    } finally {
      await trx.rollback();
    }
  }

  it.each<Record<string, string>>([
    {},
    { academicYear: '2026-2027' },
    { conventionType: 'FC', status: 'not_validated' },
    { internshipKind: 'OBL', theme: '12', daysPerWeek: '5', gratification: 'yes', workingTime: 'TC', printLanguage: 'en' },
    { period: 'in_progress' },
    { from: '2027-01-01', to: '2027-02-01' },
    { amendments: 'no', offerNumber: '12' },
    { country: 'DE' },
    { faculty: 'SCI', step: 'L3INFO' },
    { hostName: 'societe', town: 'lyon' },
  ])('reads only the covering index of the search for %j', async (query) => {
    const plan = await scopedPlan(query);
    expect(plan).toMatch(/Index Only Scan using convention_search_(scope|end|status|type|every) /);
    expect(plan).not.toMatch(/Seq Scan on convention/);
  });

  // The fixture's conventions are all submitted, of no type, and end in 2027: none matches these criteria.
  it.each([
    [{ period: 'ended' }, 'convention_search_end', "(effective_end_date < '2026-11-23'::date)"],
    [{ status: 'refused' }, 'convention_search_status', "(status = 'refused'::text)"],
    [{ conventionType: 'CS' }, 'convention_search_type', "(convention_type = 'CS'::text)"],
  ])('reads only the conventions of the centre that %j can match, from %s', async (query, index, condition) => {
    const plan = await scopedPlan(query);
    expect(plan).toContain(`Index Only Scan using ${index} `);
    expect(plan).toMatch(new RegExp(`Index Cond: \\(\\(centre_id = \\d+\\) AND ${condition.replace(/[()]/g, '\\$&')}\\)`));
  });

  // The walked indexes carry the everyday criteria only. A rarer one with a period is answered either
  // from the index that carries every column, or from the period's index and the table's rows of the
  // period alone (PostgreSQL 15 and 18 choose differently): never by reading the whole table.
  it('reads only the centre, from an index of the search, when a rarer criterion goes with a period', async () => {
    const plan = await scopedPlan({ period: 'ended', amendments: 'no', offerNumber: '12' });
    expect(plan).toMatch(/Index (Only )?Scan using convention_search_(end|every) /);
    expect(plan).toMatch(/Index Cond: \(\(?centre_id = \d+\)/);
    expect(plan).not.toMatch(/Seq Scan on convention/);
  });
});
