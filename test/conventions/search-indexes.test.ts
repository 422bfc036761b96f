import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../../src/directory/actor.ts';
import { matchingConventions } from '../../src/conventions/search-repository.ts';
import { parseSearch } from '../../src/conventions/search-schemas.ts';
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
    await database.knex.raw(`INSERT INTO enrolment (student_id, academic_year, faculty_code, step_code) SELECT id, '2026-2027', 'SCI', 'L3INFO' FROM student WHERE login LIKE 'index.%'`);
    await database.knex.raw(`
      INSERT INTO convention (number, status, student_id, enrolment_id, centre_id, academic_year, host_id, supervisor_teacher_id, start_date, end_date,
                              days_per_week, hours_per_week, total_presence_minutes, social_security_affiliation, subject)
      SELECT nextval('convention_number_seq'), 'submitted', e.student_id, e.id, (SELECT min(id) FROM centre), '2026-2027', (SELECT min(id) FROM host),
             (SELECT min(id) FROM teacher) + e.id % 1000, DATE '2027-03-01' + e.id % 200, DATE '2027-05-01' + e.id % 200, 5, 35, 6000, 'ASSETUDIANT',
             (ARRAY['Étude', 'Analyse', 'Développement'])[1 + e.id % 3] || ' numéro ' || e.id
      FROM enrolment e JOIN student s ON s.id = e.student_id WHERE s.login LIKE 'index.%'`);
    await database.knex.raw('ANALYZE student; ANALYZE teacher; ANALYZE convention; ANALYZE enrolment');
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
    [{ subject: 'étude' }, 'convention_effective_subject_words'],
    [{ lastName: 'lefevre' }, 'student_name_search'],
    [{ firstName: 'ines' }, 'student_name_search_reversed'],
    [{ supervisor: 'martin' }, 'teacher_name_search'],
  ] as const)('answers %j from %s', async (query, index) => {
    expect(await plan(query)).toContain(index);
  });
});
