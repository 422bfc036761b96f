import type { z } from 'zod';

/** Errors of a submitted form, keyed by field name, as shown next to each field. */
export type FieldErrors = Record<string, string>;

export type FormResult<T> = { ok: true; value: T } | { ok: false; errors: FieldErrors };

/** Validates a submitted form with its zod schema; keeps the first French message of each field. */
export function parseForm<Schema extends z.ZodType>(schema: Schema, input: unknown): FormResult<z.output<Schema>> {
  const parsed = schema.safeParse(input ?? {});
  if (parsed.success) return { ok: true, value: parsed.data };
  const errors: FieldErrors = {};
  for (const issue of parsed.error.issues) {
    const field = issue.path.join('.') || '_form';
    errors[field] ??= issue.message;
  }
  return { ok: false, errors };
}

/** A form value as typed, to put back in the field after an error. */
export function submittedValues(body: unknown): Record<string, unknown> {
  return body && typeof body === 'object' ? { ...(body as Record<string, unknown>) } : {};
}
