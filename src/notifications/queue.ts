import type { Knex } from 'knex';
import { message } from './messages.ts';

/**
 * Adds a convention's notifications to the outbox, inside the caller's transaction: they exist if and only
 * if the change they announce is committed. Nothing is sent here — the worker (sender.ts) does it later.
 *
 * Recipients: a submission or a student's change goes to the members of the convention's centre
 * who opted in (`centre_member.notify`) and to the supervising teacher; a validation or a refusal (with its
 * reason) goes to the student; a validated amendment goes to the student and the supervising teacher (the
 * convention's, and the new one when the amendment changes the supervisor).
 */
export type NotificationKind = 'submitted' | 'validated' | 'refused' | 'changed_by_student' | 'amendment_validated';

export interface NotificationEvent {
  kind: NotificationKind;
  conventionId: number;
  actorLogin: string;
  reason?: string;
  /** For `amendment_validated`: the amendment's number within the convention. */
  amendmentNumber?: number;
}

interface ConventionFacts {
  id: number;
  number: number | null;
  centre_id: number;
  supervisor_teacher_id: number | null;
  subject: string | null;
  start_date: string | null;
  end_date: string | null;
  student_first_name: string;
  student_last_name: string;
  student_email: string | null;
  student_personal_email: string | null;
  centre_name: string;
  host_name: string | null;
}

export interface Recipient {
  email: string;
}

function frenchDate(value: string | null): string {
  const match = value ? /^(\d{4})-(\d{2})-(\d{2})$/.exec(value) : null;
  return match ? `${match[3]}/${match[2]}/${match[1]}` : message((c) => c.mail.unknown);
}

async function conventionFacts(db: Knex | Knex.Transaction, conventionId: number): Promise<ConventionFacts | undefined> {
  return (await db('convention as c')
    .join('student as s', 's.id', 'c.student_id')
    .join('centre as ce', 'ce.id', 'c.centre_id')
    .leftJoin('host as h', 'h.id', 'c.host_id')
    .where('c.id', conventionId)
    .first(
      'c.id',
      'c.number',
      'c.centre_id',
      'c.supervisor_teacher_id',
      'c.subject',
      'c.start_date',
      'c.end_date',
      's.first_name as student_first_name',
      's.last_name as student_last_name',
      's.email as student_email',
      's.personal_email as student_personal_email',
      'ce.name as centre_name',
      'h.name as host_name',
    )) as ConventionFacts | undefined;
}

/** Who receives the notification of an event, without duplicates (compared without case) nor empty addresses. */
export async function recipientsFor(
  db: Knex | Knex.Transaction,
  kind: NotificationKind,
  convention: Pick<ConventionFacts, 'centre_id' | 'supervisor_teacher_id' | 'student_email' | 'student_personal_email'>,
  extraTeacherIds: readonly number[] = [],
): Promise<string[]> {
  const addresses: (string | null)[] = [];
  const teacherEmail = async (id: number) => ((await db('teacher').where({ id }).first('email')) as { email: string | null } | undefined)?.email ?? null;
  if (kind === 'amendment_validated') {
    addresses.push(convention.student_email ?? convention.student_personal_email);
    for (const id of [convention.supervisor_teacher_id, ...extraTeacherIds]) if (id !== null) addresses.push(await teacherEmail(id));
  } else if (kind === 'submitted' || kind === 'changed_by_student') {
    const members = (await db('centre_member as m')
      .join('staff as st', 'st.id', 'm.staff_id')
      .where({ 'm.centre_id': convention.centre_id, 'm.notify': true })
      .orderBy('st.last_name')
      .orderBy('st.first_name')
      .select('st.email')) as { email: string | null }[];
    addresses.push(...members.map((member) => member.email));
    if (convention.supervisor_teacher_id !== null) {
      const teacher = (await db('teacher').where({ id: convention.supervisor_teacher_id }).first('email')) as { email: string | null } | undefined;
      addresses.push(teacher?.email ?? null);
    }
  } else {
    addresses.push(convention.student_email ?? convention.student_personal_email);
  }
  const seen = new Set<string>();
  const result: string[] = [];
  for (const address of addresses) {
    const email = address?.trim();
    if (!email || seen.has(email.toLowerCase())) continue;
    seen.add(email.toLowerCase());
    result.push(email);
  }
  return result;
}

async function displayName(db: Knex | Knex.Transaction, login: string): Promise<string> {
  for (const table of ['staff', 'teacher', 'student']) {
    const person = (await db(table).where({ login }).first('first_name', 'last_name')) as { first_name: string; last_name: string } | undefined;
    if (person) return `${person.first_name} ${person.last_name}`;
  }
  return login;
}

export async function queueNotifications(db: Knex | Knex.Transaction, event: NotificationEvent): Promise<void> {
  const convention = await conventionFacts(db, event.conventionId);
  if (!convention) throw new Error(`queueNotifications: convention ${event.conventionId} not found`);
  let amendment: { number: number; reason: string; supervisor_teacher_id: number | null } | undefined;
  if (event.kind === 'amendment_validated') {
    if (event.amendmentNumber === undefined) throw new Error('queueNotifications: amendment_validated needs amendmentNumber');
    amendment = (await db('amendment')
      .where({ convention_id: convention.id, number: event.amendmentNumber })
      .first('number', 'reason', 'supervisor_teacher_id')) as typeof amendment;
    if (!amendment) throw new Error(`queueNotifications: amendment ${event.amendmentNumber} of convention ${event.conventionId} not found`);
  }
  const recipients = await recipientsFor(db, event.kind, convention, amendment?.supervisor_teacher_id ? [amendment.supervisor_teacher_id] : []);
  if (recipients.length === 0) return;

  const student = `${convention.student_first_name} ${convention.student_last_name}`;
  const number = convention.number ?? convention.id;
  const parameters = {
    number,
    student,
    centre: convention.centre_name,
    actor: event.kind === 'submitted' ? await displayName(db, event.actorLogin) : event.actorLogin,
    subject: convention.subject ?? message((c) => c.mail.unknown),
    host: convention.host_name ?? message((c) => c.mail.unknown),
    start: frenchDate(convention.start_date),
    end: frenchDate(convention.end_date),
    reason: (amendment?.reason ?? event.reason)?.trim() ?? '',
    amendment: amendment?.number ?? '',
  };
  const mailSubject = message((c) => c.mail[event.kind].subject, parameters);
  const paragraphs = [message((c) => c.mail.greeting), message((c) => c.mail[event.kind].intro, parameters)];
  if (event.kind === 'refused') {
    paragraphs.push(parameters.reason ? message((c) => c.mail.refused.reason, parameters) : message((c) => c.mail.refused.noReason));
  }
  if (event.kind === 'amendment_validated' && parameters.reason) paragraphs.push(message((c) => c.mail.amendment_validated.reason, parameters));
  paragraphs.push(message((c) => c.mail.details, parameters));
  const body = paragraphs.join('\n\n');
  // A draft has no page of its own under /conventions/<number>; every notified event concerns a created one.
  const page = convention.number === null ? null : `/conventions/${convention.number}`;
  const link = page && amendment ? `${page}/amendments/${amendment.number}` : page;

  // Due from the clock the sender compares with (milliseconds): the database's now(), in microseconds,
  // would be later than a sender's "now" taken within the same millisecond, and the message left a round.
  const dueAt = new Date();
  await db('notification').insert(
    recipients.map((recipient) => ({
      next_attempt_at: dueAt,
      kind: event.kind,
      convention_id: convention.id,
      recipient,
      subject: mailSubject,
      text_body: body,
      link,
      created_by: event.actorLogin,
    })),
  );
}
