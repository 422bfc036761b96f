import type { AmendmentRow, AmendmentValues } from '../amendments/repository.ts';
import type { ConventionRecord } from './repository.ts';

export interface EffectiveValues {
  start_date: string | null;
  end_date: string | null;
  interruptions: { start: string; end: string }[];
  subject: string | null;
  gratification: boolean | null;
  gratification_amount_cents: number | null;
  gratification_per: 'hour' | 'month' | null;
  gratification_basis: string | null;
  service_id: number | null;
  tutor_id: number | null;
  supervisor_teacher_id: number | null;
  /** The date a termination ends the internship (the effective end date is then no later). */
  termination_date: string | null;
  total_presence_minutes: number | null;
  /** The values that differ from the original convention because of an amendment. */
  amended: string[];
}

type EffectiveBase = Pick<
  ConventionRecord,
  | 'start_date'
  | 'end_date'
  | 'subject'
  | 'gratification'
  | 'gratification_amount_cents'
  | 'gratification_per'
  | 'gratification_basis'
  | 'service_id'
  | 'tutor_id'
  | 'supervisor_teacher_id'
  | 'total_presence_minutes'
> & { interruptions: { start: string; end: string }[] };

/** Interruptions kept within a period that ends on `end`. */
export function clipInterruptions(interruptions: readonly { start: string; end: string }[], end: string | null): { start: string; end: string }[] {
  if (end === null) return [...interruptions];
  return interruptions.filter((range) => range.start <= end).map((range) => (range.end > end ? { start: range.start, end } : { ...range }));
}

/**
 * The convention's effective values: its own, changed by its validated amendments applied in order of
 * their numbers (amendments not validated are ignored). A termination shortens the end date.
 * The database computes the same for the stored `effective_*` columns (convention_derive_effective_values
 * in migrations/20261205090200_conventions.ts): a change of these rules goes there too.
 */
export function effectiveValues(
  convention: EffectiveBase,
  amendments: readonly Pick<AmendmentRow, keyof AmendmentValues | 'number' | 'status'>[],
): EffectiveValues {
  const values: EffectiveValues = {
    start_date: convention.start_date,
    end_date: convention.end_date,
    interruptions: [...convention.interruptions],
    subject: convention.subject,
    gratification: convention.gratification,
    gratification_amount_cents: convention.gratification_amount_cents,
    gratification_per: convention.gratification_per,
    gratification_basis: convention.gratification_basis,
    service_id: convention.service_id,
    tutor_id: convention.tutor_id,
    supervisor_teacher_id: convention.supervisor_teacher_id,
    termination_date: null,
    total_presence_minutes: convention.total_presence_minutes,
    amended: [],
  };
  const amended = new Set<string>();
  const set = <K extends keyof EffectiveValues>(key: K, value: EffectiveValues[K]) => {
    values[key] = value;
    amended.add(key);
  };
  for (const amendment of [...amendments].filter((row) => row.status === 'validated').sort((a, b) => a.number - b.number)) {
    if (amendment.kind === 'termination' && amendment.termination_date) {
      set('termination_date', amendment.termination_date);
      if (values.end_date === null || amendment.termination_date < values.end_date) set('end_date', amendment.termination_date);
      values.interruptions = clipInterruptions(values.interruptions, values.end_date);
    }
    if (amendment.start_date && amendment.end_date) {
      set('start_date', amendment.start_date);
      set('end_date', amendment.end_date);
    }
    if (amendment.interruptions) set('interruptions', [...amendment.interruptions]);
    if (amendment.total_presence_minutes !== null) set('total_presence_minutes', amendment.total_presence_minutes);
    if (amendment.subject !== null) set('subject', amendment.subject);
    if (amendment.gratification_changed) {
      set('gratification', amendment.gratification);
      set('gratification_amount_cents', amendment.gratification_amount_cents);
      set('gratification_per', amendment.gratification_per);
      set('gratification_basis', amendment.gratification_basis);
    }
    if (amendment.service_id !== null) set('service_id', amendment.service_id);
    if (amendment.tutor_id !== null) set('tutor_id', amendment.tutor_id);
    if (amendment.supervisor_teacher_id !== null) set('supervisor_teacher_id', amendment.supervisor_teacher_id);
  }
  values.amended = [...amended];
  return values;
}
