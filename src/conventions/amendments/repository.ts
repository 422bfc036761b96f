import type { Db } from '../../db/knex.ts';
import type { OtherConventionFacts } from '../shared/repository.ts';

/**
 * The amendment table (migrations/20261205090200_conventions.ts). Callers have opened the convention
 * (scoped by the actor) before reading or writing its amendments.
 */
export type AmendmentStatus = 'submitted' | 'validated';
export type AmendmentKind = 'termination' | 'changes';

export interface AmendmentRow {
  id: number;
  convention_id: number;
  number: number;
  status: AmendmentStatus;
  kind: AmendmentKind;
  reason: string;
  termination_date: string | null;
  termination_comment: string | null;
  start_date: string | null;
  end_date: string | null;
  interruptions: { start: string; end: string }[] | null;
  total_presence_minutes: number | null;
  subject: string | null;
  gratification_changed: boolean;
  gratification: boolean | null;
  gratification_amount_cents: number | null;
  gratification_per: 'hour' | 'month' | null;
  gratification_basis: string | null;
  service_id: number | null;
  tutor_id: number | null;
  supervisor_teacher_id: number | null;
  other: string | null;
  version: number;
  created_at: Date;
  created_by: string;
  updated_at: Date;
  updated_by: string;
  validated_at: Date | null;
  validated_by: string | null;
}

/** The columns a creation or an edit writes. */
export const AMENDMENT_VALUE_COLUMNS = [
  'kind',
  'reason',
  'termination_date',
  'termination_comment',
  'start_date',
  'end_date',
  'interruptions',
  'total_presence_minutes',
  'subject',
  'gratification_changed',
  'gratification',
  'gratification_amount_cents',
  'gratification_per',
  'gratification_basis',
  'service_id',
  'tutor_id',
  'supervisor_teacher_id',
  'other',
] as const;

export type AmendmentValues = Pick<AmendmentRow, (typeof AMENDMENT_VALUE_COLUMNS)[number]>;

/** An amendment that changes nothing yet: the form's changes are set on top of it. */
export function unchangedAmendment(kind: AmendmentValues['kind'], reason: string): AmendmentValues {
  return {
    kind,
    reason,
    termination_date: null,
    termination_comment: null,
    start_date: null,
    end_date: null,
    interruptions: null,
    total_presence_minutes: null,
    subject: null,
    gratification_changed: false,
    gratification: null,
    gratification_amount_cents: null,
    gratification_per: null,
    gratification_basis: null,
    service_id: null,
    tutor_id: null,
    supervisor_teacher_id: null,
    other: null,
  };
}

function serialised(values: Partial<AmendmentValues>): Record<string, unknown> {
  const row: Record<string, unknown> = { ...values };
  if ('interruptions' in values) row.interruptions = values.interruptions === null ? null : JSON.stringify(values.interruptions);
  return row;
}

export async function amendmentsOf(db: Db, conventionId: number, status?: AmendmentStatus): Promise<AmendmentRow[]> {
  const query = db('amendment').where({ convention_id: conventionId }).orderBy('number');
  if (status) query.where({ status });
  return (await query.select('*')) as AmendmentRow[];
}

export async function findAmendment(db: Db, conventionId: number, number: number, options: { lock?: boolean } = {}): Promise<AmendmentRow | undefined> {
  const query = db('amendment').where({ convention_id: conventionId, number });
  if (options.lock) query.forUpdate();
  return (await query.first()) as AmendmentRow | undefined;
}

export async function hasValidatedAmendment(db: Db, conventionId: number): Promise<boolean> {
  return (await db('amendment').where({ convention_id: conventionId, status: 'validated' }).first('id')) !== undefined;
}

/** The next number of the convention's amendments; the caller holds the convention's row lock. */
export async function nextAmendmentNumber(db: Db, conventionId: number): Promise<number> {
  const row = (await db('amendment').where({ convention_id: conventionId }).max({ max: 'number' }).first()) as { max: number | null } | undefined;
  return (row?.max ?? 0) + 1;
}

export async function insertAmendment(db: Db, conventionId: number, number: number, values: AmendmentValues, login: string): Promise<number> {
  const [row] = (await db('amendment')
    .insert({ ...serialised(values), convention_id: conventionId, number, created_by: login, updated_by: login })
    .returning('id')) as { id: number }[];
  return row!.id;
}

/** Saves columns if nobody saved the amendment since `version`; false when someone did. */
export async function updateAmendment(db: Db, id: number, version: number, columns: Partial<AmendmentRow>, login: string): Promise<boolean> {
  const count = await db('amendment')
    .where({ id, version })
    .update({ ...serialised(columns as Partial<AmendmentValues>), version: db.raw('version + 1'), updated_at: db.fn.now(), updated_by: login });
  return count === 1;
}

export async function deleteAmendmentRow(db: Db, id: number): Promise<void> {
  await db('amendment').where({ id }).delete();
}

