/**
 * Calendar arithmetic on ISO dates ('YYYY-MM-DD' strings).
 *
 * A date here is a day of the civil calendar, not an instant: it is never turned into a local-time
 * `Date`, so the server's time zone and daylight-saving changes cannot shift it. Internally a date is
 * mapped to its "day number" (days since 1970-01-01, computed with `Date.UTC`), on which adding days,
 * differences and days of the week are plain integer arithmetic.
 */

export interface CalendarDate {
  year: number;
  month: number;
  day: number;
}

/** An inclusive range of calendar dates: both `start` and `end` belong to it. */
export interface DateRange {
  start: string;
  end: string;
}

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const MILLISECONDS_PER_DAY = 86_400_000;

/** Splits an ISO date into its parts; throws a RangeError for a malformed or impossible date (2026-02-30). */
export function parseIsoDate(isoDate: string): CalendarDate {
  const match = ISO_DATE.exec(isoDate);
  if (!match) throw new RangeError(`not an ISO date: ${isoDate}`);
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) throw new RangeError(`not a calendar date: ${isoDate}`);
  return { year, month, day };
}

/** Whether the string is a real calendar date written 'YYYY-MM-DD'. */
export function isIsoDate(value: string): boolean {
  try {
    parseIsoDate(value);
    return true;
  } catch {
    return false;
  }
}

/** Formats year, month, day as 'YYYY-MM-DD' (years 0–9999). */
export function formatIsoDate(year: number, month: number, day: number): string {
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

export function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

export function daysInMonth(year: number, month: number): number {
  if (month === 2) return isLeapYear(year) ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

/** Days elapsed since 1970-01-01 (negative before). */
export function toDayNumber(isoDate: string): number {
  const { year, month, day } = parseIsoDate(isoDate);
  return Date.UTC(year, month - 1, day) / MILLISECONDS_PER_DAY;
}

/** The ISO date of a day number (inverse of `toDayNumber`). */
export function fromDayNumber(dayNumber: number): string {
  if (!Number.isInteger(dayNumber)) throw new RangeError(`not a whole day number: ${dayNumber}`);
  const date = new Date(dayNumber * MILLISECONDS_PER_DAY);
  return formatIsoDate(date.getUTCFullYear(), date.getUTCMonth() + 1, date.getUTCDate());
}

/** The date `days` days after (or before, when negative) the given one. */
export function addDays(isoDate: string, days: number): string {
  return fromDayNumber(toDayNumber(isoDate) + days);
}

/** Number of days from `from` to `to` (0 for the same day, negative when `to` is earlier). */
export function daysBetween(from: string, to: string): number {
  return toDayNumber(to) - toDayNumber(from);
}

/** ISO day of the week: 1 = Monday … 7 = Sunday. */
export function isoDayOfWeek(isoDate: string): number {
  // 1970-01-01 was a Thursday (ISO 4).
  return ((((toDayNumber(isoDate) + 3) % 7) + 7) % 7) + 1;
}

/** -1, 0 or 1 as `a` is before, the same day as, or after `b` (validates both dates). */
export function compareIsoDates(a: string, b: string): -1 | 0 | 1 {
  const difference = toDayNumber(a) - toDayNumber(b);
  return difference < 0 ? -1 : difference > 0 ? 1 : 0;
}

/** Every date from `start` to `end`, both included; nothing when `end` is before `start`. */
export function* eachDay(start: string, end: string): Generator<string> {
  const last = toDayNumber(end);
  for (let day = toDayNumber(start); day <= last; day += 1) yield fromDayNumber(day);
}

/** Whether the date lies in the inclusive range. */
export function isWithin(isoDate: string, range: DateRange): boolean {
  return compareIsoDates(range.start, isoDate) <= 0 && compareIsoDates(isoDate, range.end) <= 0;
}

/** Whether two inclusive ranges share at least one day (ranges that only touch, 31 Jan / 1 Feb, do not). */
export function rangesOverlap(a: DateRange, b: DateRange): boolean {
  return compareIsoDates(a.start, b.end) <= 0 && compareIsoDates(b.start, a.end) <= 0;
}

/** Calendar year of an ISO date. */
export function yearOf(isoDate: string): number {
  return parseIsoDate(isoDate).year;
}

/** French display of an ISO date: '2026-07-14' → '14/07/2026'. */
export function formatFrenchDate(isoDate: string): string {
  const { year, month, day } = parseIsoDate(isoDate);
  return `${String(day).padStart(2, '0')}/${String(month).padStart(2, '0')}/${String(year).padStart(4, '0')}`;
}
