import { t } from '../../i18n/index.ts';
import { requiredText, optionalText } from '../../web/form-fields.ts';

/** zod building blocks for the columns of the directory files, on top of the form ones. */

/** Logins and student numbers end up in addresses and CAS attributes: no spaces, no punctuation games. */
export const identifier = (max: number) =>
  requiredText(max).refine((value) => /^[\p{L}\p{N}._@-]+$/u.test(value), { error: () => t('directory.fields.identifier') });

export const code = requiredText(30).refine((value) => /^[\p{L}\p{N}._-]+$/u.test(value), { error: () => t('directory.fields.code') });

/** The university's systems write dates either way round. */
function isoDate(value: string): string | null {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value) ?? /^(\d{2})\/(\d{2})\/(\d{4})$/.exec(value);
  if (!match) return null;
  const [year, month, day] = value.includes('/') ? [match[3], match[2], match[1]] : [match[1], match[2], match[3]];
  const date = new Date(Date.UTC(Number(year), Number(month) - 1, Number(day)));
  const iso = `${year}-${month}-${day}`;
  return Number(year) >= 1900 && date.toISOString().startsWith(iso) ? iso : null;
}

export const optionalBirthDate = optionalText(50).transform((value, context) => {
  if (value === null) return null;
  const iso = isoDate(value);
  if (iso === null) context.addIssue({ code: 'custom', message: t('directory.fields.date', { value }) });
  // Today in UTC, not in France: a day's difference cannot matter for a student's birth date, and
  // todayInFrance() builds a date formatter per call, too slow for 30,000 lines.
  else if (iso > new Date().toISOString().slice(0, 10)) context.addIssue({ code: 'custom', message: t('directory.fields.futureDate', { value }) });
  return iso;
});

export const academicYear = requiredText(20).refine(
  (value) => {
    const match = /^(\d{4})-(\d{4})$/.exec(value);
    return match !== null && Number(match[2]) === Number(match[1]) + 1 && Number(match[1]) >= 1900;
  },
  { error: () => t('directory.fields.academicYear') },
);
