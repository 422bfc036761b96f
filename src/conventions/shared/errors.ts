import { DomainError } from '../../errors.ts';
import type { Issue } from '../../rules/convention-checks.ts';

/**
 * Outcomes of the convention rules that only the convention pages answer; the others are the
 * application's family (src/errors.ts: not found, forbidden, stale version, rule violation).
 */

/** The values pass the rules but give warnings that the person has not confirmed yet. */
export class ConventionWarningsError extends DomainError {
  constructor(readonly warnings: Issue[]) {
    super('warnings to confirm');
  }
}

/** The validation workflow refuses the action: not in this state (409), not by this person (403), no reason (422). */
export class ConventionTransitionError extends DomainError {
  constructor(readonly refusal: 'state' | 'actor' | 'reason' | 'amendment') {
    super(`convention transition refused: ${refusal}`);
  }
}
