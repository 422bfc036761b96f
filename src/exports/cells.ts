import type { Translate } from '../i18n/index.ts';
import type { ExportColumn } from './columns.ts';

/**
 * From the values the export query returns to what a spreadsheet cell holds. The query gives dates
 * as 'YYYY-MM-DD', instants as French wall-clock 'YYYY-MM-DD HH:MI', money in cents, hours in minutes,
 * NUMERIC as strings; the XLSX gets real dates and numbers, the CSV what French Excel reads as such
 * (dd/mm/yyyy, decimal comma).
 */
export type XlsxValue = string | number | Date | null;
type Convert<T> = (raw: unknown) => T;

/**
 * Text that a spreadsheet could run as a formula (starting with = + - @, a tab or a carriage return)
 * gets a leading apostrophe, so that an exported "=HYPERLINK(…)" typed by someone is shown, not run.
 */
export function neutralised(text: string): string {
  return /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
}

const digits = (text: string, start: number, end: number) => Number(text.slice(start, end));

/** A calendar date (or a wall-clock time) as the UTC instant ExcelJS turns into the same Excel serial date. */
function excelDate(text: string): Date {
  const hasTime = text.length > 10;
  return new Date(
    Date.UTC(digits(text, 0, 4), digits(text, 5, 7) - 1, digits(text, 8, 10), hasTime ? digits(text, 11, 13) : 0, hasTime ? digits(text, 14, 16) : 0),
  );
}

/** 'YYYY-MM-DD[ HH:MI]' → 'DD/MM/YYYY[ HH:MI]'. */
const frenchDate = (text: string) => `${text.slice(8, 10)}/${text.slice(5, 7)}/${text.slice(0, 4)}${text.slice(10)}`;

const hoursOf = (minutes: number) => Math.round((minutes * 100) / 60) / 100;
const decimalComma = (value: number) => String(value).replace('.', ',');

/** The catalogue's name of each code of a `label` column, looked up once per code. */
function labeller(column: ExportColumn, t: Translate): (code: string) => string {
  const names = new Map<string, string>();
  return (code) => {
    let name = names.get(code);
    if (name === undefined) {
      const key = `${column.labels}.${code}`;
      const translated = t(key);
      name = translated === key ? code : translated;
      names.set(code, name);
    }
    return name;
  };
}

function xlsxConverter(column: ExportColumn, t: Translate): Convert<XlsxValue> {
  switch (column.type) {
    case 'text':
    case 'code':
      return (raw) => neutralised(String(raw));
    case 'integer':
    case 'decimal':
      return (raw) => Number(raw);
    case 'money':
      return (raw) => (raw as number) / 100;
    case 'hours':
      return (raw) => hoursOf(raw as number);
    case 'date':
    case 'datetime':
      return (raw) => excelDate(raw as string);
    case 'yesNo':
      return (raw) => t(raw ? 'common.yes' : 'common.no');
    case 'label': {
      const name = labeller(column, t);
      return (raw) => name(String(raw));
    }
  }
}

/** Identifiers made of digits only (SIRET, postal code…), which Excel would turn into numbers and strip of their zeros. */
const ALL_DIGITS = /^\d+$/;

function csvConverter(column: ExportColumn, t: Translate): Convert<string> {
  switch (column.type) {
    case 'text':
      return (raw) => neutralised(String(raw));
    case 'code':
      // A formula made of a string literal of digits is shown as that text; it cannot carry anything else.
      return (raw) => (ALL_DIGITS.test(String(raw)) ? `="${String(raw)}"` : neutralised(String(raw)));
    case 'integer':
      return (raw) => String(raw);
    case 'decimal':
      return (raw) => decimalComma(Number(raw));
    case 'money':
      return (raw) => ((raw as number) / 100).toFixed(2).replace('.', ',');
    case 'hours':
      return (raw) => decimalComma(hoursOf(raw as number));
    case 'date':
    case 'datetime':
      return (raw) => frenchDate(raw as string);
    case 'yesNo':
      return (raw) => t(raw ? 'common.yes' : 'common.no');
    case 'label': {
      const name = labeller(column, t);
      return (raw) => name(String(raw));
    }
  }
}

/** A row converter: NULL stays an empty cell whatever the type. */
function rowConverter<T>(converters: Convert<T>[]): (row: readonly unknown[]) => (T | null)[] {
  return (row) => converters.map((convert, index) => (row[index] === null || row[index] === undefined ? null : convert(row[index])));
}

export function xlsxRow(columns: readonly ExportColumn[], t: Translate): (row: readonly unknown[]) => XlsxValue[] {
  return rowConverter(columns.map((column) => xlsxConverter(column, t)));
}

export function csvRow(columns: readonly ExportColumn[], t: Translate): (row: readonly unknown[]) => (string | null)[] {
  return rowConverter(columns.map((column) => csvConverter(column, t)));
}
