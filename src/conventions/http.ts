import type { ErrorRequestHandler, Request, Response } from 'express';
import type { Translate } from '../i18n/index.ts';
import { HttpError, notFound } from '../web/errors.ts';
import { idParameter } from '../web/form-fields.ts';
import { ConventionForbiddenError, ConventionNotFoundError } from './errors.ts';
import type { ConventionKey } from './repository.ts';
import type { ChangeContext } from './service.ts';

/** An id or number from the address; anything but a positive integer is a page that does not exist. */
export function idFrom(value: string | undefined): number {
  const parsed = idParameter.safeParse(value);
  if (!parsed.success) throw notFound();
  return parsed.data;
}

/**
 * Addresses of a convention (documented in DESIGN §10 and here): a created convention is
 * `/conventions/:number[/step]`; a draft, which has no number yet, is `/conventions/drafts/:id[/step]`.
 */
export function keyFrom(req: Request): ConventionKey {
  const params = req.params as Record<string, string | undefined>;
  return params.id !== undefined ? { id: idFrom(params.id) } : { number: idFrom(params.number) };
}

export const changeContext = (req: Request): ChangeContext => ({ actor: req.actor!, requestId: req.id });

export const translate = (res: Response): Translate => res.locals.t as Translate;


/** "No such convention" and "not yours" become the usual French 404 and 403 pages, and are logged. */
export const conventionErrorPages: ErrorRequestHandler = (error: unknown, req, _res, next) => {
  if (error instanceof ConventionNotFoundError) {
    req.log?.warn({ path: req.path, login: req.actor?.login }, 'convention not found or not visible');
    next(notFound());
  } else if (error instanceof ConventionForbiddenError) next(new HttpError(403, error.reasonKey));
  else next(error);
};
