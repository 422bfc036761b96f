import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';

/**
 * The article texts and labels of the printed documents live in versioned, translatable files
 * (documents/texts/<lang>/*.json), not in the drawing code. Loaded once, checked on load: every
 * language has every label, the 13 articles of the ministerial model and the 15 D124-4 mentions.
 */
export const DOCUMENT_LANGUAGES = ['fr', 'en', 'es', 'de', 'it'] as const;
export type DocumentLanguage = (typeof DOCUMENT_LANGUAGES)[number];

export const ARTICLE_KEYS = [
  'purpose',
  'aims',
  'presence',
  'supervision',
  'gratification',
  'socialProtection',
  'liability',
  'discipline',
  'leave',
  'confidentiality',
  'intellectualProperty',
  'end',
  'law',
] as const;

const nonEmpty = z.string().trim().min(1);

const conventionTextsSchema = z.object({
  version: nonEmpty,
  language: z.enum(DOCUMENT_LANGUAGES),
  labels: z.record(z.string(), nonEmpty),
  articles: z.array(z.object({ key: z.enum(ARTICLE_KEYS), title: nonEmpty, body: nonEmpty })).length(ARTICLE_KEYS.length),
  mentions: z.array(nonEmpty).length(15),
});
export type ConventionTexts = z.output<typeof conventionTextsSchema>;

const certificateTextsSchema = z.object({
  version: nonEmpty,
  language: z.literal('fr'),
  certificateTitle: nonEmpty,
  certificateSubtitle: nonEmpty,
  certificateIntro: nonEmpty,
  totalDuration: nonEmpty,
  totalGratification: nonEmpty,
  certificateNote: nonEmpty,
  certificateSignature: nonEmpty,
  summaryTitle: nonEmpty,
  status: nonEmpty,
  statuses: z.record(z.string(), nonEmpty),
});
export type CertificateTexts = z.output<typeof certificateTextsSchema>;

const amendmentTextsSchema = z.object({
  version: nonEmpty,
  language: z.literal('fr'),
  title: nonEmpty,
  subtitle: nonEmpty,
  intro: nonEmpty,
  introNoHost: nonEmpty,
  parties: nonEmpty,
  kind: nonEmpty,
  kinds: z.object({ termination: nonEmpty, changes: nonEmpty }),
  reason: nonEmpty,
  termination: nonEmpty,
  terminationDate: nonEmpty,
  terminationComment: nonEmpty,
  changes: nonEmpty,
  changeItem: nonEmpty,
  before: nonEmpty,
  after: nonEmpty,
  empty: nonEmpty,
  status: nonEmpty,
  statuses: z.object({ submitted: nonEmpty, validated: nonEmpty }),
  validatedOn: nonEmpty,
  createdOn: nonEmpty,
});
export type AmendmentTexts = z.output<typeof amendmentTextsSchema>;

const root = fileURLToPath(new URL('../../documents/texts/', import.meta.url));

function readJson(path: string): unknown {
  return JSON.parse(readFileSync(`${root}${path}`, 'utf8')) as unknown;
}

function load(): { convention: Record<DocumentLanguage, ConventionTexts>; certificate: CertificateTexts; amendment: AmendmentTexts } {
  const convention = Object.fromEntries(
    DOCUMENT_LANGUAGES.map((language) => [language, conventionTextsSchema.parse(readJson(`${language}/convention.json`))]),
  ) as Record<DocumentLanguage, ConventionTexts>;
  const reference = Object.keys(convention.fr.labels).sort().join(',');
  for (const language of DOCUMENT_LANGUAGES) {
    const texts = convention[language];
    if (texts.language !== language) throw new Error(`documents/texts/${language}/convention.json says it is ${texts.language}`);
    if (Object.keys(texts.labels).sort().join(',') !== reference)
      throw new Error(`documents/texts/${language}/convention.json does not have the labels of the French file`);
    texts.articles.forEach((article, index) => {
      if (article.key !== ARTICLE_KEYS[index])
        throw new Error(`documents/texts/${language}/convention.json: article ${index + 1} should be ${ARTICLE_KEYS[index]}`);
    });
  }
  return {
    convention,
    certificate: certificateTextsSchema.parse(readJson('fr/certificate.json')),
    amendment: amendmentTextsSchema.parse(readJson('fr/amendment.json')),
  };
}

let loaded: ReturnType<typeof load> | undefined;

export function documentTexts(): ReturnType<typeof load> {
  loaded ??= load();
  return loaded;
}

export function isDocumentLanguage(value: unknown): value is DocumentLanguage {
  return typeof value === 'string' && (DOCUMENT_LANGUAGES as readonly string[]).includes(value);
}

/** Replaces `{name}` by its value; an unknown placeholder is left as written (the texts are checked in tests). */
export function fill(template: string, values: Record<string, string | number>): string {
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => (values[name] === undefined ? whole : String(values[name])));
}
