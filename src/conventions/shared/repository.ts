import type { Knex } from 'knex';
import type { Actor } from '../../access/actor.ts';
import { scopeConventions } from '../../access/policy.ts';
import type { ReferenceChoices, ReferenceListName } from './schemas.ts';
import { containing } from '../../db/text-search.ts';
import { cachedPerDatabase } from '../../db/reference-cache.ts';
import { REFERENCE_LISTS } from './schemas.ts';
import type { Db } from '../../db/knex.ts';

export type ConventionStatus = 'draft' | 'submitted' | 'pedagogically_validated' | 'validated' | 'refused' | 'cancelled';

/** The columns each step of the wizard writes. */
export const STUDENT_COLUMNS = [
  'enrolment_id',
  'student_address',
  'student_postal_code',
  'student_town',
  'student_country',
  'student_phone',
  'student_mobile_phone',
  'student_personal_email',
  'social_security_affiliation',
  'health_insurance_scheme',
  'cpam_office',
] as const;

export const INTERNSHIP_COLUMNS = [
  'convention_type',
  'internship_kind',
  'theme',
  'subject',
  'subject_confidential',
  'activities',
  'skills',
  'start_date',
  'end_date',
  'days_per_week',
  'hours_per_week',
  'working_time',
  'irregular_schedule',
  'night_presence',
  'sunday_presence',
  'holiday_presence',
  'leave_terms',
  'supervision_terms',
  'gratification',
  'gratification_amount_cents',
  'gratification_basis',
  'gratification_per',
  'gratification_payment_mode',
  'gratification_currency',
  'benefits',
  'internship_origin',
  'nature_of_work',
  'validation_mode',
  'print_language',
  'internship_country',
  'total_presence_minutes',
] as const;

export interface ConventionRecord {
  id: number;
  number: number | null;
  status: ConventionStatus;
  student_id: number;
  enrolment_id: number;
  centre_id: number;
  academic_year: string;
  entered_by_staff: boolean;
  offer_id: number | null;
  host_id: number | null;
  service_id: number | null;
  tutor_id: number | null;
  signatory_id: number | null;
  supervisor_teacher_id: number | null;
  student_address: string | null;
  student_postal_code: string | null;
  student_town: string | null;
  student_country: string | null;
  student_phone: string | null;
  student_mobile_phone: string | null;
  student_personal_email: string | null;
  social_security_affiliation: string | null;
  health_insurance_scheme: string | null;
  cpam_office: string | null;
  /** The normalised NIR, only when the institution collects it (src/privacy/nir.ts). */
  social_security_number: string | null;
  /** When the student's personal data was anonymised (src/privacy/anonymisation.ts). */
  anonymised_at: Date | null;
  convention_type: string | null;
  internship_kind: string | null;
  theme: string | null;
  subject: string | null;
  subject_confidential: boolean;
  activities: string | null;
  skills: string | null;
  start_date: string | null;
  end_date: string | null;
  /** NUMERIC, as PostgreSQL writes it ("5.0"). */
  days_per_week: string | null;
  /** NUMERIC, as PostgreSQL writes it ("35.00"). */
  hours_per_week: string | null;
  working_time: string | null;
  irregular_schedule: boolean;
  night_presence: boolean;
  sunday_presence: boolean;
  holiday_presence: boolean;
  leave_terms: string | null;
  supervision_terms: string | null;
  gratification: boolean | null;
  gratification_amount_cents: number | null;
  gratification_basis: string | null;
  gratification_per: 'hour' | 'month' | null;
  gratification_payment_mode: string | null;
  gratification_currency: string | null;
  benefits: string | null;
  internship_origin: string | null;
  nature_of_work: string | null;
  validation_mode: string | null;
  print_language: string | null;
  internship_country: string | null;
  total_presence_minutes: number | null;
  completed_steps: string[];
  submitted_at: Date | null;
  submitted_by: string | null;
  version: number;
  created_at: Date;
  created_by: string | null;
  updated_at: Date;
  updated_by: string | null;
}

/** A convention with what its pages show of the people and the centre around it. */
export interface ConventionDetails extends ConventionRecord {
  student_number: string;
  student_last_name: string;
  student_first_name: string;
  student_birth_date: string | null;
  student_email: string | null;
  faculty_code: string;
  faculty_label: string;
  step_code: string;
  step_label: string;
  centre_name: string;
  centre_tutor_mandatory: boolean;
  centre_supervisor_mandatory: boolean;
  centre_students_may_enter_tutor: boolean;
  centre_students_may_create: boolean;
  centre_overlapping_internships_allowed: boolean;
  centre_pedagogical_validation_required: boolean;
  supervisor_last_name: string | null;
  supervisor_first_name: string | null;
  supervisor_department: string | null;
  interruptions: { start: string; end: string }[];
}

