/**
 * Outcomes of the centre rules that are not a success. The service knows nothing of HTTP: the routes
 * turn these into 404, 403, 409 or 422 answers and French messages.
 */
export class CentreNotFoundError extends Error {
  constructor() {
    super('centre or attached record not found');
  }
}

export class CentreForbiddenError extends Error {
  constructor() {
    super('centre access refused');
  }
}

/** Someone else saved the centre after the form was opened. */
export class StaleVersionError extends Error {
  constructor(readonly currentVersion: number) {
    super('stale centre version');
  }
}

/**
 * A rule refused the change. `conflict` is a clash with other data (a name or code already taken),
 * `invalid` a value the rules do not accept, `too_large` a file over its limit; `field` is where the
 * message is shown.
 */
export class CentreRuleError extends Error {
  constructor(
    readonly outcome: 'conflict' | 'invalid' | 'too_large',
    readonly field: string,
    readonly messageKey: string,
    readonly parameters: Record<string, string | number> = {},
  ) {
    super(messageKey);
  }
}

/** The name of the unique index or constraint a PostgreSQL error reports as violated. */
export function violatedUniqueConstraint(error: unknown): string | undefined {
  const candidate = error as { code?: string; constraint?: string } | undefined;
  return candidate?.code === '23505' ? (candidate.constraint ?? '') : undefined;
}

/**
 * No centre manages an enrolment: its step and faculty match no criterion and the institution-wide
 * centre has not been created yet (a new installation). Shown to the user as is, with status 409.
 */
export class NoCentreForEnrolmentError extends Error {
  readonly status = 409;
  readonly messageKey = 'centres.errors.noCentreForEnrolment';
  constructor() {
    super('no centre manages this enrolment');
  }
}
