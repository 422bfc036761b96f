import { AsyncLocalStorage } from 'node:async_hooks';
import type { MessageCatalogue } from './catalogue.ts';
import { fr } from './fr.ts';
import { en } from './en.ts';

/**
 * Message catalogue lookup. Every string of the interface goes through here so that another language
 * is a new catalogue, not a hunt through templates.
 */
export const LOCALES = ['fr', 'en'] as const;
export type Locale = (typeof LOCALES)[number];
export const DEFAULT_LOCALE: Locale = 'fr';
export const isLocale = (value: unknown): value is Locale => LOCALES.includes(value as Locale);

const catalogues: Record<Locale, MessageCatalogue> = { fr, en };

export type Translate = (key: string, parameters?: Record<string, string | number>) => string;

function messageOf(catalogue: MessageCatalogue, key: string): string | undefined {
  const message = key.split('.').reduce<unknown>((node, part) => (node as Record<string, unknown> | undefined)?.[part], catalogue);
  return typeof message === 'string' ? message : undefined;
}

/**
 * The messages already found, per language: a page asks for a hundred or more at every request. Keys
 * that find nothing are not kept, so that the map stays within the catalogue whatever keys are built.
 */
const messagesByLocale = Object.fromEntries(LOCALES.map((locale) => [locale, new Map<string, string>()])) as Record<Locale, Map<string, string>>;

function lookup(locale: Locale, key: string, parameters: Record<string, string | number>): string {
  const messages = messagesByLocale[locale];
  let template = messages.get(key);
  if (template === undefined) {
    template = messageOf(catalogues[locale], key);
    if (template === undefined) return key;
    messages.set(key, template);
  }
  if (!template.includes('{')) return template;
  return template.replace(/\{(\w+)\}/g, (_, name: string) => String(parameters[name] ?? `{${name}}`));
}

export function translator(locale: Locale = DEFAULT_LOCALE): Translate {
  return (key, parameters = {}) => lookup(locale, key, parameters);
}

/**
 * The language of the request being served. Services and zod schemas are far below the request and
 * are not handed it: they ask here when they build a message, so no signature changes with the language.
 */
const requestLocale = new AsyncLocalStorage<Locale>();

export function withLocale<T>(locale: Locale, run: () => T): T {
  return requestLocale.run(locale, run);
}

/** French outside a request (start-up, command line), as the institution's own language. */
export function currentLocale(): Locale {
  return requestLocale.getStore() ?? DEFAULT_LOCALE;
}

/** Translates in the language of the current request, read at each call. */
export const t: Translate = (key, parameters = {}) => lookup(currentLocale(), key, parameters);

/**
 * zod parameters whose message is looked up when a value fails, not when the schema is built: schemas
 * built once at import time still answer in the language of each request.
 */
export const lazyMessage = (key: string, parameters?: Record<string, string | number>) => ({ error: () => t(key, parameters) });
