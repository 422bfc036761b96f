/**
 * Hours of effective presence of an internship (D124-6), computed from its dates and weekly schedule.
 *
 * Conventions (documented here, relied upon by the wizard, the checks and the printed agreement):
 * - UNITS: durations are whole MINUTES (integers). `formatHours` in units.ts displays them.
 * - DAYS PER WEEK: 0.5 to 6 in steps of 0.5. Working days are taken from Monday onwards: the first
 *   ⌊d⌋ days are full days and, when d has a half, the next day is a half day. So 5 = Monday–Friday,
 *   6 = Monday–Saturday, 4.5 = Monday–Thursday + Friday morning, 2.5 = Monday, Tuesday + half
 *   Wednesday, 0.5 = half Monday. Sunday is never a working day of the computation.
 * - HOURS PER DAY: the weekly hours are spread evenly, a half day weighing half a full day:
 *   a full day = hoursPerWeek / d, a half day = hoursPerWeek / (2d). 35 h on 5 days = 7 h a day;
 *   35 h on 4.5 days = 7 h 46 min 40 s a full day.
 * - A day is not worked when it is a public holiday (national list + extra holidays passed in) or
 *   inside an interruption (inclusive ranges, within the period). Holidays falling on a non-working
 *   day change nothing.
 * - ROUNDING: the total is counted in half-day units H and converted once:
 *   minutes = round(weeklyMinutes × H / (2d)), half a minute rounded up. Per calendar year, cumulative
 *   totals are rounded the same way and differenced, so the years always add up to the total exactly.
 */
import { compareIsoDates, eachDay, isoDayOfWeek, parseIsoDate, type DateRange, yearOf } from './calendar.ts';
import { publicHolidaysBetween, type ExtraHolidays, type PublicHoliday } from './public-holidays.ts';
import { hoursToMinutes } from './units.ts';

export interface PresenceInput {
  startDate: string;
  endDate: string;
  /** 0.5 to 6, in steps of 0.5 (see the module comment). */
  daysPerWeek: number;
  /** Decimal hours ("35", 17.5); must be a whole number of minutes. */
  hoursPerWeek: number | string;
  /** Inclusive date ranges inside the period during which the intern is absent. */
  interruptions?: readonly DateRange[];
  /** Holidays added to the national list (Alsace-Moselle, overseas, local days). */
  extraHolidays?: ExtraHolidays;
}

/** D124-6 equivalences, from the legal parameters: `hoursPerDay` h = 1 day, `daysPerMonth` days = 1 month. */
export interface DurationParameters {
  hoursPerDay: number | string;
  daysPerMonth: number;
}

export interface DurationBreakdown {
  months: number;
  days: number;
  hours: number;
  minutes: number;
}

export interface YearPresence {
  year: number;
  minutes: number;
  /** Days of presence in the year, a half day counting 0.5. */
  workingDays: number;
}

export interface Presence {
  totalMinutes: number;
  /** Days of presence, a half day counting 0.5 (fullDays + halfDays / 2). */
  workingDays: number;
  fullDays: number;
  halfDays: number;
  /** Public holidays that fell on a working day outside interruptions, hence not worked. */
  excludedHolidays: PublicHoliday[];
  /** Minutes per calendar year, in year order (the minimum gratification applies per calendar year). */
  byYear: YearPresence[];
  breakdown: DurationBreakdown;
}

/** Allowed values of days per week: 0.5, 1, 1.5 … 6. */
export function isValidDaysPerWeek(daysPerWeek: number): boolean {
  return Number.isFinite(daysPerWeek) && Number.isInteger(daysPerWeek * 2) && daysPerWeek >= 0.5 && daysPerWeek <= 6;
}

/**
 * Weight of each ISO weekday (index 0 = Monday … 6 = Sunday) in half-day units: 2 = full day,
 * 1 = half day, 0 = not worked. 4.5 → [2, 2, 2, 2, 1, 0, 0].
 */
export function weeklyPattern(daysPerWeek: number): number[] {
  if (!isValidDaysPerWeek(daysPerWeek)) throw new RangeError(`days per week must be 0.5 to 6 in steps of 0.5: ${daysPerWeek}`);
  let remainingHalfDays = daysPerWeek * 2;
  return [0, 1, 2, 3, 4, 5, 6].map(() => {
    const weight = Math.min(2, remainingHalfDays);
    remainingHalfDays -= weight;
    return weight;
  });
}

