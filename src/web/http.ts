import type { Request, Response } from 'express';
import type { Actor } from '../access/actor.ts';
import type { ChangeContext } from '../audit/audit-log.ts';
import { RuleViolation, StaleVersionError } from '../errors.ts';
import type { Translate } from '../i18n/index.ts';
import { badRequest, HttpError, notFound, RULE_STATUS } from './errors.ts';
import { idParameter } from './form-fields.ts';
import type { FieldErrors } from './forms.ts';

/** What every route reads from a request and writes into an answer, written once. */

/** The signed-in person; a route behind `requireSignIn` always has one, any other answers 401. */
export function actorOf(req: Request): Actor {
  if (!req.actor) throw new HttpError(401, 'common.errors.signInRequired');
  return req.actor;
}

/** Who changes what, for the services and their audit log. */
export function changeContext(req: Request): ChangeContext {
  return { actor: actorOf(req), requestId: req.id };
}

/** An id or number from the address; anything but a positive integer is a page that does not exist. */
export function idFrom(value: unknown): number {
  const parsed = idParameter.safeParse(value);
  if (!parsed.success) throw notFound();
  return parsed.data;
}

/** The translation function of the request's language. */
export const translate = (res: Response): Translate => res.locals.t as Translate;

/** A refusal's messages in the person's language, keyed by field. */
export function fieldErrorsOf(error: RuleViolation, t: Translate): FieldErrors {
  return Object.fromEntries(
    Object.entries(error.messages).map(([field, message]) => [field, typeof message === 'string' ? message : t(message.key, message.parameters)]),
  );
}

/**
 * The answer to a refused save, to show the form again: its status and the messages next to the
 * fields. Anything but a rule violation or a stale version goes on as an error.
 */
export function refusal(res: Response, error: unknown, staleMessageKey = 'common.forms.staleVersion'): { status: number; errors: FieldErrors } {
  if (error instanceof StaleVersionError) return { status: 409, errors: { _form: translate(res)(staleMessageKey) } };
  if (error instanceof RuleViolation) return { status: RULE_STATUS[error.outcome], errors: fieldErrorsOf(error, translate(res)) };
  throw error;
}

/** The version a form was opened at; anything but a positive integer is a forged form. */
export function versionFrom(body: unknown): number {
  const value = (body as Record<string, unknown> | undefined)?.version;
  if (typeof value !== 'string' || !/^[1-9][0-9]{0,8}$/.test(value)) throw badRequest();
  return Number(value);
}
