import type { Knex } from 'knex';
import { labelsOf, type AmendmentValues } from './repository.ts';
import type { EffectiveValues } from '../shared/effective-values.ts';
import { display } from '../shared/presenter.ts';

/** The rows "value: before → after" of an amendment, as the pages show them. */
export async function changeRows(
  knex: Knex,
  t: (key: string, params?: Record<string, string | number>) => string,
  amendment: AmendmentValues,
  before: EffectiveValues,
) {
  const labels = await labelsOf(knex, {
    services: [amendment.service_id, before.service_id].filter((id): id is number => id !== null),
    contacts: [amendment.tutor_id, before.tutor_id].filter((id): id is number => id !== null),
    teachers: [amendment.supervisor_teacher_id, before.supervisor_teacher_id].filter((id): id is number => id !== null),
  });
  const period = (start: string | null, end: string | null) =>
    start && end ? t('conventions.list.datesRange', { start: display.date(start), end: display.date(end) }) : '';
  const ranges = (list: readonly { start: string; end: string }[]) =>
    list.length === 0 ? t('conventions.amendments.none') : list.map((range) => period(range.start, range.end)).join(' ; ');
  const money = (paid: boolean | null, cents: number | null, per: string | null, basis: string | null) =>
    paid
      ? `${display.euros(cents)} ${basis === 'BRUT' ? 'brut' : 'net'} ${t(per === 'hour' ? 'conventions.internship.perHour' : 'conventions.internship.perMonth')}`
      : t('common.no');
  const rows: { label: string; before: string; after: string }[] = [];
  const add = (key: string, was: string, now: string) => rows.push({ label: t(`conventions.amendments.fields.${key}`), before: was, after: now });
  if (amendment.termination_date)
    add(
      'termination',
      period(before.start_date, before.end_date),
      display.date(amendment.termination_date) + (amendment.termination_comment ? ` — ${amendment.termination_comment}` : ''),
    );
  if (amendment.start_date && amendment.end_date) add('dates', period(before.start_date, before.end_date), period(amendment.start_date, amendment.end_date));
  if (amendment.interruptions) add('interruptions', ranges(before.interruptions), ranges(amendment.interruptions));
  if (amendment.total_presence_minutes !== null) add('hours', display.hours(before.total_presence_minutes), display.hours(amendment.total_presence_minutes));
  if (amendment.subject !== null) add('subject', before.subject ?? '', amendment.subject);
  if (amendment.gratification_changed) {
    add(
      'gratification',
      money(before.gratification, before.gratification_amount_cents, before.gratification_per, before.gratification_basis),
      money(amendment.gratification, amendment.gratification_amount_cents, amendment.gratification_per, amendment.gratification_basis),
    );
  }
  if (amendment.service_id !== null) add('service', labels.services.get(before.service_id ?? 0) ?? '', labels.services.get(amendment.service_id) ?? '');
  if (amendment.tutor_id !== null) add('tutor', labels.contacts.get(before.tutor_id ?? 0) ?? '', labels.contacts.get(amendment.tutor_id) ?? '');
  if (amendment.supervisor_teacher_id !== null)
    add('supervisor', labels.teachers.get(before.supervisor_teacher_id ?? 0) ?? '', labels.teachers.get(amendment.supervisor_teacher_id) ?? '');
  if (amendment.other !== null) add('other', '', amendment.other);
  return rows;
}
