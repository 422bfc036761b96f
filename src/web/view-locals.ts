import type { RequestHandler } from 'express';
import type { Config } from '../config.ts';
import { primaryRole } from '../access/policy.ts';
import { exposeLocale, visitorLocale } from './locale.ts';
import { menuFor, type MenuEntry } from './menu.ts';

/**
 * Defaults every page can rely on, set first so that even an error page rendered before the session
 * or the sign-in are known (a refused CSRF token, a database outage) has what the layout needs.
 */
export function baseViewLocals(config: Config): RequestHandler {
  return (req, res, next) => {
    // The visitor's language until the session says whose request this is (see requestLocale).
    exposeLocale(res, visitorLocale(req));
    res.locals.actor = undefined;
    res.locals.role = undefined;
    res.locals.menu = [];
    res.locals.flash = [];
    res.locals.csrfToken = () => '';
    res.locals.currentPath = req.path;
    res.locals.currentUrl = req.originalUrl;
    res.locals.authMode = config.auth.mode;
    res.locals.errors = {};
    res.locals.values = {};
    next();
  };
}

/** Who is signed in and their menu, once the session and the actor are loaded. */
export function actorViewLocals(menu: readonly MenuEntry[]): RequestHandler {
  return (req, res, next) => {
    res.locals.actor = req.actor;
    res.locals.role = req.actor ? primaryRole(req.actor) : undefined;
    res.locals.menu = menuFor(menu, req.actor);
    next();
  };
}
