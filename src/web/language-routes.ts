import { Router, type Request } from 'express';
import type { Knex } from 'knex';
import { z } from 'zod';
import type { Config } from '../config.ts';
import { LOCALES } from '../i18n/index.ts';
import { safeReturnPath } from './auth/return-path.ts';
import { csrfProtection } from './csrf.ts';
import { badRequest, HttpError } from './errors.ts';
import { LANGUAGE_COOKIE, saveLocale } from './locale.ts';

const ONE_YEAR_MS = 365 * 24 * 60 * 60 * 1000;
const languageForm = z.object({ lang: z.enum(LOCALES), returnTo: z.unknown().optional() });

/** Back to the page the switch was on: a path of this site only, never another site's address. */
function backTo(candidate: unknown): string {
  // The demo sign-in page is where a visitor first sees the switch, though sign-in return paths refuse /auth/.
  if (candidate === '/auth/login') return candidate;
  return safeReturnPath(candidate) ?? '/';
}

/** Browsers name the page a form was posted from; another site's page may not change the language here. */
function postedFromHere(req: Request, config: Config): boolean {
  const origin = req.get('origin');
  if (!origin) return false;
  return origin === (config.publicBaseUrl ? new URL(config.publicBaseUrl).origin : `${req.protocol}://${req.get('host')}`);
}

/**
 * The language switch of the page header: saved for the signed-in person, a cookie for everyone.
 * Mounted before the app-wide CSRF check: the switch of an anonymous page carries no token, because a
 * token would store a session for every visitor (and crawler) who only reads; the origin of the post
 * protects it instead. A signed-in person's switch carries the usual token, checked here.
 */
export function languageRoutes(db: Knex, config: Config): Router {
  const router = Router();
  const secure = config.publicBaseUrl?.startsWith('https:') ?? false;

  router.post('/language', (req, res, next) => {
    if (req.actor) {
      csrfProtection(req, res, next);
      return;
    }
    next(postedFromHere(req, config) ? undefined : new HttpError(403, 'common.errors.csrf'));
  });

  router.post('/language', async (req, res, next) => {
    const form = languageForm.safeParse(req.body ?? {});
    if (!form.success) {
      next(badRequest());
      return;
    }
    const { lang } = form.data;
    if (req.actor) {
      await saveLocale(db, req.actor.login, lang);
      req.session.locale = lang;
    }
    // Also for a signed-in person: the pages after signing out keep the language.
    res.cookie(LANGUAGE_COOKIE, lang, { maxAge: ONE_YEAR_MS, httpOnly: true, sameSite: 'lax', secure });
    if (req.actor) {
      res.redirect(303, backTo(form.data.returnTo));
      return;
    }
    // Not res.redirect: it stores the session first, and a visitor who only reads must not get one.
    res.status(303).location(backTo(form.data.returnTo)).end();
  });

  return router;
}
