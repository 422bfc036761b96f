import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Knex } from 'knex';
import { startTestApp, type TestApp } from '../support/test-app.ts';
import { importDirectory } from '../../src/directory/import/service.ts';
import type { DirectoryKind } from '../../src/directory/import/kind.ts';
import { csv, STUDENT_HEADER, validStudents } from './fixtures.ts';

describe('the directory import service on a large file', () => {
  let testApp: TestApp;
  let knex: Knex;
  beforeAll(async () => {
    testApp = await startTestApp();
    knex = testApp.knex;
  });
  afterAll(() => testApp.close());

  const importFile = (kind: DirectoryKind, content: string) =>
    importDirectory(knex, { kind, fileName: `${kind}.csv`, content: Buffer.from(content), actorLogin: 'test' });

  it('imports 30,000 enrolment lines in batches, well within a request’s time', async () => {
    const rows = Array.from({ length: 30_000 }, (_, index) => ({
      ...validStudents[0]!,
      student_number: String(40_000_000 + Math.floor(index / 2)),
      login: `etu.lot${Math.floor(index / 2)}`,
      step_code: index % 2 === 0 ? 'L3INFO' : 'M2INFO',
      step_label: index % 2 === 0 ? 'Licence 3 Informatique' : 'Master 2 Informatique',
    }));
    const lastId = Number((await knex('audit_log').max({ id: 'id' }).first())!.id);
    const started = performance.now();
    const outcome = await importFile('students', csv(STUDENT_HEADER, rows));
    const elapsed = performance.now() - started;
    expect(outcome).toMatchObject({ status: 'imported', lineCount: 30_000, counts: { students: { created: 15_000 }, enrolments: { created: 30_000 } } });
    expect(elapsed).toBeLessThan(20_000);
    const audited = await knex('audit_log').where('id', '>', lastId).groupBy('action').orderBy('action').select('action', knex.raw('count(*)::int AS n'));
    expect(audited).toEqual([
      { action: 'directory.import', n: 1 },
      { action: 'enrolment.create', n: 30_000 },
      { action: 'student.create', n: 15_000 },
    ]);
  });
});
