import { z } from 'zod';
import { lazyMessage } from '../i18n/index.ts';
import { eurosToCents } from '../rules/units.ts';
import { integerInRange } from '../web/form-fields.ts';

/** Calendar years a ceiling can be recorded for: the internships Conventio holds, and the next ones. */
export const RATE_YEARS = { min: 2000, max: 2100 } as const;
/** Far above any hourly ceiling (30 € in 2026), far below what would overflow the column. */
export const MAX_CEILING_EUROS = 1000;

const AMOUNT = /^\d{1,4}(?:[.,]\d{1,2})?$/;

/** The form of /admin/legal-rates: a year and its hourly social-security ceiling, in euros. */
export const legalRateSchema = z.object({
  year: integerInRange(RATE_YEARS.min, RATE_YEARS.max),
  hourly_social_security_ceiling: z
    .string(lazyMessage('common.validation.required'))
    .trim()
    .min(1, lazyMessage('common.validation.required'))
    .regex(AMOUNT, lazyMessage('reference.legalRates.errors.amount'))
    .transform((value) => eurosToCents(value))
    .refine((cents) => cents >= 100 && cents <= MAX_CEILING_EUROS * 100, lazyMessage('reference.legalRates.errors.amountRange', { max: MAX_CEILING_EUROS })),
});
