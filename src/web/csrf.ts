import { csrfSync } from 'csrf-sync';
import type { RequestHandler } from 'express';

/**
 * Synchroniser-token CSRF protection on every unsafe request: the token lives in the session and
 * every form carries it in a hidden `_csrf` field.
 */
const { csrfSynchronisedProtection, generateToken } = csrfSync({
  getTokenFromRequest: (req) => {
    const fromBody = (req.body as Record<string, unknown> | undefined)?._csrf;
    return typeof fromBody === 'string' ? fromBody : req.get('x-csrf-token');
  },
});

export const csrfProtection: RequestHandler = csrfSynchronisedProtection;

/**
 * Pages call `csrfToken()` where they render a form: the token (and so a stored session) is created
 * only then, not for every anonymous visit or crawler.
 */
export const exposeCsrfToken: RequestHandler = (req, res, next) => {
  res.locals.csrfToken = () => generateToken(req);
  next();
};
