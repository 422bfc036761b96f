import type { RequestHandler } from 'express';
import type { Config } from '../config.ts';
import { primaryRole } from '../directory/actor.ts';
import { translator } from '../i18n/index.ts';
import { menuFor, type MenuEntry } from './menu.ts';

/** What every page needs: the translator, who is signed in, their menu and the current address. */
export function viewLocals(config: Config, menu: readonly MenuEntry[]): RequestHandler {
  const t = translator('fr');
  return (req, res, next) => {
    res.locals.t = t;
    res.locals.lang = 'fr';
    res.locals.actor = req.actor;
    res.locals.role = req.actor ? primaryRole(req.actor) : undefined;
    res.locals.menu = menuFor(menu, req.actor);
    res.locals.currentPath = req.path;
    res.locals.authMode = config.auth.mode;
    res.locals.errors = {};
    res.locals.values = {};
    next();
  };
}
