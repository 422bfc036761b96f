import { Router, type Request, type Response, type NextFunction } from 'express';
import passport from 'passport';
import rateLimit from 'express-rate-limit';
import type { Knex } from 'knex';
import type { Config } from '../../config.ts';
import type { Logger } from '../../logger.ts';
import { loadActor } from '../../access/actor.ts';
import { CasStrategy, CasUnavailableError, type CasUser } from './cas-strategy.ts';
import { DEMO_ACCOUNTS, DEMO_LOGINS } from './demo-accounts.ts';
import { safeReturnPath } from './return-path.ts';
import { sessionCookie } from '../session.ts';
import { HttpError } from '../errors.ts';
import { audit } from '../../audit/audit-log.ts';
import { DatabaseRateLimitStore } from '../rate-limit-store.ts';

export interface AuthDependencies {
  knex: Knex;
  config: Config;
  logger: Logger;
  signInRateLimit: number;
}

export function authRoutes({ knex, config, logger, signInRateLimit }: AuthDependencies): Router {
  const router = Router();
  const signInLimiter = rateLimit({
    windowMs: 5 * 60 * 1000,
    limit: signInRateLimit,
    store: new DatabaseRateLimitStore(knex, 'sign-in', logger),
    // Only refused attempts count: a whole campus may sign in from one address (NAT) at the start of term.
    skipSuccessfulRequests: true,
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    handler: (_req, _res, next) => next(new HttpError(429, 'common.errors.tooManySignIns')),
  });

  const cookie = sessionCookie(config);
  const casEnabled = config.auth.mode === 'cas' && config.auth.casBaseUrl && config.publicBaseUrl;
  const authenticator = new passport.Passport();
  if (casEnabled) {
    authenticator.use(
      new CasStrategy({
        baseUrl: config.auth.casBaseUrl!,
        version: config.auth.casVersion,
        serviceUrl: `${config.publicBaseUrl}/auth/login`,
        claimTicket: async (ticket) => {
          // CAS tickets expire within minutes: a day of memory is plenty to refuse every replay.
          await knex('cas_ticket').where('used_at', '<', knex.raw("now() - interval '1 day'")).delete();
          const inserted = await knex('cas_ticket').insert({ ticket }).onConflict('ticket').ignore().returning('ticket');
          return inserted.length === 1;
        },
      }),
    );
  }

  /** Opens a session for a login the directory knows; otherwise explains, in French, why not. */
  async function signIn(req: Request, res: Response, next: NextFunction, login: string, method: string): Promise<void> {
    const actor = await loadActor(knex, login, config.adminLogins);
    if (!actor) {
      req.log.warn({ method }, 'sign-in refused: person unknown to the directory');
      res.status(403).render('auth/unknown-person', { login });
      return;
    }
    const returnTo = req.session.returnTo;
    req.session.regenerate((regenerateError) => {
      if (regenerateError) {
        next(regenerateError);
        return;
      }
      req.session.login = actor.login;
      req.session.signedInAt = Date.now();
      req.session.save(async (saveError) => {
        if (saveError) {
          next(saveError);
          return;
        }
        try {
          await audit(knex, { actorLogin: actor.login, action: 'session.sign_in', entity: 'session', after: { method }, requestId: req.id });
        } catch (error) {
          next(error);
          return;
        }
        res.redirect(returnTo ?? '/');
      });
    });
  }

  router.get('/auth/login', signInLimiter, (req, res, next) => {
    if (req.actor && !req.query.ticket) {
      res.redirect('/');
      return;
    }
    const returnTo = safeReturnPath(req.query.returnTo);
    if (returnTo) req.session.returnTo = returnTo;

    if (config.auth.mode === 'demo') {
      res.render('auth/demo', { accounts: DEMO_ACCOUNTS });
      return;
    }
    authenticator.authenticate('cas', { session: false }, (error: unknown, user: CasUser | false) => {
      if (error instanceof CasUnavailableError) {
        req.log.error({ err: error }, 'CAS validation failed');
        next(new HttpError(502, 'common.errors.casUnavailable'));
        return;
      }
      if (error) {
        next(error);
        return;
      }
      if (!user) {
        // The CAS's reason is not logged: it usually quotes the ticket.
        req.log.warn('CAS ticket refused');
        res.status(401).render('auth/ticket-refused');
        return;
      }
      signIn(req, res, next, user.login, 'cas').catch(next);
    })(req, res, next);
  });

  router.post('/auth/demo', signInLimiter, (req, res, next) => {
    if (config.auth.mode !== 'demo' || config.env === 'production') {
      next(new HttpError(403, 'common.errors.demoDisabled'));
      return;
    }
    const login = typeof req.body?.login === 'string' ? req.body.login : '';
    if (!DEMO_LOGINS.has(login)) {
      res.status(400).render('auth/demo', { accounts: DEMO_ACCOUNTS, error: 'common.auth.unknownDemoAccount' });
      return;
    }
    signIn(req, res, next, login, 'demo').catch(next);
  });

  router.get('/auth/logout', (req, res) => {
    if (!req.actor) {
      res.redirect('/');
      return;
    }
    res.render('auth/logout');
  });

  router.post('/auth/logout', (req, res, next) => {
    const login = req.actor?.login;
    req.session.destroy((error) => {
      if (error) {
        next(error);
        return;
      }
      res.clearCookie(cookie.name, cookie.options);
      if (login) req.log.info({ login }, 'signed out');
      if (casEnabled) {
        res.redirect(`${config.auth.casBaseUrl}/logout?service=${encodeURIComponent(`${config.publicBaseUrl}/`)}`);
        return;
      }
      res.redirect('/');
    });
  });

  return router;
}
