/**
 * The academic year a calendar date belongs to, e.g. 2026-11-23 → "2026-2027" with the default
 * switch-over on 1 September. Dates are compared as calendar dates ('YYYY-MM-DD'), never through time zones.
 */
export interface SwitchOver {
  month: number;
  day: number;
}

export function academicYearOf(isoDate: string, switchOver: SwitchOver): string {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(isoDate);
  if (!match) throw new RangeError(`not an ISO date: ${isoDate}`);
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const beforeSwitchOver = month < switchOver.month || (month === switchOver.month && day < switchOver.day);
  const startYear = beforeSwitchOver ? year - 1 : year;
  return `${startYear}-${startYear + 1}`;
}

// Built once: constructing a DateTimeFormat with a time zone costs far more than formatting with it.
const frenchCalendarDate = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Paris', year: 'numeric', month: '2-digit', day: '2-digit' });

/** Today's date in France, as 'YYYY-MM-DD': the legal calendar of the institution. */
export function todayInFrance(now: Date = new Date()): string {
  return frenchCalendarDate.format(now);
}
