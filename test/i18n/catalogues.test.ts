import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { fr } from '../../src/i18n/fr.ts';
import { en } from '../../src/i18n/en.ts';
import { LOCALES, translator } from '../../src/i18n/index.ts';

const root = fileURLToPath(new URL('../..', import.meta.url));

function filesUnder(directory: string, extension: string): string[] {
  return readdirSync(directory).flatMap((name) => {
    const full = path.join(directory, name);
    if (statSync(full).isDirectory()) return filesUnder(full, extension);
    return full.endsWith(extension) ? [full] : [];
  });
}

/** Keys written whole where a message is looked up: t('a.b'), translate(res)('a.b'), lazyMessage('a.b'), titleKey: 'a.b'… */
const LITERAL_KEY = /(?:\bt|\)|\blazyMessage|\btranslate)\(\s*['"`]([a-zA-Z]+(?:\.[a-zA-Z0-9_]+)+)['"`]/g;

function keysUsedIn(files: string[]): Map<string, string> {
  const keys = new Map<string, string>();
  for (const file of files) {
    for (const match of readFileSync(file, 'utf8').matchAll(LITERAL_KEY)) keys.set(match[1]!, path.relative(root, file));
  }
  return keys;
}

function leafKeys(node: unknown, prefix = ''): string[] {
  if (typeof node === 'string') return [prefix];
  return Object.entries(node as Record<string, unknown>).flatMap(([key, value]) => leafKeys(value, prefix ? `${prefix}.${key}` : key));
}

describe('message catalogues', () => {
  const used = keysUsedIn([
    ...filesUnder(path.join(root, 'views'), '.ejs'),
    ...filesUnder(path.join(root, 'src'), '.ts').filter((file) => !file.includes(`${path.sep}i18n${path.sep}`)),
  ]);

  it('finds the keys the interface uses', () => {
    expect(used.size).toBeGreaterThan(500);
    expect(used.has('common.auth.signOut')).toBe(true);
  });

  it.each(LOCALES)('has every key written in a view or in the code, as a message, in %s', (locale) => {
    const t = translator(locale);
    const missing = [...used].filter(([key]) => t(key) === key).map(([key, file]) => `${key} (${file})`);
    expect(missing).toEqual([]);
  });

  it('has the same keys in English as in French, and no English message left in French', () => {
    expect(leafKeys(en).sort()).toEqual(leafKeys(fr).sort());
    // Each language is named in itself on the switch, whatever the language of the page.
    const untranslated = leafKeys(fr).filter((key) => {
      if (key.startsWith('common.language.') && key !== 'common.language.label') return false;
      const french = translator('fr')(key);
      return french === translator('en')(key) && /[éèàçù’]|\b(?:le|la|les|des|du|une?|et|est|pour)\b/i.test(french);
    });
    expect(untranslated).toEqual([]);
  });

  it('keeps the placeholders of each message', () => {
    const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((match) => match[1]).sort();
    const different = leafKeys(fr).filter((key) => placeholders(translator('fr')(key)).join() !== placeholders(translator('en')(key)).join());
    expect(different).toEqual([]);
  });
});
