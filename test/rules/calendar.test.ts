import { describe, expect, it } from 'vitest';
import {
  addDays,
  compareIsoDates,
  daysBetween,
  daysInMonth,
  eachDay,
  formatFrenchDate,
  fromDayNumber,
  isIsoDate,
  isoDayOfWeek,
  isWithin,
  parseIsoDate,
  rangesOverlap,
  toDayNumber,
  yearOf,
} from '../../src/rules/calendar.ts';

describe('ISO dates', () => {
  it('parses a calendar date into its parts', () => {
    expect(parseIsoDate('2026-07-14')).toEqual({ year: 2026, month: 7, day: 14 });
  });

  it.each(['2026-02-29', '2026-13-01', '2026-00-10', '2026-04-31', '26-07-14', '2026-7-14', '14/07/2026', '2026-07-14T00:00:00Z', ''])(
    'refuses %j',
    (value) => {
      expect(isIsoDate(value)).toBe(false);
      expect(() => parseIsoDate(value)).toThrow(RangeError);
    },
  );

  it('knows leap years: 29 February 2028 exists, 2100 is not leap, 2000 was', () => {
    expect(isIsoDate('2028-02-29')).toBe(true);
    expect(daysInMonth(2100, 2)).toBe(28);
    expect(daysInMonth(2000, 2)).toBe(29);
    expect(daysInMonth(2026, 4)).toBe(30);
  });

  it('counts days from 1970-01-01 and back', () => {
    expect(toDayNumber('1970-01-01')).toBe(0);
    expect(toDayNumber('1969-12-31')).toBe(-1);
    expect(fromDayNumber(toDayNumber('2026-07-14'))).toBe('2026-07-14');
  });

  it('adds days across months, years and the daylight-saving change of 29 March 2026', () => {
    expect(addDays('2026-03-28', 1)).toBe('2026-03-29');
    expect(addDays('2026-03-29', 1)).toBe('2026-03-30');
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
    expect(addDays('2028-02-28', 1)).toBe('2028-02-29');
    expect(addDays('2026-03-01', -1)).toBe('2026-02-28');
    expect(daysBetween('2026-07-01', '2026-08-31')).toBe(61);
  });

  it('gives the ISO day of the week (1 = Monday … 7 = Sunday)', () => {
    expect(isoDayOfWeek('2026-07-01')).toBe(3); // Wednesday
    expect(isoDayOfWeek('2026-07-14')).toBe(2); // Tuesday
    expect(isoDayOfWeek('2026-08-15')).toBe(6); // Saturday
    expect(isoDayOfWeek('2026-04-05')).toBe(7); // Easter Sunday
    expect(isoDayOfWeek('1969-12-29')).toBe(1); // a Monday before the epoch
  });

  it('compares and iterates inclusively', () => {
    expect(compareIsoDates('2026-01-02', '2026-01-10')).toBe(-1);
    expect(compareIsoDates('2026-01-10', '2026-01-10')).toBe(0);
    expect(compareIsoDates('2027-01-01', '2026-12-31')).toBe(1);
    expect([...eachDay('2026-12-30', '2027-01-02')]).toEqual(['2026-12-30', '2026-12-31', '2027-01-01', '2027-01-02']);
    expect([...eachDay('2026-01-02', '2026-01-01')]).toEqual([]);
  });

  it('tells whether ranges share a day (inclusive bounds)', () => {
    const july = { start: '2026-07-01', end: '2026-07-31' };
    expect(rangesOverlap(july, { start: '2026-07-31', end: '2026-08-31' })).toBe(true);
    expect(rangesOverlap(july, { start: '2026-08-01', end: '2026-08-31' })).toBe(false);
    expect(rangesOverlap(july, { start: '2026-06-01', end: '2026-09-30' })).toBe(true);
    expect(isWithin('2026-07-31', july)).toBe(true);
    expect(isWithin('2026-08-01', july)).toBe(false);
  });

  it('formats dates the French way and extracts the year', () => {
    expect(formatFrenchDate('2026-07-04')).toBe('04/07/2026');
    expect(yearOf('2027-01-01')).toBe(2027);
  });
});
