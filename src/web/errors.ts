import type { ErrorRequestHandler, RequestHandler } from 'express';
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

const TITLED_STATUSES = new Set([400, 401, 403, 404, 413, 429, 500, 502, 503]);
const DATABASE_UNAVAILABLE = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', '57P01', '57P03', '08006', '08001', '08003']);

function isDatabaseUnavailable(error: unknown): boolean {
  const candidate = error as { code?: string; name?: string; message?: string } | undefined;
  if (!candidate) return false;
  if (candidate.code && DATABASE_UNAVAILABLE.has(candidate.code)) return true;
  return candidate.name === 'KnexTimeoutError' || /Connection terminated|timeout exceeded when trying to connect|Unable to acquire a connection/i.test(candidate.message ?? '');
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
    const candidate = error as { status?: number; statusCode?: number; code?: string; type?: string };
    const userFacing = error as { status?: unknown; messageKey?: unknown };
    if (error instanceof HttpError || (typeof userFacing.status === 'number' && typeof userFacing.messageKey === 'string')) {
      // Modules below the web layer signal user-facing outcomes the same way, without importing it.
      status = userFacing.status as number;
      messageKey = userFacing.messageKey as string;
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
      res.json({ error: res.locals.t ? res.locals.t(messageKey) : messageKey, requestId: req.id });
      return;
    }
    const titleKey = TITLED_STATUSES.has(status) ? `common.errors.title${status}` : 'common.errors.titleGeneric';
    res.render('errors/error', { status, titleKey, messageKey, requestId: req.id }, (renderError, html) => {
      if (renderError) {
        log.error({ err: renderError }, 'error page failed to render');
        res.type('text/plain').send(`Erreur ${status}`);
        return;
      }
      res.send(html);
    });
  };
}
