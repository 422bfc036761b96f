import type { Knex } from 'knex';
import { t } from '../../i18n/index.ts';
import { studentRowSchema, STUDENT_REQUIRED_COLUMNS, STUDENT_PERSONAL_COLUMNS, type StudentRow } from './student-schema.ts';
import { upsertRows } from './upsert.ts';
import type { ImportKind, ValidRow } from './kind.ts';
import type { Rejections } from './rejections.ts';

function checkFile(rows: readonly ValidRow<StudentRow>[], rejections: Rejections): void {
  const byNumber = new Map<string, ValidRow<StudentRow>>();
  const byLogin = new Map<string, ValidRow<StudentRow>>();
  const enrolments = new Map<string, number>();
  const faculties = new Map<string, ValidRow<StudentRow>>();
  const steps = new Map<string, ValidRow<StudentRow>>();

  for (const current of rows) {
    const { line, row } = current;
    const sameNumber = byNumber.get(row.student_number);
    if (!sameNumber) byNumber.set(row.student_number, current);
    else {
      const differing = STUDENT_PERSONAL_COLUMNS.filter((column) => sameNumber.row[column] !== row[column]);
      if (differing.length > 0) {
        rejections.add(line, t('directory.students.otherPersonalData', { number: row.student_number, line: sameNumber.line, columns: differing.join(', ') }));
      }
    }

    const sameLogin = byLogin.get(row.login);
    if (!sameLogin) byLogin.set(row.login, current);
    else if (sameLogin.row.student_number !== row.student_number) {
      rejections.add(line, t('directory.students.loginInFile', { login: row.login, line: sameLogin.line, number: sameLogin.row.student_number }));
    }

    const enrolment = [row.student_number, row.academic_year, row.step_code].join('\u0000');
    const sameEnrolment = enrolments.get(enrolment);
    if (sameEnrolment === undefined) enrolments.set(enrolment, line);
    else rejections.add(line, t('directory.students.duplicateEnrolment', { line: sameEnrolment }));

    const sameFaculty = faculties.get(row.faculty_code);
    if (!sameFaculty) faculties.set(row.faculty_code, current);
    else if (sameFaculty.row.faculty_label !== row.faculty_label) {
      rejections.add(line, t('directory.students.otherFacultyLabel', { code: row.faculty_code, line: sameFaculty.line }));
    }

    const sameStep = steps.get(row.step_code);
    if (!sameStep) steps.set(row.step_code, current);
    else if (sameStep.row.step_label !== row.step_label || sameStep.row.faculty_code !== row.faculty_code) {
      rejections.add(line, t('directory.students.otherStep', { code: row.step_code, line: sameStep.line }));
    }
  }
}

/** A login is a person: it may move to another student number only once freed in the source system. */
async function checkDatabase(trx: Knex.Transaction, rows: readonly ValidRow<StudentRow>[], rejections: Rejections): Promise<void> {
  const logins = [...new Set(rows.map(({ row }) => row.login))];
  const owners: { login: string; student_number: string }[] = await trx('student').whereRaw('login = ANY(?)', [logins]).select('login', 'student_number');
  const ownerOf = new Map(owners.map((owner) => [owner.login, owner.student_number]));
  for (const { line, row } of rows) {
    const owner = ownerOf.get(row.login);
    if (owner !== undefined && owner !== row.student_number) rejections.add(line, t('directory.students.loginInDatabase', { login: row.login, number: owner }));
  }
}

const uniqueBy = <Row, Key>(rows: readonly Row[], key: (row: Row) => Key) => [...new Map(rows.map((row) => [key(row), row])).values()];

export const studentImport: ImportKind<StudentRow> = {
  schema: studentRowSchema,
  columns: Object.keys(studentRowSchema.shape),
  required: STUDENT_REQUIRED_COLUMNS,
  checkFile,
  checkDatabase,

  async write(trx, rows, columns, author) {
    const faculties = await upsertRows(
      trx,
      'faculty',
      uniqueBy(rows, (row) => row.faculty_code).map((row) => ({ code: row.faculty_code, label: row.faculty_label })),
      { key: ['code'], merge: ['label'], audit: { entity: 'faculty', idColumn: 'code', author } },
    );
    const steps = await upsertRows(
      trx,
      'study_step',
      uniqueBy(rows, (row) => row.step_code).map((row) => ({ code: row.step_code, label: row.step_label, faculty_code: row.faculty_code })),
      { key: ['code'], merge: ['label', 'faculty_code'], audit: { entity: 'study_step', idColumn: 'code', author } },
    );

    const personal = STUDENT_PERSONAL_COLUMNS.filter((column) => columns.includes(column));
    const students = await upsertRows(
      trx,
      'student',
      uniqueBy(rows, (row) => row.student_number).map((row) => ({
        student_number: row.student_number,
        ...Object.fromEntries(personal.map((column) => [column, row[column]])),
      })),
      { key: ['student_number'], merge: personal, timestamps: true, audit: { entity: 'student', idColumn: 'id', author } },
    );

    const numbers = [...new Set(rows.map((row) => row.student_number))];
    const ids: { id: number; student_number: string }[] = await trx('student').whereRaw('student_number = ANY(?)', [numbers]).select('id', 'student_number');
    const idOf = new Map(ids.map((student) => [student.student_number, student.id]));
    const enrolments = await upsertRows(
      trx,
      'enrolment',
      rows.map((row) => ({
        student_id: idOf.get(row.student_number),
        academic_year: row.academic_year,
        step_code: row.step_code,
        faculty_code: row.faculty_code,
      })),
      { key: ['student_id', 'academic_year', 'step_code'], merge: ['faculty_code'], audit: { entity: 'enrolment', idColumn: 'id', author } },
    );
    return { students, enrolments, faculties, steps };
  },
};