/** The conventions the actor may see (the access policy's `scopeConventions`): the only door of routes to the table. */
export function visibleConventions(db: Db, actor: Actor): Knex.QueryBuilder {
  return scopeConventions(db('convention as c'), actor);
}

function detailsQuery(db: Db, actor: Actor): Knex.QueryBuilder {
  return visibleConventions(db, actor)
    .join('student as s', 's.id', 'c.student_id')
    .join('enrolment as e', 'e.id', 'c.enrolment_id')
    .join('faculty as f', 'f.code', 'e.faculty_code')
    .join('study_step as st', 'st.code', 'e.step_code')
    .join('centre as ce', 'ce.id', 'c.centre_id')
    .leftJoin('teacher as t', 't.id', 'c.supervisor_teacher_id')
    .select(
      'c.*',
      's.student_number',
      's.last_name as student_last_name',
      's.first_name as student_first_name',
      's.birth_date as student_birth_date',
      's.email as student_email',
      'e.faculty_code',
      'f.label as faculty_label',
      'e.step_code',
      'st.label as step_label',
      'ce.name as centre_name',
      'ce.tutor_mandatory as centre_tutor_mandatory',
      'ce.supervisor_mandatory as centre_supervisor_mandatory',
      'ce.students_may_enter_tutor as centre_students_may_enter_tutor',
      'ce.students_may_create as centre_students_may_create',
      'ce.overlapping_internships_allowed as centre_overlapping_internships_allowed',
      'ce.pedagogical_validation_required as centre_pedagogical_validation_required',
      't.last_name as supervisor_last_name',
      't.first_name as supervisor_first_name',
      't.department as supervisor_department',
      db.raw(
        `COALESCE((SELECT json_agg(json_build_object('start', i.start_date, 'end', i.end_date) ORDER BY i.position)
          FROM convention_interruption i WHERE i.convention_id = c.id), '[]') AS interruptions`,
      ),
    );
}

export type ConventionKey = { id: number } | { number: number };

/** A convention the actor may see, by draft id or by number; `lock` holds the row until the end of the transaction. */
export async function findVisibleConvention(
  db: Db,
  actor: Actor,
  key: ConventionKey,
  options: { lock?: boolean } = {},
): Promise<ConventionDetails | undefined> {
  const query = detailsQuery(db, actor);
  if ('id' in key) query.where('c.id', key.id).where('c.status', 'draft');
  else query.where('c.number', key.number);
  if (options.lock) query.forUpdate('c');
  return (await query.first()) as ConventionDetails | undefined;
}

/** Locks the convention's row until the end of the transaction if it is still at `version`; false when someone saved it since. */
export async function lockAtVersion(trx: Knex.Transaction, id: number, version: number): Promise<boolean> {
  return (await trx('convention').where({ id, version }).forUpdate().first('id')) !== undefined;
}

export async function insertConvention(db: Db, columns: Record<string, unknown>, login: string): Promise<number> {
  const [row] = (await db('convention')
    .insert({ ...columns, created_by: login, updated_by: login })
    .returning('id')) as { id: number }[];
  return row!.id;
}

/** Saves columns if nobody saved the convention since `version`; false when someone did. */
export async function updateConvention(db: Db, id: number, version: number, columns: Record<string, unknown>, login: string): Promise<boolean> {
  const count = await db('convention')
    .where({ id, version })
    .update({ ...columns, version: db.raw('version + 1'), updated_at: db.fn.now(), updated_by: login });
  return count === 1;
}

export async function replaceInterruptions(db: Db, conventionId: number, interruptions: readonly { start: string; end: string }[]): Promise<void> {
  await db('convention_interruption').where({ convention_id: conventionId }).delete();
  if (interruptions.length > 0) {
    await db('convention_interruption').insert(
      interruptions.map((interruption, position) => ({ convention_id: conventionId, start_date: interruption.start, end_date: interruption.end, position })),
    );
  }
}

export async function deleteConventionRow(db: Db, id: number): Promise<void> {
  await db('convention').where({ id }).delete();
}

export async function nextConventionNumber(db: Db): Promise<number> {
  const result = (await db.raw("SELECT nextval('convention_number_seq')::int AS number")) as { rows: { number: number }[] };
  return result.rows[0]!.number;
}

// ---------------------------------------------------------------------------------------------------
// What the legal checks need of the student's other conventions. Only figures go out, never rows:
// the caller has already opened the convention being checked.
// ---------------------------------------------------------------------------------------------------

const COUNTED = ['submitted', 'pedagogically_validated', 'validated'];

export interface OtherConventionFacts {
  sameHost: { reference: string; minutes: number }[];
  dates: { reference: string; startDate: string; endDate: string }[];
}

