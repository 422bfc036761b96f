import type { Knex } from 'knex';
import { audit } from '../audit/audit-log.ts';
import { translator } from '../i18n/index.ts';

/**
 * Anonymisation of the conventions whose internship ended more than the retention period ago
 * (institution setting), and of the students who left and have nothing else here.
 *
 * A convention keeps what statistics and the institution's history need — centre, faculty and step
 * (through an enrolment of the same year and step), dates, hours, host, service, tutor, type,
 * gratification, subject and activities (they describe the host's tasks, not the student) — and loses
 * what identifies its student: it moves to one shared anonymous student record, so that neither a
 * search by name nor an export nor the student's own pages lead to it; its contact details and NIR are
 * emptied; the free texts people wrote about the student (refusal reasons, amendment reasons and
 * comments) are replaced; the student's login disappears from its history, its amendments and the
 * audit rows about it, whose personal values are removed. Sent notifications about it are deleted.
 *
 * A student is anonymised in place once none of their conventions remains to be kept and their last
 * enrolment ended before the retention cut-off (they are no longer in the directory imports).
 *
 * Safe to schedule: one transaction per batch, rows locked and already-locked rows skipped (a run
 * beside another, or beside someone editing, leaves them for the next run), and a second run finds
 * nothing left to do. The frozen tables let these changes through only because each transaction
 * declares itself (`conventio.anonymising`, docs/schema.md).
 */
const t = translator('fr');

/** CAS never returns a login with '#': nobody can sign in as the anonymous student. */
export const ANONYMOUS_LOGIN = '#anonymised#';
export const ANONYMOUS_STUDENT_NUMBER = 'ANONYME';
const DEFAULT_BATCH_SIZE = 200;

/** Keys removed from the before/after of the audit rows about an anonymised convention or amendment. */
const CONVENTION_AUDIT_KEYS = [
  'student_id',
  'enrolment_id',
  'student_number',
  'student_last_name',
  'student_first_name',
  'student_birth_date',
  'student_email',
  'student_address',
  'student_postal_code',
  'student_town',
  'student_country',
  'student_phone',
  'student_mobile_phone',
  'student_personal_email',
  'social_security_number',
  'cpam_office',
  'reason',
  'termination_comment',
  'other',
  'created_by',
  'updated_by',
  'submitted_by',
  'validated_by',
];
/** Keys removed from the before/after of the audit rows about an anonymised student (directory imports). */
const STUDENT_AUDIT_KEYS = [
  'student_number',
  'login',
  'last_name',
  'first_name',
  'birth_date',
  'email',
  'personal_email',
  'phone',
  'mobile_phone',
  'address',
  'postal_code',
  'town',
  'country',
];

/** The day the internship ended: a termination, else the effective end; a draft without dates, its last change. */
const CONVENTION_END = "COALESCE(LEAST(c.termination_date, c.effective_end_date), (c.updated_at AT TIME ZONE 'Europe/Paris')::date)";
/** The end of an academic year "2019-2020": the summer of its second year. */
const ENROLMENT_END = 'make_date(substr(e.academic_year, 6, 4)::int, 8, 31)';

/** The last day of the internships that are kept: `today` minus the retention years (29 Feb → 28 Feb). */
export function retentionCutoff(today: string, years: number): string {
  const [year, month, day] = today.split('-').map(Number) as [number, number, number];
  const cutoffYear = year - years;
  const lastDay = new Date(Date.UTC(cutoffYear, month, 0)).getUTCDate();
  return `${String(cutoffYear).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(Math.min(day, lastDay)).padStart(2, '0')}`;
}

function pendingConventions(db: Knex | Knex.Transaction, cutoff: string): Knex.QueryBuilder {
  return db('convention as c').whereNull('c.anonymised_at').whereRaw(`${CONVENTION_END} < ?`, [cutoff]);
}

function pendingStudents(db: Knex | Knex.Transaction, cutoff: string): Knex.QueryBuilder {
  return db('student as s')
    .whereNull('s.anonymised_at')
    .whereNot('s.login', ANONYMOUS_LOGIN)
    .whereNotExists((query) => query.select(db.raw('1')).from('enrolment as e').whereRaw('e.student_id = s.id').whereRaw(`${ENROLMENT_END} >= ?`, [cutoff]))
    .whereNotExists((query) =>
      query.select(db.raw('1')).from('convention as c').whereRaw('c.student_id = s.id').whereRaw(`NOT (${CONVENTION_END} < ?)`, [cutoff]),
    );
}

