import type { ErrorRequestHandler, Request, Response } from 'express';
import type { Translate } from '../i18n/index.ts';
import { forbidden, notFound } from '../web/errors.ts';
import { idParameter } from '../web/form-fields.ts';
import type { FieldErrors } from '../web/forms.ts';
import type { ChangeContext } from './access.ts';
import { CentreForbiddenError, CentreNotFoundError, type CentreRuleError } from './errors.ts';
import { CENTRE_LEVELS, CONFIDENTIALITY_LEVELS, MAX_LENGTHS, MEMBER_RIGHTS, PRINT_RULES } from './schemas.ts';

/** An id from the address; anything but a positive integer is a page that does not exist. */
export function idFrom(value: string | undefined): number {
  const parsed = idParameter.safeParse(value);
  if (!parsed.success) throw notFound();
  return parsed.data;
}

export const changeContext = (req: Request): ChangeContext => ({ actor: req.actor!, requestId: req.id });

export const translate = (res: Response): Translate => res.locals.t as Translate;

const RULE_STATUS = { conflict: 409, invalid: 422, too_large: 413 } as const;

/** The answer to a refused change: its status and the French message next to the field concerned. */
export function refusal(res: Response, error: CentreRuleError): { status: number; errors: FieldErrors } {
  return { status: RULE_STATUS[error.outcome], errors: { [error.field]: translate(res)(error.messageKey, error.parameters) } };
}


/** The lists the forms offer, for the templates, which cannot import them. */
export const FORM_CHOICES = {
  levels: CENTRE_LEVELS,
  printRules: PRINT_RULES,
  confidentiality: CONFIDENTIALITY_LEVELS,
  rights: MEMBER_RIGHTS,
  maxLengths: MAX_LENGTHS,
};

/** The service's "no such centre" and "not yours" become the usual French 404 and 403 pages. */
export const centreErrorPages: ErrorRequestHandler = (error: unknown, _req, _res, next) => {
  if (error instanceof CentreNotFoundError) next(notFound());
  else if (error instanceof CentreForbiddenError) next(forbidden());
  else next(error);
};