/** D124-6 breakdown of a duration: with 7 h and 22 days, 385 h → 2 months 11 days 0 h 0 min. */
export function durationBreakdown(totalMinutes: number, parameters: DurationParameters): DurationBreakdown {
  if (!Number.isInteger(totalMinutes) || totalMinutes < 0) throw new RangeError(`not a whole number of minutes: ${totalMinutes}`);
  const minutesPerDay = hoursToMinutes(parameters.hoursPerDay);
  if (minutesPerDay <= 0) throw new RangeError('hours per day must be positive');
  if (!Number.isInteger(parameters.daysPerMonth) || parameters.daysPerMonth <= 0) throw new RangeError('days per month must be a positive integer');
  const totalDays = Math.floor(totalMinutes / minutesPerDay);
  const rest = totalMinutes % minutesPerDay;
  return {
    months: Math.floor(totalDays / parameters.daysPerMonth),
    days: totalDays % parameters.daysPerMonth,
    hours: Math.floor(rest / 60),
    minutes: rest % 60,
  };
}

/** Throws a RangeError when the period or an interruption is malformed, reversed or outside the period. */
export function assertValidPeriod(startDate: string, endDate: string, interruptions: readonly DateRange[] = []): void {
  if (compareIsoDates(startDate, endDate) > 0) throw new RangeError(`end date ${endDate} is before start date ${startDate}`);
  for (const interruption of interruptions) {
    if (compareIsoDates(interruption.start, interruption.end) > 0) {
      throw new RangeError(`interruption ends (${interruption.end}) before it starts (${interruption.start})`);
    }
    if (compareIsoDates(interruption.start, startDate) < 0 || compareIsoDates(interruption.end, endDate) > 0) {
      throw new RangeError(`interruption ${interruption.start}–${interruption.end} is outside the internship`);
    }
  }
}

/** Computes the hours of presence; throws a RangeError on invalid input (see `assertValidPeriod`). */
export function computePresence(input: PresenceInput, parameters: DurationParameters): Presence {
  const interruptions = input.interruptions ?? [];
  parseIsoDate(input.startDate);
  parseIsoDate(input.endDate);
  assertValidPeriod(input.startDate, input.endDate, interruptions);
  const pattern = weeklyPattern(input.daysPerWeek);
  const weeklyMinutes = hoursToMinutes(input.hoursPerWeek);
  const halfDaysPerWeek = input.daysPerWeek * 2;

  const holidays = new Map(publicHolidaysBetween(input.startDate, input.endDate, input.extraHolidays).map((h) => [h.date, h]));
  const interrupted = (date: string) => interruptions.some((range) => compareIsoDates(range.start, date) <= 0 && compareIsoDates(date, range.end) <= 0);

  const halfDayUnitsByYear = new Map<number, number>();
  const excludedHolidays: PublicHoliday[] = [];
  let fullDays = 0;
  let halfDays = 0;
  for (const date of eachDay(input.startDate, input.endDate)) {
    const weight = pattern[isoDayOfWeek(date) - 1] ?? 0;
    if (weight === 0 || interrupted(date)) continue;
    const holiday = holidays.get(date);
    if (holiday) {
      excludedHolidays.push(holiday);
      continue;
    }
    if (weight === 2) fullDays += 1;
    else halfDays += 1;
    const year = yearOf(date);
    halfDayUnitsByYear.set(year, (halfDayUnitsByYear.get(year) ?? 0) + weight);
  }

  const toMinutes = (halfDayUnits: number) => Math.round((weeklyMinutes * halfDayUnits) / halfDaysPerWeek);
  const byYear: YearPresence[] = [];
  let cumulativeUnits = 0;
  for (const year of [...halfDayUnitsByYear.keys()].sort((a, b) => a - b)) {
    const units = halfDayUnitsByYear.get(year) ?? 0;
    const minutes = toMinutes(cumulativeUnits + units) - toMinutes(cumulativeUnits);
    cumulativeUnits += units;
    byYear.push({ year, minutes, workingDays: units / 2 });
  }
  const totalMinutes = toMinutes(cumulativeUnits);
  return {
    totalMinutes,
    workingDays: fullDays + halfDays / 2,
    fullDays,
    halfDays,
    excludedHolidays,
    byYear,
    breakdown: durationBreakdown(totalMinutes, parameters),
  };
}
