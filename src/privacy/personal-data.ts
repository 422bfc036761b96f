import type { Knex } from 'knex';
import type { Actor } from '../access/actor.ts';

/**
 * Everything Conventio holds about the signed-in person (GDPR right of access, art. 15), as one JSON
 * document: their directory records, a student's enrolments and conventions with their interruptions,
 * history and amendments, their remembered preferences, the notifications sent to them and the audit
 * entries they made or that are about their records. Only the actor's own rows: every query is keyed
 * by the actor's own identifiers, never by anything the request carries.
 */
export interface PersonalData {
  generatedAt: string;
  login: string;
  student: Record<string, unknown> | null;
  teacher: Record<string, unknown> | null;
  staff: Record<string, unknown> | null;
  enrolments: Record<string, unknown>[];
  conventions: Record<string, unknown>[];
  preferences: Record<string, unknown>[];
  notifications: Record<string, unknown>[];
  auditEntries: Record<string, unknown>[];
}

type Row = Record<string, unknown>;

async function studentPart(db: Knex, studentId: number) {
  const [student, enrolments, conventions] = await Promise.all([
    db('student').where({ id: studentId }).first() as Promise<Row>,
    db('enrolment as e')
      .join('faculty as f', 'f.code', 'e.faculty_code')
      .join('study_step as st', 'st.code', 'e.step_code')
      .where('e.student_id', studentId)
      .orderBy(['e.academic_year', 'e.step_code'])
      .select('e.academic_year', 'e.faculty_code', 'f.label as faculty_label', 'e.step_code', 'st.label as step_label') as Promise<Row[]>,
    db('convention').where({ student_id: studentId }).orderBy('id').select('*') as Promise<Row[]>,
  ]);
  const ids = conventions.map((convention) => convention.id as number);
  const [interruptions, transitions, amendments] = await Promise.all([
    db('convention_interruption')
      .whereIn('convention_id', ids)
      .orderBy(['convention_id', 'position'])
      .select('convention_id', 'start_date', 'end_date') as Promise<Row[]>,
    db('convention_transition')
      .whereIn('convention_id', ids)
      .orderBy(['convention_id', 'at', 'id'])
      .select('convention_id', 'action', 'from_status', 'to_status', 'actor_login', 'reason', 'at') as Promise<Row[]>,
    db('amendment').whereIn('convention_id', ids).orderBy(['convention_id', 'number']).select('*') as Promise<Row[]>,
  ]);
  const of = (rows: Row[], id: unknown) => rows.filter((row) => row.convention_id === id).map(({ convention_id: _, ...rest }) => rest);
  return {
    student,
    enrolments,
    conventions: conventions.map((convention) => ({
      ...convention,
      interruptions: of(interruptions, convention.id),
      history: of(transitions, convention.id),
      amendments: of(amendments, convention.id),
    })),
    conventionIds: ids,
    amendmentIds: amendments.map((amendment) => amendment.id as number),
  };
}

export async function personalData(db: Knex, actor: Actor, now: Date = new Date()): Promise<PersonalData> {
  const studentData = actor.studentId === null ? null : await studentPart(db, actor.studentId);
  const [teacher, staff, preferences] = await Promise.all([
    actor.teacherId === null ? null : (db('teacher').where({ id: actor.teacherId }).first() as Promise<Row>),
    actor.staffId === null ? null : (db('staff').where({ id: actor.staffId }).first() as Promise<Row>),
    db('user_preference').where({ login: actor.login }).orderBy('name').select('name', 'value', 'updated_at') as Promise<Row[]>,
  ]);

  const addresses = [studentData?.student, teacher, staff]
    .flatMap((person) => (person ? [person.email, person.personal_email] : []))
    .filter((address): address is string => typeof address === 'string' && address !== '');
  const notifications = (await db('notification')
    .whereIn('recipient', addresses)
    .orderBy('created_at')
    .select('kind', 'recipient', 'subject', 'text_body', 'link', 'status', 'created_at', 'sent_at')) as Row[];

  const auditEntries = (await db('audit_log')
    .where((about) => {
      about.where('actor_login', actor.login);
      if (actor.studentId !== null) about.orWhere({ entity: 'student', entity_id: String(actor.studentId) });
      if (studentData && studentData.conventionIds.length > 0) {
        about.orWhere((query) => query.where({ entity: 'convention' }).whereIn('entity_id', studentData.conventionIds.map(String)));
      }
      if (studentData && studentData.amendmentIds.length > 0) {
        about.orWhere((query) => query.where({ entity: 'amendment' }).whereIn('entity_id', studentData.amendmentIds.map(String)));
      }
    })
    .orderBy('id')
    .select('at', 'actor_login', 'action', 'entity', 'entity_id', 'before', 'after')) as Row[];

  return {
    generatedAt: now.toISOString(),
    login: actor.login,
    student: studentData?.student ?? null,
    teacher,
    staff,
    enrolments: studentData?.enrolments ?? [],
    conventions: studentData?.conventions ?? [],
    preferences,
    notifications,
    auditEntries,
  };
}
