import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Knex } from 'knex';
import { startTestApp, type TestApp } from '../support/test-app.ts';
import { importDirectory, type ImportOutcome } from '../../src/directory/import/service.ts';
import type { DirectoryKind } from '../../src/directory/import/kind.ts';
import { csv, STUDENT_HEADER, PERSON_HEADER, validStudents } from './fixtures.ts';

const countOf = async (knex: Knex, table: string) => Number((await knex(table).count({ n: '*' }).first())!.n);

function reasonsOf(outcome: ImportOutcome): Record<number, string[]> {
  if (outcome.status !== 'rejected') throw new Error(`expected a rejected import, got ${JSON.stringify(outcome)}`);
  return Object.fromEntries(outcome.rejected.map(({ line, reasons }) => [line, reasons]));
}

describe('the directory import service', () => {
  let testApp: TestApp;
  let knex: Knex;
  beforeAll(async () => {
    testApp = await startTestApp();
    knex = testApp.knex;
  });
  afterAll(() => testApp.close());

  const importFile = (kind: DirectoryKind, content: string) =>
    importDirectory(knex, { kind, fileName: `${kind}.csv`, content: Buffer.from(content), actorLogin: 'test' });

  it('refuses a login that belongs to another student number in the database, and writes nothing', async () => {
    const students = await countOf(knex, 'student');
    const outcome = await importFile('students', csv(STUDENT_HEADER, [{ ...validStudents[0]!, login: 'etu.sciences2' }]));
    expect(reasonsOf(outcome)).toEqual({
      2: ['L’identifiant « etu.sciences2 » appartient déjà, dans l’annuaire, au numéro d’étudiant 22100002.'],
    });
    expect(await countOf(knex, 'student')).toBe(students);
  });

  it('reports a student whose lines disagree, a repeated enrolment and codes with two labels', async () => {
    const [first, second] = validStudents as [Record<string, string>, Record<string, string>];
    const outcome = await importFile(
      'students',
      csv(STUDENT_HEADER, [
        first,
        { ...second, email: 'autre@etu.univ-demo.fr', faculty_label: 'Faculté des sciences' },
        first,
        { ...validStudents[2]!, step_code: 'L3INFO', step_label: 'Licence 3 Info', login: 'etu.lambert' },
      ]),
    );
    expect(reasonsOf(outcome)).toEqual({
      3: ['Le numéro d’étudiant 30000001 figure déjà ligne 2 avec d’autres valeurs pour : email.', 'La composante SCI a un autre libellé ligne 2.'],
      4: ['Même inscription (étudiant, année, étape) que la ligne 2.'],
      5: [
        'L’identifiant « etu.lambert » est déjà utilisé ligne 2 par le numéro d’étudiant 30000001.',
        'L’étape L3INFO a un autre libellé ou une autre composante ligne 2.',
      ],
    });
  });

  it('reports the problems of the header on line 1', async () => {
    const outcome = await importFile('teachers', 'login;nom;login;;email\nprof.x;X;prof.x;;\n');
    expect(reasonsOf(outcome)[1]).toEqual([
      'Ligne d’en-tête : la ou les colonnes n° 4 n’ont pas de nom.',
      'Ligne d’en-tête : colonne(s) présente(s) plusieurs fois : login.',
      'Ligne d’en-tête : colonne(s) inconnue(s) : nom. Colonnes possibles : login, last_name, first_name, email, phone, department.',
      'Ligne d’en-tête : colonne(s) obligatoire(s) absente(s) : last_name, first_name. La première ligne du fichier doit nommer les colonnes.',
    ]);
  });

  it('reports a login given twice in a teachers file', async () => {
    const outcome = await importFile('teachers', 'login;last_name;first_name\nprof.a;A;Anne\nprof.b;B;Bruno\nprof.a;A;Anne\n');
    expect(reasonsOf(outcome)).toEqual({ 4: ['L’identifiant « prof.a » figure déjà ligne 2.'] });
  });

  it('keeps the stored value of a column the file leaves out, and erases it for an empty cell', async () => {
    const outcome = await importFile('teachers', 'login;last_name;first_name;email\nprof.petit;Petit;Nadia;\n');
    expect(outcome).toMatchObject({ status: 'imported', counts: { teachers: { created: 0, updated: 1, unchanged: 0 } } });
    expect(await knex('teacher').where({ login: 'prof.petit' }).first()).toMatchObject({ email: null, department: 'Biologie' });
  });

  it('writes one audit entry per import, in the same transaction', async () => {
    const before = await knex('audit_log').where({ action: 'import' }).count({ n: '*' }).first();
    await importFile('staff', csv(PERSON_HEADER, [{ login: 'agent.neuf', last_name: 'Neuf', first_name: 'Nina' }, { login: 'agent.dix', last_name: 'Dix', first_name: 'Denis' }]));
    const entries = await knex('audit_log').where({ action: 'import' }).orderBy('id');
    expect(entries.length).toBe(Number(before!.n) + 1);
    expect(entries.at(-1)).toMatchObject({ actor_login: 'test', entity: 'staff', after: { file: 'staff.csv', lines: 2, counts: { staff: { created: 2, updated: 0, unchanged: 0 } } } });
  });

  it('imports 30,000 enrolment lines in batches, well within a request’s time', async () => {
    const rows = Array.from({ length: 30_000 }, (_, index) => ({
      ...validStudents[0]!,
      student_number: String(40_000_000 + Math.floor(index / 2)),
      login: `etu.lot${Math.floor(index / 2)}`,
      step_code: index % 2 === 0 ? 'L3INFO' : 'M2INFO',
      step_label: index % 2 === 0 ? 'Licence 3 Informatique' : 'Master 2 Informatique',
    }));
    const started = performance.now();
    const outcome = await importFile('students', csv(STUDENT_HEADER, rows));
    const elapsed = performance.now() - started;
    expect(outcome).toMatchObject({ status: 'imported', lineCount: 30_000, counts: { students: { created: 15_000 }, enrolments: { created: 30_000 } } });
    expect(elapsed).toBeLessThan(20_000);
  });
});
