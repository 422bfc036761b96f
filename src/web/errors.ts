import type { ErrorRequestHandler, RequestHandler } from 'express';
import { ForbiddenError, NotFoundError, RuleViolation, StaleVersionError } from '../errors.ts';
import type { Logger } from '../logger.ts';

/** An error whose status and French message are meant for the user. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly messageKey: string,
  ) {
    super(messageKey);
  }
}

export const forbidden = () => new HttpError(403, 'common.errors.forbidden');
export const notFound = () => new HttpError(404, 'common.errors.notFound');
export const badRequest = () => new HttpError(400, 'common.errors.badRequest');

export const notFoundHandler: RequestHandler = (_req, _res, next) => next(notFound());

/** The status of each outcome of a rule violation. */
export const RULE_STATUS = { invalid: 422, conflict: 409, too_large: 413 } as const;
const TITLED_STATUSES = new Set([400, 401, 403, 404, 413, 429, 500, 502, 503]);
const DATABASE_UNAVAILABLE = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', '57P01', '57P03', '08006', '08001', '08003']);

function isDatabaseUnavailable(error: unknown): boolean {
  const candidate = error as { code?: string; name?: string; message?: string } | undefined;
  if (!candidate) return false;
  if (candidate.code && DATABASE_UNAVAILABLE.has(candidate.code)) return true;
  return (
    candidate.name === 'KnexTimeoutError' ||
    /Connection terminated|timeout exceeded when trying to connect|Unable to acquire a connection/i.test(candidate.message ?? '')
  );
}

export function errorHandler(logger: Logger): ErrorRequestHandler {
  return (error: unknown, req, res, next) => {
    if (res.headersSent) {
      // express-session reports a session it failed to store (the database gone) after the page was
      // written: passing it on would reset the connection before the page reaches the browser.
      if (res.writableEnded) {
        (req.log ?? logger).warn({ err: error }, 'failed after the response was sent');
        return;
      }
      next(error);
      return;
    }
    let status = 500;
    let messageKey = 'common.errors.internal';
    let messageParameters: Record<string, string | number> | undefined;
    const candidate = error as { status?: number; statusCode?: number; code?: string; type?: string };
    if (error instanceof HttpError) {
      status = error.status;
      messageKey = error.messageKey;
    } else if (error instanceof NotFoundError) {
      status = 404;
      messageKey = 'common.errors.notFound';
      (req.log ?? logger).warn({ path: req.path, login: req.actor?.login, entity: error.entity }, 'not found or not visible');
    } else if (error instanceof ForbiddenError) {
      status = 403;
      messageKey = error.reasonKey;
    } else if (error instanceof StaleVersionError) {
      status = 409;
      messageKey = error.reasonKey;
    } else if (error instanceof RuleViolation) {
      // A form route shows these next to the fields; one that reaches here came from a page without a form.
      status = RULE_STATUS[error.outcome];
      const message = error.messages._form;
      if (typeof message === 'object') ({ key: messageKey, parameters: messageParameters } = message);
      else messageKey = status === 413 ? 'common.errors.tooLarge' : 'common.errors.badRequest';
    } else if (candidate.code === 'EBADCSRFTOKEN') {
      status = 403;
      messageKey = 'common.errors.csrf';
    } else if (candidate.type === 'entity.too.large') {
      status = 413;
      messageKey = 'common.errors.tooLarge';
    } else if (isDatabaseUnavailable(error)) {
      status = 503;
      messageKey = 'common.errors.unavailable';
    } else if (typeof (candidate.status ?? candidate.statusCode) === 'number' && (candidate.status ?? candidate.statusCode)! < 500) {
      status = (candidate.status ?? candidate.statusCode)!;
      messageKey = status === 404 ? 'common.errors.notFound' : 'common.errors.badRequest';
    }

    const log = req.log ?? logger;
    if (status >= 500) log.error({ err: error, status }, 'request failed');
    else if (status === 403) log.warn({ status, path: req.path, login: req.actor?.login }, 'access refused');

    res.status(status);
    if (req.accepts(['html', 'json']) === 'json') {
      res.json({ error: res.locals.t ? res.locals.t(messageKey, messageParameters) : messageKey, requestId: req.id });
      return;
    }
    const titleKey = TITLED_STATUSES.has(status) ? `common.errors.title${status}` : 'common.errors.titleGeneric';
    res.render('errors/error', { status, titleKey, messageKey, messageParameters, requestId: req.id }, (renderError, html) => {
      if (renderError) {
        log.error({ err: renderError }, 'error page failed to render');
        res.type('text/plain').send(`Erreur ${status}`);
        return;
      }
      res.send(html);
    });
  };
}
