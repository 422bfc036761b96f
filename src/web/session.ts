import { randomBytes } from 'node:crypto';
import session from 'express-session';
import connectPgSimple from 'connect-pg-simple';
import type { RequestHandler } from 'express';
import type { Config } from '../config.ts';
import type { Logger } from '../logger.ts';

export const SESSION_COOKIE = 'conventio.sid';
export const IDLE_TIMEOUT_MS = 30 * 60 * 1000;
export const ABSOLUTE_TIMEOUT_MS = 12 * 60 * 60 * 1000;

/**
 * Sessions live in PostgreSQL so that several app processes share them and a restart signs nobody out.
 * The cookie expires after 30 idle minutes (it is renewed at each request).
 */
export function sessionMiddleware(
  config: Config,
  databaseUrl: string,
  logger: Logger,
  connectionTimeoutMs = 2000,
): { middleware: RequestHandler; close(): Promise<void> } {
  const PgStore = connectPgSimple(session);
  const secure = config.publicBaseUrl?.startsWith('https:') ?? false;
  const store = new PgStore({
    conObject: { connectionString: databaseUrl, connectionTimeoutMillis: connectionTimeoutMs, max: 5 },
    tableName: 'session',
    createTableIfMissing: false,
    pruneSessionInterval: config.env === 'test' ? false : 15 * 60,
    errorLog: (...parts: unknown[]) => logger.warn({ detail: parts.map(String).join(' ') }, 'session store error'),
  });
  const middleware = session({
    name: SESSION_COOKIE,
    // Without a configured secret (development only: production requires one) sessions last until the restart.
    secret: config.sessionSecret ?? randomBytes(32).toString('hex'),
    store,
    resave: false,
    saveUninitialized: false,
    rolling: true,
    proxy: config.trustProxy,
    cookie: { httpOnly: true, sameSite: 'lax', secure, maxAge: IDLE_TIMEOUT_MS },
  });
  // store.close() returns a promise although its type declarations say void.
  return { middleware, close: () => Promise.resolve(store.close()) };
}

/** Ends sessions older than 12 hours, whatever their activity. */
export const absoluteSessionTimeout: RequestHandler = (req, _res, next) => {
  const signedInAt = req.session?.signedInAt;
  if (signedInAt && Date.now() - signedInAt > ABSOLUTE_TIMEOUT_MS) {
    // A fresh, empty session: the person signs in again.
    req.session.regenerate((error) => next(error));
    return;
  }
  next();
};

/**
 * express-session sends a response's headers before it has stored the session, so a browser can
 * follow a redirect and load the next page before a flash message or a draft's state is saved. Every
 * redirect here waits for the session to be stored first.
 */
export const saveSessionBeforeRedirect: RequestHandler = (req, res, next) => {
  const redirect = res.redirect.bind(res) as (...parameters: unknown[]) => void;
  res.redirect = ((...parameters: unknown[]) => {
    if (!req.session) {
      redirect(...parameters);
      return;
    }
    req.session.save((error) => (error ? next(error) : redirect(...parameters)));
  }) as typeof res.redirect;
  next();
};
