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
    const before = await knex('audit_log').where({ action: 'directory.import' }).count({ n: '*' }).first();
    await importFile(
      'staff',
      csv(PERSON_HEADER, [
        { login: 'agent.neuf', last_name: 'Neuf', first_name: 'Nina' },
        { login: 'agent.dix', last_name: 'Dix', first_name: 'Denis' },
      ]),
    );
    const entries = await knex('audit_log').where({ action: 'directory.import' }).orderBy('id');
    expect(entries.length).toBe(Number(before!.n) + 1);
    expect(entries.at(-1)).toMatchObject({
      actor_login: 'test',
      entity: 'staff',
      after: { file: 'staff.csv', lines: 2, counts: { staff: { created: 2, updated: 0, unchanged: 0 } } },
    });
  });

  it('writes an audit row with before and after for every record created or changed, and none for the others', async () => {
    const lea = await knex('student').where({ student_number: '22100001' }).first();
    const leaEnrolments = await knex('enrolment').where({ student_id: lea.id }).orderBy('id');
    const lastId = Number((await knex('audit_log').max({ id: 'id' }).first())!.id);
    const newcomer = { ...validStudents[2]!, student_number: '30000099', login: 'etu.nouveau', last_name: 'Nouveau', first_name: 'Noé' };
    // Léa changes her mobile phone and keeps her enrolment; the newcomer brings a new faculty and step.
    const file = csv(STUDENT_HEADER, [
      {
        ...validStudents[3]!,
        mobile_phone: '07 99 99 99 99',
        academic_year: leaEnrolments[0].academic_year,
        step_code: 'L3INFO',
        step_label: 'Licence 3 Informatique',
        faculty_label: 'UFR Sciences et techniques',
      },
      { ...newcomer, faculty_code: 'AUD', faculty_label: 'UFR Audit', step_code: 'L1AUD', step_label: 'Licence 1 Audit' },
    ]);
    const outcome = await importDirectory(knex, {
      kind: 'students',
      fileName: 'audit.csv',
      content: Buffer.from(file),
      actorLogin: 'admin',
      requestId: 'req-audit',
    });
    expect(outcome).toMatchObject({
      status: 'imported',
      counts: {
        students: { created: 1, updated: 1, unchanged: 0 },
        enrolments: { created: 1, unchanged: 1 },
        faculties: { created: 1, unchanged: 1 },
        steps: { created: 1, unchanged: 1 },
      },
    });

    const entries = await knex('audit_log').where('id', '>', lastId).orderBy('id');
    expect(entries.every((entry) => entry.actor_login === 'admin' && entry.request_id === 'req-audit')).toBe(true);
    const created = await knex('student').where({ student_number: '30000099' }).first();
    const createdEnrolment = await knex('enrolment').where({ student_id: created.id }).first();
    expect(entries.map((entry) => [entry.action, entry.entity, entry.entity_id])).toEqual([
      ['faculty.create', 'faculty', 'AUD'],
      ['study_step.create', 'study_step', 'L1AUD'],
      ['student.update', 'student', String(lea.id)],
      ['student.create', 'student', String(created.id)],
      ['enrolment.create', 'enrolment', String(createdEnrolment.id)],
      ['directory.import', 'students', null],
    ]);
    const byAction = (action: string, id?: string) => entries.find((entry) => entry.action === action && (id === undefined || entry.entity_id === id))!;

    const update = byAction('student.update');
    expect(update.before).toMatchObject({
      id: lea.id,
      student_number: '22100001',
      login: 'etu.sciences1',
      mobile_phone: lea.mobile_phone,
      last_name: 'Moreau',
    });
    expect(update.after).toMatchObject({ id: lea.id, student_number: '22100001', login: 'etu.sciences1', mobile_phone: '07 99 99 99 99', last_name: 'Moreau' });
    expect(update.before.mobile_phone).not.toBe('07 99 99 99 99');

    const creation = byAction('student.create');
    expect(creation.before).toBeNull();
    expect(creation.after).toMatchObject({
      id: created.id,
      student_number: '30000099',
      login: 'etu.nouveau',
      last_name: 'Nouveau',
      first_name: 'Noé',
      birth_date: '2003-02-28',
    });
    expect(byAction('enrolment.create').after).toEqual({
      id: createdEnrolment.id,
      student_id: created.id,
      academic_year: '2030-2031',
      faculty_code: 'AUD',
      step_code: 'L1AUD',
    });
    expect(byAction('faculty.create')).toMatchObject({ before: null, after: { code: 'AUD', label: 'UFR Audit' } });
    expect(byAction('study_step.create')).toMatchObject({ before: null, after: { code: 'L1AUD', label: 'Licence 1 Audit', faculty_code: 'AUD' } });
    expect(byAction('directory.import').after).toMatchObject({ file: 'audit.csv', counts: { students: { created: 1, updated: 1 } } });
    // Léa's enrolment did not change: no audit row names it.
    expect(entries.some((entry) => entry.entity === 'enrolment' && leaEnrolments.some((enrolment) => String(enrolment.id) === entry.entity_id))).toBe(false);

    // The same file again changes nothing, and writes only the summary.
    await importDirectory(knex, { kind: 'students', fileName: 'audit.csv', content: Buffer.from(file), actorLogin: 'admin' });
    const again = await knex('audit_log').where('id', '>', entries.at(-1)!.id).pluck('action');
    expect(again).toEqual(['directory.import']);
  });

  it('audits changed teachers and staff members with before and after', async () => {
    const martin = await knex('teacher').where({ login: 'prof.martin' }).first();
    const lastId = Number((await knex('audit_log').max({ id: 'id' }).first())!.id);
    await importFile('teachers', 'login;last_name;first_name;department\nprof.martin;Martin;Jeanne;Génie logiciel\nprof.audit;Audit;Alain;\n');
    const entries = await knex('audit_log').where('id', '>', lastId).orderBy('id');
    const alain = await knex('teacher').where({ login: 'prof.audit' }).first();
    expect(entries.map((entry) => [entry.action, entry.entity, entry.entity_id])).toEqual([
      ['teacher.update', 'teacher', String(martin.id)],
      ['teacher.create', 'teacher', String(alain.id)],
      ['directory.import', 'teachers', null],
    ]);
    expect(entries[0]).toMatchObject({
      actor_login: 'test',
      before: { login: 'prof.martin', department: martin.department },
      after: { login: 'prof.martin', department: 'Génie logiciel' },
    });
    expect(entries[1]).toMatchObject({ before: null, after: { login: 'prof.audit', last_name: 'Audit', department: null } });

    const staffBefore = Number((await knex('audit_log').max({ id: 'id' }).first())!.id);
    await importFile('staff', 'login;last_name;first_name\ngest.iut;Bernard-Audit;Isabelle\n');
    const staffEntries = await knex('audit_log').where('id', '>', staffBefore).orderBy('id');
    expect(staffEntries.map((entry) => entry.action)).toEqual(['staff.update', 'directory.import']);
    expect(staffEntries[0]).toMatchObject({
      entity: 'staff',
      before: { login: 'gest.iut', last_name: 'Bernard' },
      after: { login: 'gest.iut', last_name: 'Bernard-Audit' },
    });
  });
});
