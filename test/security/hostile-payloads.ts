import type { FormField } from './hostile-html.ts';

/** The hostile values posted to every field, by family (the list). */

export const SCRIPT = '<script>alert(1)</script>';
export const ATTRIBUTE_BREAK = '"><img src=x onerror=alert(1)>';
export const DROP_TABLE = "'; DROP TABLE convention; --";
export const ALWAYS_TRUE = "' OR '1'='1";
/** A combining accent, a right-to-left mark and an emoji made of several code points. */
export const UNICODE = 'Cafe\u0301 \u200fشكرا\u200f 👩‍🎓';
export const NUL = 'abc\u0000def';
export const LONG = 'Lorem ipsum '.repeat(834).slice(0, 10_000);
export const FORMULAS = ['=HYPERLINK("http://x")', '+1', '-1+2', '@SUM(A1)'] as const;

/** What an HTML answer must never contain as such: the markup of the two HTML payloads. */
export const RAW_MARKUP = ['<script>alert(1)</script>', '<img src=x onerror=alert(1)>'];

/** What EJS's `<%= %>` makes of a text. */
export function escapedHtml(text: string): string {
  return text.replace(/[&<>"']/g, (character) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&#34;', "'": '&#39;' })[character]!);
}

/** Fields a person types text in. */
export const TEXT_KINDS = new Set(['text', 'textarea', 'email', 'tel', 'url', 'search', 'number', 'date']);
const FREE_TEXT_KINDS = new Set(['text', 'textarea']);

/** Every field a person (or a forger) can set: not the hidden ones, not files, not the honeypot. */
export const isFuzzable = (field: FormField) => field.kind !== 'hidden' && field.kind !== 'file' && !field.notForPeople;
export const isFreeText = (field: FormField) => FREE_TEXT_KINDS.has(field.kind) && !field.notForPeople;

export type Value = string | string[];

export interface Family {
  name: string;
  /** Never acceptable in a text field: a post carrying it in one must be refused, with a message. */
  refused: boolean;
  /** Fields set per post, when not all at once. */
  fieldsPerPost?: number;
  valueFor(field: FormField, index: number): Value;
}

const everywhere = (name: string, value: string, refused = false): Family => ({ name, refused, valueFor: () => value });

/** Wrong types: letters in numbers and dates, unknown choices, a text field sent twice (an array). */
const wrongTypes: Family = {
  name: 'wrong types',
  refused: false,
  valueFor(field) {
    switch (field.kind) {
      case 'number':
        return 'douze';
      case 'date':
        return '31/02/2026';
      case 'select':
      case 'radio':
      case 'button':
        return 'valeur-inconnue';
      case 'checkbox':
        return ['valeur-inconnue', 'autre'];
      default:
        return ['premier', 'second'];
    }
  },
};

/** Families posted with every settable field of a form set to them. */
export const FAMILIES: Family[] = [
  everywhere('empty', ''),
  // 15 fields at a time: a body over 200 KB is refused whole, before any field is looked at.
  { ...everywhere('10,000 characters', LONG, true), fieldsPerPost: 15 },
  wrongTypes,
  everywhere('HTML', `${SCRIPT}${ATTRIBUTE_BREAK}`),
  everywhere('SQL', `${ALWAYS_TRUE}${DROP_TABLE}`),
  everywhere('Unicode', UNICODE),
  everywhere('NUL byte', NUL, true),
  { name: 'formula', refused: false, valueFor: (_field, index) => FORMULAS[index % FORMULAS.length]! },
];

/**
 * Values a free-text field may well accept: posted to be stored (the other fields keep their
 * values), then looked for, escaped or neutralised, on the pages, PDFs and exports that show them.
 * Each field gets the next one, so that a form stores several of them at once.
 */
export const STORABLE = [SCRIPT, ATTRIBUTE_BREAK, UNICODE, FORMULAS[0], DROP_TABLE, FORMULAS[1], ALWAYS_TRUE, FORMULAS[2], FORMULAS[3]];
