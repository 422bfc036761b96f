import type { Request, RequestHandler, Response } from 'express';
import type { Knex } from 'knex';
import { DEFAULT_LOCALE, LOCALES, isLocale, translator, withLocale, type Locale } from '../i18n/index.ts';
import { INTL_LOCALES } from '../i18n/formats.ts';

/** The visitor's choice when nobody is signed in (and what a signed-in person chose last, after signing out). */
export const LANGUAGE_COOKIE = 'lang';
const LANGUAGE_PREFERENCE = 'language';

declare module 'express-session' {
  interface SessionData {
    /** The signed-in person's saved language (null: never chosen), read once per session rather than per request. */
    locale?: Locale | null;
  }
}

function cookieLocale(req: Request): Locale | undefined {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const [name, value] = part.trim().split('=');
    if (name === LANGUAGE_COOKIE && isLocale(value)) return value;
  }
  return undefined;
}

function browserLocale(req: Request): Locale {
  // With no Accept-Language header at all, `acceptsLanguages` answers its first argument: French.
  const accepted = req.acceptsLanguages(...LOCALES);
  return isLocale(accepted) ? accepted : DEFAULT_LOCALE;
}

/** Cookie, then the browser's languages: all we know of someone not signed in. */
export const visitorLocale = (req: Request): Locale => cookieLocale(req) ?? browserLocale(req);

/** What templates need for a language: the translator, `<html lang>` and the formats of dates and numbers. */
export function exposeLocale(res: Response, locale: Locale): void {
  res.locals.lang = locale;
  res.locals.t = translator(locale);
  res.locals.intlLocale = INTL_LOCALES[locale];
}

export async function savedLocale(db: Knex, login: string): Promise<Locale | null> {
  const row = (await db('user_preference').where({ login, name: LANGUAGE_PREFERENCE }).first('value')) as { value: unknown } | undefined;
  return isLocale(row?.value) ? row.value : null;
}

export async function saveLocale(db: Knex, login: string, locale: Locale): Promise<void> {
  await db('user_preference')
    .insert({ login, name: LANGUAGE_PREFERENCE, value: JSON.stringify(locale), updated_at: db.fn.now() })
    .onConflict(['login', 'name'])
    .merge(['value', 'updated_at']);
}

/**
 * The language of the request: the signed-in person's saved choice, else the visitor's. Everything
 * after this middleware runs inside it, so services and schemas translate with `t` from i18n. Placed
 * after the middleware that read the body from the socket: their callbacks would not carry it.
 */
export function requestLocale(db: Knex): RequestHandler {
  return async (req, res, next) => {
    let saved: Locale | null = null;
    if (req.actor && req.session) {
      if (req.session.locale === undefined) req.session.locale = await savedLocale(db, req.actor.login);
      saved = req.session.locale;
    }
    const locale = saved ?? visitorLocale(req);
    exposeLocale(res, locale);
    withLocale(locale, next);
  };
}
