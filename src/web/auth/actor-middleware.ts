import type { Knex } from 'knex';
import type { RequestHandler } from 'express';
import { loadActor, type Actor } from '../../access/actor.ts';
import { primaryRole, type Role } from '../../access/policy.ts';
import { forbidden, HttpError } from '../errors.ts';

/** Loads the signed-in person's rights for this request. */
export function attachActor(knex: Knex, adminLogins: readonly string[]): RequestHandler {
  return async (req, _res, next) => {
    const login = req.session?.login;
    if (!login) {
      next();
      return;
    }
    const actor = await loadActor(knex, login, adminLogins);
    if (actor) {
      req.actor = actor;
      next();
      return;
    }
    // Removed from the directory since signing in: the session no longer stands for anybody.
    req.session.regenerate((error) => next(error));
  };
}

/** Pages of a signed-in person must not be shown again from the cache once they have signed out. */
export const privatePagesNotCached: RequestHandler = (req, res, next) => {
  if (req.actor) res.set('Cache-Control', 'no-store');
  next();
};

/** Anonymous visitors go to sign-in, then come back to the page they asked for. */
export const requireSignIn: RequestHandler = (req, res, next) => {
  if (req.actor) {
    next();
    return;
  }
  if (req.method === 'GET') {
    res.redirect(`/auth/login?returnTo=${encodeURIComponent(req.originalUrl)}`);
    return;
  }
  next(new HttpError(401, 'common.errors.signInRequired'));
};

export function requireRole(...roles: Role[]): RequestHandler {
  return (req, _res, next) => {
    const actor = req.actor as Actor;
    const role = primaryRole(actor);
    next(roles.includes(role) ? undefined : forbidden());
  };
}
