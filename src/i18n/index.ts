import { fr, type MessageCatalogue } from './fr.ts';

/**
 * Message catalogue lookup. Every string of the interface goes through here so that another language
 * is a new catalogue, not a hunt through templates.
 */
export type Locale = 'fr';
const catalogues: Record<Locale, MessageCatalogue> = { fr };

export type Translate = (key: string, parameters?: Record<string, string | number>) => string;

export function translator(locale: Locale = 'fr'): Translate {
  const catalogue = catalogues[locale];
  return (key, parameters = {}) => {
    const template = key.split('.').reduce<unknown>((node, part) => (node as Record<string, unknown> | undefined)?.[part], catalogue);
    if (typeof template !== 'string') return key;
    return template.replace(/\{(\w+)\}/g, (_, name: string) => String(parameters[name] ?? `{${name}}`));
  };
}
