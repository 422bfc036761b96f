/**
 * French public holidays ("jours fériés", Code du travail L3133-1) of metropolitan France.
 *
 * The eleven national days are counted: 1 January, Easter Monday, 1 May, 8 May, Ascension Thursday,
 * Whit Monday, 14 July, 15 August, 1 November, 11 November, 25 December. Whit Monday stays a public
 * holiday even where an employer makes it the "journée de solidarité": the hours of presence are an
 * estimate written in the agreement, so the legal calendar is used.
 *
 * Regional days are NOT counted by default:
 * - Alsace-Moselle (Bas-Rhin, Haut-Rhin, Moselle): Good Friday and 26 December (Code du travail L3134-13);
 *   `alsaceMoselleHolidays(year)` returns them, ready to be passed as extra holidays;
 * - overseas departments and collectivities: the abolition-of-slavery day of each territory
 *   (e.g. Mayotte 27 April, Martinique 22 May, Guadeloupe 27 May, French Guiana 10 June,
 *   La Réunion 20 December — loi 83-550) and other local days.
 * Every function that needs holidays takes a list of extra holiday dates: an institution (or a centre,
 * or the place of the internship) extends the national list by configuring those dates, e.g. the
 * result of `alsaceMoselleHolidays` or the abolition day of its territory for each year.
 */
import { addDays, compareIsoDates, formatIsoDate, parseIsoDate, yearOf } from './calendar.ts';

export type HolidayKey =
  | 'new-year'
  | 'easter-monday'
  | 'labour-day'
  | 'victory-1945'
  | 'ascension'
  | 'whit-monday'
  | 'national-day'
  | 'assumption'
  | 'all-saints'
  | 'armistice-1918'
  | 'christmas'
  | 'good-friday'
  | 'saint-stephen'
  | 'extra';

export interface PublicHoliday {
  date: string;
  key: HolidayKey;
  /** French name, as printed. */
  name: string;
}

/** Easter Sunday of a Gregorian year (anonymous Gregorian algorithm, a.k.a. Meeus/Jones/Butcher). */
export function easterSunday(year: number): string {
  if (!Number.isInteger(year) || year < 1583 || year > 9999) throw new RangeError(`year outside the Gregorian calendar: ${year}`);
  const a = year % 19;
  const b = Math.floor(year / 100);
  const c = year % 100;
  const d = Math.floor(b / 4);
  const e = b % 4;
  const f = Math.floor((b + 8) / 25);
  const g = Math.floor((b - f + 1) / 3);
  const h = (19 * a + b - d - g + 15) % 30;
  const i = Math.floor(c / 4);
  const k = c % 4;
  const l = (32 + 2 * e + 2 * i - h - k) % 7;
  const m = Math.floor((a + 11 * h + 22 * l) / 451);
  const month = Math.floor((h + l - 7 * m + 114) / 31);
  const day = ((h + l - 7 * m + 114) % 31) + 1;
  return formatIsoDate(year, month, day);
}

/** The eleven national public holidays of a year, in date order. */
export function frenchPublicHolidays(year: number): PublicHoliday[] {
  const easter = easterSunday(year);
  const fixed = (month: number, day: number) => formatIsoDate(year, month, day);
  const holidays: PublicHoliday[] = [
    { date: fixed(1, 1), key: 'new-year', name: 'Jour de l’an' },
    { date: addDays(easter, 1), key: 'easter-monday', name: 'Lundi de Pâques' },
    { date: fixed(5, 1), key: 'labour-day', name: 'Fête du travail' },
    { date: fixed(5, 8), key: 'victory-1945', name: 'Victoire 1945' },
    { date: addDays(easter, 39), key: 'ascension', name: 'Ascension' },
    { date: addDays(easter, 50), key: 'whit-monday', name: 'Lundi de Pentecôte' },
    { date: fixed(7, 14), key: 'national-day', name: 'Fête nationale' },
    { date: fixed(8, 15), key: 'assumption', name: 'Assomption' },
    { date: fixed(11, 1), key: 'all-saints', name: 'Toussaint' },
    { date: fixed(11, 11), key: 'armistice-1918', name: 'Armistice 1918' },
    { date: fixed(12, 25), key: 'christmas', name: 'Noël' },
  ];
  return holidays.sort((x, y) => compareIsoDates(x.date, y.date));
}

/** The two extra days of Alsace-Moselle (Good Friday, 26 December): opt-in, see the module comment. */
export function alsaceMoselleHolidays(year: number): PublicHoliday[] {
  return [
    { date: addDays(easterSunday(year), -2), key: 'good-friday', name: 'Vendredi saint' },
    { date: formatIsoDate(year, 12, 26), key: 'saint-stephen', name: 'Saint-Étienne' },
  ];
}

/** Extra holidays as configured: ISO dates, or holidays with their names. */
export type ExtraHolidays = readonly (string | PublicHoliday)[];

/**
 * National public holidays from `start` to `end` (both included), plus the extra ones falling in the
 * range, in date order and without duplicates (a national day wins over an extra day on the same date).
 */
export function publicHolidaysBetween(start: string, end: string, extra: ExtraHolidays = []): PublicHoliday[] {
  if (compareIsoDates(start, end) > 0) return [];
  const byDate = new Map<string, PublicHoliday>();
  for (let year = yearOf(start); year <= yearOf(end); year += 1) {
    for (const holiday of frenchPublicHolidays(year)) if (!byDate.has(holiday.date)) byDate.set(holiday.date, holiday);
  }
  for (const item of extra) {
    const holiday: PublicHoliday = typeof item === 'string' ? { date: item, key: 'extra', name: 'Jour férié local' } : item;
    parseIsoDate(holiday.date);
    if (!byDate.has(holiday.date)) byDate.set(holiday.date, holiday);
  }
  return [...byDate.values()]
    .filter((holiday) => compareIsoDates(start, holiday.date) <= 0 && compareIsoDates(holiday.date, end) <= 0)
    .sort((x, y) => compareIsoDates(x.date, y.date));
}

/** Whether the date is a national public holiday or one of the extra ones. */
export function isPublicHoliday(isoDate: string, extra: ExtraHolidays = []): boolean {
  return publicHolidaysBetween(isoDate, isoDate, extra).length > 0;
}
