import { z } from 'zod';
import { t, lazyMessage } from '../i18n/index.ts';
import { maskNir, normaliseNir, validateNir } from '../rules/nir.ts';

/**
 * The social-security number (NIR) around the rule of src/rules/nir.ts: the form field, how pages,
 * exports and the audit log show it. Collected only when the institution turns it on (décret
 * 2019-341); shown in full only to the student and to the staff who may edit the convention.
 */

export const NIR_COLUMN = 'social_security_number';
/** 15 characters, plus the spaces people type between the groups. */
const NIR_INPUT_MAX_LENGTH = 30;

/** The optional NIR field of the student step; an empty field is no NIR. */
const nirField = z.preprocess(
  (value) => (typeof value === 'string' ? value : ''),
  z
    .string()
    .max(NIR_INPUT_MAX_LENGTH, lazyMessage('privacy.nir.errors.format'))
    .transform((value, context) => {
      const check = validateNir(value);
      if (check.valid) return check.value;
      if (check.reason === 'empty') return null;
      context.addIssue({ code: 'custom', message: t(`privacy.nir.errors.${check.reason}`) });
      return z.NEVER;
    }),
);

/** The field exists only when the institution collects the NIR; otherwise whatever is posted is dropped. */
export const nirFieldWhen = (collected: boolean): z.ZodType<string | null | undefined> =>
  collected
    ? nirField
    : z
        .unknown()
        .optional()
        .transform(() => undefined);

/** "1 85 05 78 006 084 36": the groups of the card. */
export function formatNir(value: string): string {
  const nir = normaliseNir(value);
  if (nir.length !== 15) return nir;
  return [nir.slice(0, 1), nir.slice(1, 3), nir.slice(3, 5), nir.slice(5, 7), nir.slice(7, 10), nir.slice(10, 13), nir.slice(13)].join(' ');
}

/** The NIR as a page shows it: in full to those who may see it, masked to the others. */
export function displayNir(value: string | null | undefined, full: boolean): string {
  if (!value) return '';
  return full ? formatNir(value) : maskNir(value);
}

/** The masked NIR in SQL, as `maskNir` writes it, for exports that never carry the full number. */
export const maskedNirSql = (column: string) =>
  `CASE WHEN ${column} IS NOT NULL THEN substr(${column}, 1, 1) || ' ** ** ** *** *** ' || substr(${column}, 14, 2) END`;

/** An audit record keeps the NIR masked: the log is append-only, it must not hold what can be withdrawn. */
export function maskedForAudit<T>(record: T): T {
  if (!record || typeof record !== 'object' || !(NIR_COLUMN in record)) return record;
  const value = (record as Record<string, unknown>)[NIR_COLUMN];
  return { ...record, [NIR_COLUMN]: typeof value === 'string' ? maskNir(value) : value };
}
