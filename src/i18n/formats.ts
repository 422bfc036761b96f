import { formatEuros, formatHours } from '../rules/units.ts';
import { currentLocale, type Locale } from './index.ts';

/** The conventions of each language for dates and numbers: British English beside French (day first, 24 h). */
export const INTL_LOCALES: Record<Locale, string> = { fr: 'fr-FR', en: 'en-GB' };

interface Format<Value> {
  format(value: Value): string;
}

/** An Intl format built once per language and chosen, at each call, by the language of the request. */
function perLocale<Value>(build: (tag: string) => Format<Value>): Format<Value> {
  const formats = new Map<Locale, Format<Value>>();
  return {
    format(value) {
      const locale = currentLocale();
      let format = formats.get(locale);
      if (!format) {
        format = build(INTL_LOCALES[locale]);
        formats.set(locale, format);
      }
      return format.format(value);
    },
  };
}

export const localeDateTimeFormat = (options: Intl.DateTimeFormatOptions) => perLocale<Date | number>((tag) => new Intl.DateTimeFormat(tag, options));
export const localeNumberFormat = (options?: Intl.NumberFormatOptions) => perLocale<number | bigint>((tag) => new Intl.NumberFormat(tag, options));

const wholeNumber = localeNumberFormat({ maximumFractionDigits: 0 });
const eurosFormat = localeNumberFormat({ style: 'currency', currency: 'EUR' });

/** Minutes as hours in the language of the request; French keeps the format of its documents ("1 036 h 30"). */
export function localeHours(minutes: number): string {
  if (currentLocale() === 'fr') return formatHours(minutes);
  const rest = minutes % 60;
  return `${wholeNumber.format(Math.floor(minutes / 60))}\u00a0h${rest === 0 ? '' : `\u00a0${String(rest).padStart(2, '0')}`}`;
}

/** Cents as euros in the language of the request; French keeps the format of its documents ("1 234,56 €"). */
export const localeEuros = (cents: number): string => (currentLocale() === 'fr' ? formatEuros(cents) : eurosFormat.format(cents / 100));