export async function otherConventionFacts(
  db: Db,
  convention: { id: number; student_id: number; host_id: number | null; academic_year: string },
): Promise<OtherConventionFacts> {
  const rows = (await db('convention')
    .where({ student_id: convention.student_id })
    .whereNot({ id: convention.id })
    .whereIn('status', COUNTED)
    .whereNotNull('start_date')
    .select('number', 'host_id', 'academic_year', 'start_date', 'end_date', 'total_presence_minutes')) as {
    number: number;
    host_id: number | null;
    academic_year: string;
    start_date: string;
    end_date: string;
    total_presence_minutes: number | null;
  }[];
  const reference = (row: { number: number }) => `n° ${row.number}`;
  return {
    sameHost: rows
      .filter((row) => convention.host_id !== null && row.host_id === convention.host_id && row.academic_year === convention.academic_year)
      .map((row) => ({ reference: reference(row), minutes: row.total_presence_minutes ?? 0 })),
    dates: rows.map((row) => ({ reference: reference(row), startDate: row.start_date, endDate: row.end_date })),
  };
}

/** Current interns (conventions not ended on `today`) of a tutor or an academic supervisor, the given convention excluded. */
export async function currentInternCount(
  db: Db,
  column: 'tutor_id' | 'supervisor_teacher_id',
  personId: number,
  excludedId: number,
  today: string,
): Promise<number> {
  const row = (await db('convention')
    .where(column, personId)
    .whereNot('id', excludedId)
    .whereIn('status', COUNTED)
    .where('end_date', '>=', today)
    .count({ count: '*' })
    .first()) as { count: number } | undefined;
  return Number(row?.count ?? 0);
}

// ---------------------------------------------------------------------------------------------------
// Reference data and legal parameters
// ---------------------------------------------------------------------------------------------------

export const loadReferenceChoices = cachedPerDatabase(async (db: Db): Promise<ReferenceChoices> => {
  const rows = (await db('reference_item')
    .whereIn('list', REFERENCE_LISTS as unknown as string[])
    .where({ active: true })
    .orderBy(['list', 'position'])
    .select('list', 'code', 'label')) as { list: ReferenceListName; code: string; label: string }[];
  const choices = Object.fromEntries(REFERENCE_LISTS.map((list) => [list, [] as { code: string; label: string }[]])) as ReferenceChoices;
  for (const row of rows) choices[row.list].push({ code: row.code, label: row.label });
  return choices;
});

export async function loadLegalParameterRows(
  db: Db,
): Promise<{ parameters: Record<string, unknown>; rates: { year: number; minimum_hourly_gratification: string }[] }> {
  const [parameterRows, rates] = await Promise.all([
    db('legal_parameter').select('key', 'value') as Promise<{ key: string; value: unknown }[]>,
    db('legal_yearly_rate').select('year', 'minimum_hourly_gratification').orderBy('year') as Promise<{ year: number; minimum_hourly_gratification: string }[]>,
  ]);
  return { parameters: Object.fromEntries(parameterRows.map((row) => [row.key, row.value])), rates };
}

// ---------------------------------------------------------------------------------------------------
// Students and teachers, for staff creating a convention and for step 6
// ---------------------------------------------------------------------------------------------------

export interface StudentCandidate {
  id: number;
  student_number: string;
  last_name: string;
  first_name: string;
  birth_date: string | null;
}

export interface EnrolmentRow {
  id: number;
  student_id: number;
  academic_year: string;
  faculty_code: string;
  step_code: string;
  faculty_label: string;
  step_label: string;
}

/** Students whose number is the search, or whose name contains it (accent- and case-insensitive). */
export async function searchStudents(db: Db, search: string, limit: number): Promise<StudentCandidate[]> {
  return (
    (await db('student')
      // Anonymised records stand for nobody: no new convention starts from them.
      .whereNull('anonymised_at')
      .where((match) =>
        match
          .where('student_number', search)
          .orWhereRaw("immutable_unaccent(lower(last_name || ' ' || first_name)) LIKE immutable_unaccent(lower(?))", [containing(search)])
          .orWhereRaw("immutable_unaccent(lower(first_name || ' ' || last_name)) LIKE immutable_unaccent(lower(?))", [containing(search)]),
      )
      .orderBy(['last_name', 'first_name', 'id'])
      .limit(limit)
      .select('id', 'student_number', 'last_name', 'first_name', 'birth_date')) as StudentCandidate[]
  );
}

export async function findStudent(db: Db, id: number) {
  return (await db('student')
    .where({ id })
    .first(
      'id',
      'student_number',
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
    )) as
    | (StudentCandidate & {
        email: string | null;
        personal_email: string | null;
        phone: string | null;
        mobile_phone: string | null;
        address: string | null;
        postal_code: string | null;
        town: string | null;
        country: string | null;
      })
    | undefined;
}

