import type { Issue } from '../rules/convention-checks.ts';

/**
 * Outcomes of the convention rules that are not a success. The service knows nothing of HTTP: the
 * routes turn these into 404, 403, 409 or 422 answers with French messages.
 */

/** No convention the actor may see at that address: 404, so that its existence does not leak. */
export class ConventionNotFoundError extends Error {
  constructor() {
    super('convention not found');
  }
}

/** The actor sees the convention (or the page) but may not do this: 403. */
export class ConventionForbiddenError extends Error {
  constructor(readonly reasonKey = 'common.errors.forbidden') {
    super('convention access refused');
  }
}

/** Someone else saved the convention after the form was opened. */
export class ConventionStaleError extends Error {
  constructor() {
    super('stale convention version');
  }
}

/** The rules refused the values; `errors` are French messages keyed by form field ('_form' for the page). */
export class ConventionRuleError extends Error {
  constructor(
    readonly errors: Record<string, string>,
    readonly warnings: Issue[] = [],
  ) {
    super(Object.values(errors).join(' '));
  }
}

/** The values pass the rules but give warnings that the person has not confirmed yet. */
export class ConventionWarningsError extends Error {
  constructor(readonly warnings: Issue[]) {
    super('warnings to confirm');
  }
}

/** The validation workflow refuses the action: not in this state (409), not by this person (403), no reason (422). */
export class ConventionTransitionError extends Error {
  constructor(readonly refusal: 'state' | 'actor' | 'reason' | 'amendment') {
    super(`convention transition refused: ${refusal}`);
  }
}
