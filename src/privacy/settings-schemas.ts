import { z } from 'zod';
import { lazyMessage } from '../i18n/index.ts';
import { checkbox, integerInRange, optionalText } from '../web/form-fields.ts';

export const RETENTION_YEARS = { min: 1, max: 50 } as const;
/** A notice of a few pages; far above any real text, far below what would weigh on every page view. */
export const PAGE_TEXT_MAX_LENGTH = 20000;

/** The settings form of /admin/settings. An emptied text goes back to the catalogue's default. */
export const settingsSchema = z.object({
  version: z
    .string(lazyMessage('privacy.settings.errors.version'))
    .regex(/^[1-9][0-9]{0,8}$/, lazyMessage('privacy.settings.errors.version'))
    .transform(Number),
  retention_years: integerInRange(RETENTION_YEARS.min, RETENTION_YEARS.max),
  collect_social_security_number: checkbox,
  privacy_notice: optionalText(PAGE_TEXT_MAX_LENGTH),
  accessibility_statement: optionalText(PAGE_TEXT_MAX_LENGTH),
});
export type SettingsForm = z.output<typeof settingsSchema>;

/** The confirmation of the anonymisation: a box to tick, so that a stray click does nothing. */
export const anonymisationSchema = z.object({
  confirm: z.literal('on', lazyMessage('privacy.anonymisation.errors.confirm')),
});