export interface AnonymisationCounts {
  conventions: number;
  students: number;
}

/** What a run would anonymise today: the preview of the settings page and the dry run. */
export async function pendingCounts(db: Knex, cutoff: string): Promise<AnonymisationCounts> {
  const [conventions, students] = await Promise.all([
    pendingConventions(db, cutoff).count({ count: '*' }).first() as Promise<{ count: string | number }>,
    pendingStudents(db, cutoff).count({ count: '*' }).first() as Promise<{ count: string | number }>,
  ]);
  return { conventions: Number(conventions.count), students: Number(students.count) };
}

export interface AnonymisationRun {
  cutoff: string;
  actorLogin: string;
  requestId?: string;
  dryRun?: boolean;
  batchSize?: number;
  /** Told after each committed batch (the command logs it). */
  onBatch?: (kind: keyof AnonymisationCounts, count: number) => void;
}

export interface AnonymisationResult extends AnonymisationCounts {
  dryRun: boolean;
}

export async function anonymise(knex: Knex, run: AnonymisationRun): Promise<AnonymisationResult> {
  if (run.dryRun) return { ...(await pendingCounts(knex, run.cutoff)), dryRun: true };
  const batchSize = run.batchSize ?? DEFAULT_BATCH_SIZE;
  const result: AnonymisationResult = { conventions: 0, students: 0, dryRun: false };
  for (const kind of ['conventions', 'students'] as const) {
    for (;;) {
      const count = await knex.transaction(async (trx) => {
        await trx.raw("SET LOCAL conventio.anonymising = 'on'");
        return kind === 'conventions' ? anonymiseConventionBatch(trx, run, batchSize) : anonymiseStudentBatch(trx, run, batchSize);
      });
      if (count === 0) break;
      result[kind] += count;
      run.onBatch?.(kind, count);
    }
  }
  return result;
}

/** The student record every anonymised convention points to. */
async function anonymousStudentId(trx: Knex.Transaction): Promise<number> {
  await trx('student')
    .insert({
      student_number: ANONYMOUS_STUDENT_NUMBER,
      login: ANONYMOUS_LOGIN,
      last_name: t('privacy.anonymised.lastName'),
      first_name: t('privacy.anonymised.firstName'),
      anonymised_at: trx.fn.now(),
    })
    .onConflict('student_number')
    .ignore();
  const row = (await trx('student').where({ student_number: ANONYMOUS_STUDENT_NUMBER }).first('id')) as { id: number };
  return row.id;
}

interface ConventionToAnonymise {
  id: number;
  login: string;
  academic_year: string;
  faculty_code: string;
  step_code: string;
}

