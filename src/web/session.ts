import { randomBytes } from 'node:crypto';
import session from 'express-session';
import connectPgSimple from 'connect-pg-simple';
import type { RequestHandler } from 'express';
import type { Config } from '../config.ts';
import type { Logger } from '../logger.ts';

export const IDLE_TIMEOUT_MS = 30 * 60 * 1000;
export const ABSOLUTE_TIMEOUT_MS = 12 * 60 * 60 * 1000;
const RENEWAL_INTERVAL_MS = 60 * 1000;
const MAX_REMEMBERED_RENEWALS = 50_000;

/** Name and attributes of the session cookie, the same for opening the session and for clearing it. */
export function sessionCookie(config: Config) {
  const secure = config.publicBaseUrl?.startsWith('https:') ?? false;
  return {
    // Over https, the __Host- prefix makes browsers refuse this cookie from another site of the
    // university's domain (Domain=univ.fr) or for another path: nobody can plant a session in it.
    name: secure ? '__Host-conventio.sid' : 'conventio.sid',
    options: { httpOnly: true, sameSite: 'lax', secure, path: '/' } as const,
  };
}

/**
 * Sessions live in PostgreSQL so that several app processes share them and a restart signs nobody out.
 * The cookie expires after 30 idle minutes (it is renewed at each request, the stored row once a minute).
 */
export function sessionMiddleware(
  config: Config,
  databaseUrl: string,
  logger: Logger,
  connectionTimeoutMs = 2000,
): { middleware: RequestHandler; close(): Promise<void> } {
  const PgStore = connectPgSimple(session);
  /**
   * Renewing the stored expiry is a write, and nearly every page would make one: it is renewed at most
   * once a minute per session and process, so a session ends between 29 and 30 idle minutes. Saving a
   * changed session renews it too.
   */
  class PgStoreRenewedOncePerMinute extends PgStore {
    private readonly renewedAt = new Map<string, number>();

    private renewed(sid: string): void {
      // Re-inserted at each renewal: the first entries are the oldest, dropped past a bound.
      this.renewedAt.delete(sid);
      this.renewedAt.set(sid, Date.now());
      if (this.renewedAt.size > MAX_REMEMBERED_RENEWALS) this.renewedAt.delete(this.renewedAt.keys().next().value!);
    }

    override touch(sid: string, sessionData: session.SessionData, callback?: (error?: unknown) => void): void {
      const renewedAt = this.renewedAt.get(sid);
      if (renewedAt !== undefined && Math.abs(Date.now() - renewedAt) < RENEWAL_INTERVAL_MS) {
        callback?.();
        return;
      }
      this.renewed(sid);
      super.touch(sid, sessionData, callback);
    }

    override set(sid: string, sessionData: session.SessionData, callback?: (error?: unknown) => void): void {
      this.renewed(sid);
      super.set(sid, sessionData, callback);
    }

    override destroy(sid: string, callback?: (error?: unknown) => void): void {
      this.renewedAt.delete(sid);
      super.destroy(sid, callback);
    }
  }
  const cookie = sessionCookie(config);
  const store = new PgStoreRenewedOncePerMinute({
    conObject: { connectionString: databaseUrl, connectionTimeoutMillis: connectionTimeoutMs, max: 10 },
    tableName: 'session',
    createTableIfMissing: false,
    pruneSessionInterval: config.env === 'test' ? false : 15 * 60,
    errorLog: (...parts: unknown[]) => logger.warn({ detail: parts.map(String).join(' ') }, 'session store error'),
  });
  const middleware = session({
    name: cookie.name,
    // Without a configured secret (development only: production requires one) sessions last until the restart.
    secret: config.sessionSecret ?? randomBytes(32).toString('hex'),
    store,
    resave: false,
    saveUninitialized: false,
    rolling: true,
    proxy: config.trustProxy,
    cookie: { ...cookie.options, maxAge: IDLE_TIMEOUT_MS },
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
