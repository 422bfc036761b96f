import type { FieldErrors } from '../web/forms.ts';

/**
 * Outcomes of the directory rules that are not a success. The service knows nothing of HTTP: the routes
 * (and the convention wizard) turn these into 404, 403, 409 or 422 answers with French messages.
 */
export class HostNotFoundError extends Error {
  constructor() {
    super('host, service or contact not found');
  }
}

export class HostForbiddenError extends Error {
  constructor() {
    super('host directory access refused');
  }
}

/** Someone else saved the record after the form was opened. */
export class HostStaleVersionError extends Error {
  constructor(readonly currentVersion: number) {
    super('stale host directory version');
  }
}

/**
 * The submitted values break a rule: each message (in French) goes next to its field. `conflict` is a
 * clash with other data (SIRET of another host, a deletion refused while records use it), answered 409;
 * `invalid` a value the rules refuse, answered 422.
 */
export class HostFormError extends Error {
  constructor(
    readonly errors: FieldErrors,
    readonly outcome: 'invalid' | 'conflict' = 'invalid',
  ) {
    super(`host directory form refused: ${Object.keys(errors).join(', ')}`);
  }
}

/** The name of the unique index a PostgreSQL error reports as violated. */
export function violatedUniqueIndex(error: unknown): string | undefined {
  const candidate = error as { code?: string; constraint?: string } | undefined;
  return candidate?.code === '23505' ? (candidate.constraint ?? '') : undefined;
}