async function anonymiseConventionBatch(trx: Knex.Transaction, run: AnonymisationRun, batchSize: number): Promise<number> {
  const rows = (await pendingConventions(trx, run.cutoff)
    .join('student as s', 's.id', 'c.student_id')
    .join('enrolment as e', 'e.id', 'c.enrolment_id')
    .orderBy('c.id')
    .limit(batchSize)
    .forUpdate('c')
    .skipLocked()
    .select('c.id', 's.login', 'e.academic_year', 'e.faculty_code', 'e.step_code')) as ConventionToAnonymise[];
  if (rows.length === 0) return 0;

  const studentId = await anonymousStudentId(trx);
  const enrolments = new Map<string, number>();
  const text = t('privacy.anonymised.text');
  const loginOrAnonymous = (column: string, login: string) => trx.raw('CASE WHEN ?? = ? THEN ? ELSE ?? END', [column, login, ANONYMOUS_LOGIN, column]);
  const removed = (column: string) =>
    trx.raw(`CASE WHEN jsonb_typeof(??) = 'object' THEN ?? - ?::text[] ELSE ?? END`, [column, column, CONVENTION_AUDIT_KEYS, column]);

  for (const row of rows) {
    const enrolmentKey = `${row.academic_year}|${row.step_code}`;
    let enrolmentId = enrolments.get(enrolmentKey);
    if (enrolmentId === undefined) {
      const [inserted] = (await trx('enrolment')
        .insert({ student_id: studentId, academic_year: row.academic_year, faculty_code: row.faculty_code, step_code: row.step_code })
        .onConflict(['student_id', 'academic_year', 'step_code'])
        .merge(['faculty_code'])
        .returning('id')) as { id: number }[];
      enrolmentId = inserted!.id;
      enrolments.set(enrolmentKey, enrolmentId);
    }

    await trx('convention')
      .where({ id: row.id })
      .update({
        student_id: studentId,
        enrolment_id: enrolmentId,
        student_address: null,
        student_postal_code: null,
        student_town: null,
        student_country: null,
        student_phone: null,
        student_mobile_phone: null,
        student_personal_email: null,
        social_security_number: null,
        cpam_office: null,
        created_by: loginOrAnonymous('created_by', row.login),
        submitted_by: loginOrAnonymous('submitted_by', row.login),
        updated_by: run.actorLogin,
        updated_at: trx.fn.now(),
        version: trx.raw('version + 1'),
        anonymised_at: trx.fn.now(),
      });
    await trx('amendment')
      .where({ convention_id: row.id })
      .update({
        reason: text,
        termination_comment: trx.raw('CASE WHEN termination_comment IS NULL THEN NULL ELSE ? END', [text]),
        other: trx.raw('CASE WHEN other IS NULL THEN NULL ELSE ? END', [text]),
        created_by: loginOrAnonymous('created_by', row.login),
        updated_by: loginOrAnonymous('updated_by', row.login),
        validated_by: loginOrAnonymous('validated_by', row.login),
      });
    await trx('convention_transition')
      .where({ convention_id: row.id })
      .update({ reason: trx.raw('CASE WHEN reason IS NULL THEN NULL ELSE ? END', [text]), actor_login: loginOrAnonymous('actor_login', row.login) });
    await trx('audit_log')
      .where((about) =>
        about
          .where({ entity: 'convention', entity_id: String(row.id) })
          .orWhere((amendment) =>
            amendment.where({ entity: 'amendment' }).whereIn('entity_id', trx('amendment').where({ convention_id: row.id }).select(trx.raw('id::text'))),
          ),
      )
      .update({ before: removed('before'), after: removed('after'), actor_login: loginOrAnonymous('actor_login', row.login) });
    await trx('notification').where({ convention_id: row.id }).delete();
  }

  await audit(trx, {
    actorLogin: run.actorLogin,
    requestId: run.requestId,
    action: 'privacy.anonymise.conventions',
    entity: 'convention',
    after: { cutoff: run.cutoff, ids: rows.map((row) => row.id) },
  });
  return rows.length;
}

async function anonymiseStudentBatch(trx: Knex.Transaction, run: AnonymisationRun, batchSize: number): Promise<number> {
  const rows = (await pendingStudents(trx, run.cutoff).orderBy('s.id').limit(batchSize).forUpdate().skipLocked().select('s.id', 's.login')) as {
    id: number;
    login: string;
  }[];
  if (rows.length === 0) return 0;
  const ids = rows.map((row) => row.id);
  const logins = rows.map((row) => row.login);
  const removed = (column: string) =>
    trx.raw(`CASE WHEN jsonb_typeof(??) = 'object' THEN ?? - ?::text[] ELSE ?? END`, [column, column, STUDENT_AUDIT_KEYS, column]);

  await trx('student')
    .whereIn('id', ids)
    .update({
      // Both are unique: each record gets its own neutral value.
      student_number: trx.raw("'ANONYME-' || id"),
      login: trx.raw("'#anonymised-' || id || '#'"),
      last_name: t('privacy.anonymised.lastName'),
      first_name: t('privacy.anonymised.firstName'),
      birth_date: null,
      email: null,
      personal_email: null,
      phone: null,
      mobile_phone: null,
      address: null,
      postal_code: null,
      town: null,
      country: null,
      anonymised_at: trx.fn.now(),
      updated_at: trx.fn.now(),
    });
  await trx('audit_log')
    .where({ entity: 'student' })
    .whereIn('entity_id', ids.map(String))
    .update({ before: removed('before'), after: removed('after') });
  await trx('audit_log').whereIn('actor_login', logins).update({ actor_login: ANONYMOUS_LOGIN });
  await trx('user_preference').whereIn('login', logins).delete();

  await audit(trx, {
    actorLogin: run.actorLogin,
    requestId: run.requestId,
    action: 'privacy.anonymise.students',
    entity: 'student',
    after: { cutoff: run.cutoff, ids },
  });
  return rows.length;
}
