/**
 * The one family of outcomes that are not a success. Services and repositories throw these and know
 * nothing of HTTP; `src/web/errors.ts` turns each kind into its page once, and form routes catch
 * `RuleViolation` and `StaleVersionError` to show the form again with the messages next to the fields.
 */
export abstract class DomainError extends Error {}

/** No such record, or one the actor may not see: answered 404, so that its existence does not leak. */
export class NotFoundError extends DomainError {
  constructor(readonly entity = 'record') {
    super(`${entity} not found`);
  }
}

/** The actor sees the record (or the page) but may not do this: 403, with a message saying why. */
export class ForbiddenError extends DomainError {
  constructor(readonly reasonKey = 'common.errors.forbidden') {
    super(`refused: ${reasonKey}`);
  }
}

/** Someone else saved the record after the form was opened; `currentVersion` lets the form be sent again. */
export class StaleVersionError extends DomainError {
  constructor(
    readonly currentVersion: number | null = null,
    readonly reasonKey = 'common.forms.staleVersion',
  ) {
    super('stale version');
  }
}

/** A message for one field: text already in the person's language, or a catalogue key the web layer translates. */
export type RuleMessage = string | { key: string; parameters?: Record<string, string | number> };

/**
 * The rules refused the values: each message goes next to its field ('_form' for the page). `invalid`
 * is a value the rules do not accept (422), `conflict` a clash with other data or with the record's
 * state (409), `too_large` a file over its limit (413).
 */
export class RuleViolation extends DomainError {
  constructor(
    readonly messages: Readonly<Record<string, RuleMessage>>,
    readonly outcome: 'invalid' | 'conflict' | 'too_large' = 'invalid',
  ) {
    super(`refused: ${Object.keys(messages).join(', ')}`);
  }

  /** One field's message, from the catalogue. */
  static keyed(field: string, key: string, parameters?: Record<string, string | number>, outcome: RuleViolation['outcome'] = 'invalid'): RuleViolation {
    return new RuleViolation({ [field]: { key, parameters } }, outcome);
  }
}

/** The name of the unique index or constraint a PostgreSQL error reports as violated. */
export function violatedUniqueConstraint(error: unknown): string | undefined {
  const candidate = error as { code?: string; constraint?: string } | undefined;
  return candidate?.code === '23505' ? (candidate.constraint ?? '') : undefined;
}