/** The services of a host and their contacts (active ones), for the place and tutor choices. */
export async function hostPlaces(
  db: Db,
  hostId: number,
): Promise<{ services: { id: number; name: string }[]; contacts: { id: number; service_id: number | null; label: string }[] }> {
  const [services, contacts] = await Promise.all([
    db('host_service').where({ host_id: hostId }).whereNull('deleted_at').orderBy(['name', 'id']).select('id', 'name') as Promise<
      { id: number; name: string }[]
    >,
    db('host_contact')
      .where({ host_id: hostId })
      .whereNull('deleted_at')
      .orderBy(['last_name', 'first_name', 'id'])
      .select('id', 'service_id', db.raw("first_name || ' ' || last_name AS label")) as Promise<{ id: number; service_id: number | null; label: string }[]>,
  ]);
  return { services, contacts };
}

export async function teacherChoices(db: Db): Promise<{ id: number; label: string }[]> {
  return (await db('teacher')
    .orderBy(['last_name', 'first_name', 'id'])
    .limit(1000)
    .select('id', db.raw("last_name || ' ' || first_name || COALESCE(' (' || department || ')', '') AS label"))) as { id: number; label: string }[];
}

/** Names shown for the services, contacts and teachers an amendment refers to. */
export async function labelsOf(
  db: Db,
  ids: { services: number[]; contacts: number[]; teachers: number[] },
): Promise<{ services: Map<number, string>; contacts: Map<number, string>; teachers: Map<number, string> }> {
  const [services, contacts, teachers] = await Promise.all([
    ids.services.length ? (db('host_service').whereIn('id', ids.services).select('id', 'name as label') as Promise<{ id: number; label: string }[]>) : [],
    ids.contacts.length
      ? (db('host_contact').whereIn('id', ids.contacts).select('id', db.raw("first_name || ' ' || last_name AS label")) as Promise<
          { id: number; label: string }[]
        >)
      : [],
    ids.teachers.length
      ? (db('teacher').whereIn('id', ids.teachers).select('id', db.raw("first_name || ' ' || last_name AS label")) as Promise<{ id: number; label: string }[]>)
      : [],
  ]);
  const map = (rows: { id: number; label: string }[]) => new Map(rows.map((row) => [row.id, row.label]));
  return { services: map(services), contacts: map(contacts), teachers: map(teachers) };
}

/**
 * The validated amendments that change the dates or hours of the student's other conventions: for
 * each, the effective start, end and total minutes of its latest amendment that set them.
 */
export async function effectiveDatesOfOthers(
  db: Db,
  conventionIds: readonly number[],
): Promise<Map<number, { start_date: string | null; end_date: string | null; termination_date: string | null; total_presence_minutes: number | null }[]>> {
  const result = new Map<
    number,
    { start_date: string | null; end_date: string | null; termination_date: string | null; total_presence_minutes: number | null }[]
  >();
  if (conventionIds.length === 0) return result;
  const rows = (await db('amendment')
    .whereIn('convention_id', conventionIds)
    .where({ status: 'validated' })
    .orderBy(['convention_id', 'number'])
    .select('convention_id', 'start_date', 'end_date', 'termination_date', 'total_presence_minutes')) as {
    convention_id: number;
    start_date: string | null;
    end_date: string | null;
    termination_date: string | null;
    total_presence_minutes: number | null;
  }[];
  for (const row of rows) result.set(row.convention_id, [...(result.get(row.convention_id) ?? []), row]);
  return result;
}

/**
 * The facts of the student's other conventions (repository.otherConventionFacts) with their effective
 * dates and hours: a validated amendment's dates, termination and total hours replace the original ones.
 */
export async function effectiveOtherConventionFacts(
  db: Db,
  convention: { id: number; student_id: number; host_id: number | null; academic_year: string },
  original: OtherConventionFacts,
): Promise<OtherConventionFacts> {
  const rows = (await db('convention')
    .where({ student_id: convention.student_id })
    .whereNot({ id: convention.id })
    .whereIn('status', ['submitted', 'pedagogically_validated', 'validated'])
    .whereNotNull('start_date')
    .select('id', 'number')) as { id: number; number: number }[];
  const amendments = await effectiveDatesOfOthers(
    db,
    rows.map((row) => row.id),
  );
  if (amendments.size === 0) return original;
  const byReference = new Map(rows.map((row) => [`n° ${row.number}`, amendments.get(row.id) ?? []]));
  const effective = (reference: string, originalEnd: string | null) => {
    let start: string | null = null;
    let end: string | null = originalEnd;
    let minutes: number | null = null;
    for (const amendment of byReference.get(reference) ?? []) {
      if (amendment.start_date) start = amendment.start_date;
      if (amendment.end_date) end = amendment.end_date;
      if (amendment.termination_date && (end === null || amendment.termination_date < end)) end = amendment.termination_date;
      if (amendment.total_presence_minutes !== null) minutes = amendment.total_presence_minutes;
    }
    return { start, end, minutes };
  };
  return {
    sameHost: original.sameHost.map((row) => ({ ...row, minutes: effective(row.reference, null).minutes ?? row.minutes })),
    dates: original.dates.map((row) => {
      const values = effective(row.reference, row.endDate);
      const startDate = values.start ?? row.startDate;
      let endDate = values.end ?? row.endDate;
      if (endDate < startDate) endDate = startDate;
      return { ...row, startDate, endDate };
    }),
  };
}