export async function enrolmentsOf(db: Db, studentIds: readonly number[]): Promise<EnrolmentRow[]> {
  if (studentIds.length === 0) return [];
  return (await db('enrolment as e')
    .join('faculty as f', 'f.code', 'e.faculty_code')
    .join('study_step as s', 's.code', 'e.step_code')
    .whereIn('e.student_id', studentIds)
    .orderBy([{ column: 'e.academic_year', order: 'desc' }, 's.label'])
    .select('e.id', 'e.student_id', 'e.academic_year', 'e.faculty_code', 'e.step_code', 'f.label as faculty_label', 's.label as step_label')) as EnrolmentRow[];
}

export async function findTeacher(db: Db, id: number) {
  return (await db('teacher').where({ id }).first('id', 'last_name', 'first_name', 'department', 'email')) as
    { id: number; last_name: string; first_name: string; department: string | null; email: string | null } | undefined;
}

// ---------------------------------------------------------------------------------------------------
// The history of the validation workflow. Callers have opened the convention (scoped by the actor)
// before reading or writing its history.
// ---------------------------------------------------------------------------------------------------

export interface TransitionRow {
  id: number;
  convention_id: number;
  action: string;
  from_status: ConventionStatus;
  to_status: ConventionStatus;
  actor_login: string;
  /** The person's name when the directories know the login. */
  actor_name: string | null;
  reason: string | null;
  at: Date;
}

export async function insertTransition(
  db: Db,
  row: { conventionId: number; action: string; from: ConventionStatus; to: ConventionStatus; actorLogin: string; reason?: string | null },
): Promise<void> {
  await db('convention_transition').insert({
    convention_id: row.conventionId,
    action: row.action,
    from_status: row.from,
    to_status: row.to,
    actor_login: row.actorLogin,
    reason: row.reason ?? null,
  });
}

/** The transitions of an opened convention, oldest first, with the names of the people. */
export async function transitionsOf(db: Db, conventionId: number): Promise<TransitionRow[]> {
  return (await db('convention_transition as tr')
    .where('tr.convention_id', conventionId)
    .select(
      'tr.*',
      db.raw(`COALESCE(
        (SELECT first_name || ' ' || last_name FROM staff WHERE login = tr.actor_login LIMIT 1),
        (SELECT first_name || ' ' || last_name FROM teacher WHERE login = tr.actor_login LIMIT 1),
        (SELECT first_name || ' ' || last_name FROM student WHERE login = tr.actor_login LIMIT 1)) AS actor_name`),
    )
    .orderBy([{ column: 'tr.at' }, { column: 'tr.id' }])) as TransitionRow[];
}

/** The latest transition of an opened convention into `status` (e.g. its validation, its refusal). */
export async function latestTransitionTo(db: Db, conventionId: number, status: ConventionStatus): Promise<TransitionRow | undefined> {
  return (await db('convention_transition as tr')
    .where({ 'tr.convention_id': conventionId, 'tr.to_status': status })
    .orderBy([
      { column: 'tr.at', order: 'desc' },
      { column: 'tr.id', order: 'desc' },
    ])
    .first('tr.*', db.raw('NULL AS actor_name'))) as TransitionRow | undefined;
}

export interface AttentionRow {
  id: number;
  number: number;
  status: ConventionStatus;
  student_id: number;
  centre_id: number;
  supervisor_teacher_id: number | null;
  start_date: string;
  end_date: string;
  subject: string | null;
  student_last_name: string;
  student_first_name: string;
  centre_name: string;
  pedagogical_validation_required: boolean;
  alert_delay_days: number;
}

/**
 * Conventions the actor sees that are on their way to validation (submitted or pedagogically validated)
 * or refused, starting from `today` on, soonest first: the candidates of the staff home page.
 */
export async function pendingVisibleConventions(db: Db, actor: Actor, today: string, limit: number): Promise<AttentionRow[]> {
  return (await visibleConventions(db, actor)
    .join('student as s', 's.id', 'c.student_id')
    .join('centre as ce', 'ce.id', 'c.centre_id')
    .whereIn('c.status', ['submitted', 'pedagogically_validated', 'refused'])
    .where('c.end_date', '>=', today)
    .orderBy([{ column: 'c.start_date' }, { column: 'c.number' }])
    .limit(limit)
    .select(
      'c.id',
      'c.number',
      'c.status',
      'c.student_id',
      'c.centre_id',
      'c.supervisor_teacher_id',
      'c.start_date',
      'c.end_date',
      'c.subject',
      's.last_name as student_last_name',
      's.first_name as student_first_name',
      'ce.name as centre_name',
      'ce.pedagogical_validation_required',
      'ce.alert_delay_days',
    )) as AttentionRow[];
}
