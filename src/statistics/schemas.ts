import { z } from 'zod';
import { STATUS_CHOICES } from '../conventions/index.ts';
import type { FieldErrors } from '../web/forms.ts';
import { FIRST_CRITERIA, SECOND_CRITERIA } from './criteria.ts';
import type { StatisticsRequest } from './service.ts';

/**
 * The query string of /statistics and /statistics/export.xlsx. Every parameter is optional: the
 * defaults are the current academic year, faculty × convention type, every status, all the person's
 * centres. A value that cannot be understood — a malformed year, an unknown criterion or status, a
 * centre that is not one of the person's — gets its message (a catalogue key) next to its field,
 * and nothing is counted: a request is never quietly widened.
 */
const MAX_CENTRES = 500;
const ACADEMIC_YEAR = /^(\d{4})-(\d{4})$/;

/** The last value of a parameter given once or repeated; nothing when it is empty. */
function last(value: unknown): string | undefined {
  const chosen = Array.isArray(value) ? value.at(-1) : value;
  return typeof chosen === 'string' && chosen.trim() !== '' ? chosen.trim() : undefined;
}

/** Every value of a repeated parameter; a value that is not text is kept to be refused. */
function every(value: unknown): unknown[] {
  return (Array.isArray(value) ? value : [value]).filter((item) => item !== undefined && item !== '');
}

function statisticsQuerySchema(allowedCentres: readonly number[]) {
  return z.object({
    academicYear: z.preprocess(
      last,
      z
        .string()
        .regex(ACADEMIC_YEAR, 'statistics.errors.academicYear')
        .refine((year) => Number(year.slice(5)) === Number(year.slice(0, 4)) + 1, 'statistics.errors.academicYear')
        .optional(),
    ),
    first: z.preprocess(last, z.enum(FIRST_CRITERIA, { error: 'statistics.errors.criterion' }).default('faculty')),
    second: z.preprocess(last, z.enum(SECOND_CRITERIA, { error: 'statistics.errors.criterion' }).default('conventionType')),
    status: z.preprocess(last, z.enum(STATUS_CHOICES, { error: 'statistics.errors.status' }).optional()),
    centre: z.preprocess(
      every,
      z
        .array(
          z
            .string({ error: 'statistics.errors.centre' })
            .regex(/^[1-9]\d{0,8}$/, 'statistics.errors.centre')
            .transform(Number)
            .refine((id) => allowedCentres.includes(id), 'statistics.errors.centre'),
        )
        .max(MAX_CENTRES, 'statistics.errors.centre'),
    ),
  });
}

export type ParsedStatisticsQuery =
  | { ok: true; request: StatisticsRequest; values: Record<string, string | string[]> }
  | { ok: false; errors: FieldErrors; values: Record<string, string | string[]> };

/** What the form shows back: the values as given, the current year when none was. */
function valuesOf(query: Record<string, unknown>, currentYear: string): Record<string, string | string[]> {
  return {
    academicYear: last(query.academicYear) ?? currentYear,
    first: last(query.first) ?? 'faculty',
    second: last(query.second) ?? 'conventionType',
    status: last(query.status) ?? '',
    centre: every(query.centre).filter((item): item is string => typeof item === 'string'),
  };
}

export function parseStatisticsQuery(query: Record<string, unknown>, allowedCentres: readonly number[], currentYear: string): ParsedStatisticsQuery {
  const values = valuesOf(query, currentYear);
  const parsed = statisticsQuerySchema(allowedCentres).safeParse(query);
  if (!parsed.success) {
    const errors: FieldErrors = {};
    for (const issue of parsed.error.issues) errors[String(issue.path[0])] ??= issue.message;
    return { ok: false, errors, values };
  }
  const { first, second, status, centre } = parsed.data;
  return {
    ok: true,
    values,
    request: {
      first,
      second,
      // Rows by academic year count every year.
      academicYear: first === 'academicYear' ? null : (parsed.data.academicYear ?? currentYear),
      status: status ?? null,
      centreIds: centre.length > 0 ? [...new Set(centre)] : null,
    },
  };
}
