import type { ErrorRequestHandler, Request, Response } from 'express';
import type { Translate } from '../i18n/index.ts';
import { todayInFrance } from '../rules/academic-year.ts';
import { forbidden, notFound } from '../web/errors.ts';
import { idParameter } from '../web/form-fields.ts';
import type { FieldErrors } from '../web/forms.ts';
import { OfferForbiddenError, OfferFormError, OfferNotFoundError, OfferStaleVersionError } from './errors.ts';
import type { OfferContext, OfferUpload } from './service.ts';
import { localeDateTimeFormat } from '../i18n/formats.ts';

/** What the offer routes share: reading the request, and turning the service's refusals into answers. */
export const translate = (res: Response): Translate => res.locals.t as Translate;

export const offerContext = (req: Request): OfferContext => ({ actor: req.actor!, requestId: req.id, today: todayInFrance() });

export function idFrom(value: string | string[] | undefined): number {
  const parsed = idParameter.safeParse(value);
  if (!parsed.success) throw notFound();
  return parsed.data;
}

/** The file of a multipart form; an empty file field (nothing chosen) is no file. */
export function offerUpload(req: Request): OfferUpload | null {
  if (req.uploadProblem) return { problem: req.uploadProblem.code };
  const [file] = Array.isArray(req.files) ? req.files : [];
  if (!file || (file.originalname === '' && file.size === 0)) return null;
  return { bytes: file.buffer, name: file.originalname };
}

/** The service's "no such offer" (also: not visible to you) and "not allowed" become 404 and 403 pages. */
export const offerErrorPages: ErrorRequestHandler = (error: unknown, _req, _res, next) => {
  if (error instanceof OfferNotFoundError) next(notFound());
  else if (error instanceof OfferForbiddenError) next(forbidden());
  else next(error);
};

/** A refused save: its status and the French messages next to the fields; anything else goes on as an error. */
export function refusal(res: Response, error: unknown): { status: number; errors: FieldErrors } {
  if (error instanceof OfferStaleVersionError) return { status: 409, errors: { _form: translate(res)('common.forms.staleVersion') } };
  if (error instanceof OfferFormError) return { status: error.status, errors: error.errors };
  throw error;
}

const dateTime = localeDateTimeFormat({ dateStyle: 'short', timeStyle: 'short', timeZone: 'Europe/Paris' });
const day = localeDateTimeFormat({ dateStyle: 'long', timeZone: 'UTC' });
export const formatDateTime = (value: Date | string | null) => (value ? dateTime.format(new Date(value)) : '');
export const formatDay = (value: string | null) => (value ? day.format(new Date(`${value}T00:00:00Z`)) : '');
