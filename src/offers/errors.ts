import type { FieldErrors } from '../web/forms.ts';

/**
 * Outcomes of the offer rules that are not a success. The service knows nothing of HTTP: the routes turn
 * these into 404 (also for an offer the actor may not see, so that its existence does not leak), 403,
 * 409 or 422 answers with French messages.
 */
export class OfferNotFoundError extends Error {
  constructor() {
    super('offer not found');
  }
}

export class OfferForbiddenError extends Error {
  constructor() {
    super('offer action refused');
  }
}

/** Someone else changed the offer after the form was opened. */
export class OfferStaleVersionError extends Error {
  constructor() {
    super('stale offer version');
  }
}

/** The submitted values (or the offer's state) break a rule: each message goes next to its field. */
export class OfferFormError extends Error {
  constructor(
    readonly errors: FieldErrors,
    readonly status: 409 | 413 | 422 = 422,
  ) {
    super(`offer form refused: ${Object.keys(errors).join(', ')}`);
  }
}
