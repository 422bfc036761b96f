import { z } from 'zod';
import { lazyMessage } from '../../i18n/index.ts';
import { checkbox, optionalText, requiredText } from '../../web/form-fields.ts';

/** The amendment form: a field left empty is "not changed"; dates and gratification are changed by their box. */
export const AMENDMENT_INTERRUPTION_ROWS = 2;
export const AMENDMENT_TEXT_MAX = 2000;

const CHOOSE = lazyMessage('common.validation.choose');

const empty = (value: unknown) => value === undefined || value === null || (typeof value === 'string' && value.trim() === '');

const optionalDate = z.preprocess(
  (value) => (empty(value) ? null : typeof value === 'string' ? value.trim() : value),
  z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/, lazyMessage('conventions.amendments.errors.dateFormat'))
    .nullable(),
);

const optionalId = z.preprocess((value) => (empty(value) ? null : value), z.coerce.number(CHOOSE).int(CHOOSE).positive(CHOOSE).max(2147483647).nullable());

const optionalAmount = z.preprocess(
  (value) => (empty(value) ? null : typeof value === 'string' ? value.trim().replace(',', '.') : value),
  z
    .string()
    .regex(/^\d{1,6}(\.\d{1,2})?$/, lazyMessage('conventions.amendments.errors.amountFormat'))
    .transform((value) => Math.round(Number(value) * 100))
    .nullable(),
);

const interruptionFields = Object.fromEntries(
  Array.from({ length: AMENDMENT_INTERRUPTION_ROWS }, (_, index) => [
    [`interruption_${index + 1}_start`, optionalDate],
    [`interruption_${index + 1}_end`, optionalDate],
  ]).flat(),
) as Record<`interruption_${number}_${'start' | 'end'}`, typeof optionalDate>;

export const amendmentFormSchema = z.object({
  kind: z.enum(['termination', 'changes'], lazyMessage('conventions.amendments.errors.kind')),
  reason: requiredText(AMENDMENT_TEXT_MAX),
  termination_date: optionalDate,
  termination_comment: optionalText(AMENDMENT_TEXT_MAX),
  change_dates: checkbox,
  start_date: optionalDate,
  end_date: optionalDate,
  ...interruptionFields,
  subject: optionalText(AMENDMENT_TEXT_MAX),
  change_gratification: checkbox,
  gratification: z.preprocess(
    (value) => (empty(value) ? null : value),
    z.enum(['yes', 'no'], lazyMessage('conventions.amendments.errors.gratification')).nullable(),
  ),
  gratification_amount: optionalAmount,
  gratification_per: z.preprocess(
    (value) => (empty(value) ? null : value),
    z.enum(['hour', 'month'], lazyMessage('conventions.amendments.errors.perChoice')).nullable(),
  ),
  gratification_basis: z.preprocess(
    (value) => (empty(value) ? null : value),
    z.enum(['NET', 'BRUT'], lazyMessage('conventions.amendments.errors.basisChoice')).nullable(),
  ),
  service_id: optionalId,
  tutor_id: optionalId,
  supervisor_teacher_id: optionalId,
  other: optionalText(AMENDMENT_TEXT_MAX),
  validate_now: checkbox,
  confirmed: checkbox,
});

export type AmendmentForm = z.output<typeof amendmentFormSchema>;

/** The typed interruptions of the form, in order, rows left empty skipped. */
export function formInterruptions(form: AmendmentForm): { start: string | null; end: string | null; row: number }[] {
  const rows: { start: string | null; end: string | null; row: number }[] = [];
  for (let row = 1; row <= AMENDMENT_INTERRUPTION_ROWS; row += 1) {
    const start = (form as Record<string, unknown>)[`interruption_${row}_start`] as string | null;
    const end = (form as Record<string, unknown>)[`interruption_${row}_end`] as string | null;
    if (start !== null || end !== null) rows.push({ start, end, row });
  }
  return rows;
}
