import { z } from 'zod';
import { lazyMessage } from '../i18n/index.ts';
import { checkbox, optionalText } from '../web/form-fields.ts';
import { parseForm, type FormResult } from '../web/forms.ts';

/**
 * The offer search. Staff: number, title, academic year, type/contract, town, postal codes
 * (separated by `;`), country (France unless another or none is chosen), domain, keywords (words of the
 * title, missions and skills), host type, company-entered offers, state; advanced: activity sector (NAF
 * section of the host), training level, RQTH. Students search the running offers they may see.
 */
const message = (key: string) => lazyMessage(`offers.validation.${key}`);

export const SEARCH_STATES = ['published', 'expired', 'saved', 'filled', 'archived'] as const;
export type SearchState = (typeof SEARCH_STATES)[number];

const text = optionalText(100);
const code = optionalText(20).refine((value) => value === null || /^[A-Za-z0-9_.-]+$/.test(value), message('choose'));

const searchSchema = z.object({
  number: optionalText(10)
    .refine((value) => value === null || /^[1-9][0-9]{0,8}$/.test(value), message('number'))
    .transform((value) => (value === null ? null : Number(value))),
  title: text,
  academic_year: optionalText(9).refine((value) => value === null || /^[0-9]{4}-[0-9]{4}$/.test(value), message('academicYear')),
  offer_type: code,
  contract: code,
  town: text,
  postal_codes: optionalText(200)
    .transform((value) =>
      value === null
        ? []
        : value
            .split(';')
            .map((part) => part.trim().replace(/\s+/g, ''))
            .filter((part) => part !== ''),
    )
    .refine((values) => values.every((value) => /^[0-9A-Z]{2,10}$/i.test(value)), message('postalCodes')),
  // Absent from the address: France by default; sent empty: any country.
  country: z
    .preprocess((value) => (value === undefined ? 'FR' : value), optionalText(2))
    .refine((value) => value === null || /^[A-Z]{2}$/.test(value), message('choose')),
  domain: text,
  keywords: text.transform((value) =>
    value === null
      ? []
      : value
          .split(/\s+/)
          .filter((word) => word.length > 0)
          .slice(0, 10),
  ),
  host_type: code,
  include_company: checkbox,
  state: z.preprocess((value) => (value === undefined || value === '' ? 'published' : value), z.enum(SEARCH_STATES, message('choose'))),
  naf_section: code,
  training_level: code,
  rqth_accessible: checkbox,
  rqth_priority: checkbox,
});
export type OfferSearchCriteria = z.output<typeof searchSchema>;
export const SEARCH_FIELDS = Object.keys(searchSchema.shape) as (keyof OfferSearchCriteria)[];

/** The criteria of the address (`/offers?title=…&state=…`); students' searches are of running offers only. */
export function parseOfferSearch(query: unknown, options: { student: boolean }): FormResult<OfferSearchCriteria> {
  const raw = query && typeof query === 'object' ? (query as Record<string, unknown>) : {};
  const known = Object.fromEntries(SEARCH_FIELDS.map((key) => [key, typeof raw[key] === 'string' ? raw[key] : undefined]));
  const parsed = parseForm(searchSchema, known);
  if (!parsed.ok || !options.student) return parsed;
  return { ok: true, value: { ...parsed.value, state: 'published', include_company: true } };
}

export function pageFrom(value: unknown): number {
  return typeof value === 'string' && /^[1-9][0-9]{0,5}$/.test(value) ? Number(value) : 1;
}
