import { describe, expect, it } from 'vitest';
import { computePresence, durationBreakdown, isValidDaysPerWeek, weeklyPattern } from '../../src/rules/presence-hours.ts';
import { alsaceMoselleHolidays } from '../../src/rules/public-holidays.ts';
import { durationParameters } from './legal-parameters.ts';

// D124-6 equivalences of the seed file: 7 h = 1 day, 22 days = 1 month.
const presence = (input: Parameters<typeof computePresence>[0]) => computePresence(input, durationParameters);

describe('days-per-week convention', () => {
  it.each([
    [5, [2, 2, 2, 2, 2, 0, 0]], // Monday–Friday
    [6, [2, 2, 2, 2, 2, 2, 0]], // Monday–Saturday
    [4.5, [2, 2, 2, 2, 1, 0, 0]], // Monday–Thursday + half Friday
    [2.5, [2, 2, 1, 0, 0, 0, 0]], // Monday, Tuesday + half Wednesday
    [0.5, [1, 0, 0, 0, 0, 0, 0]], // half Monday
  ])('%s days a week → half-day weights Monday…Sunday %j', (days, pattern) => {
    expect(weeklyPattern(days)).toEqual(pattern);
  });

  it.each([0, 6.5, 7, 4.25, -1, Number.NaN])('refuses %s days a week', (days) => {
    expect(isValidDaysPerWeek(days)).toBe(false);
    expect(() => weeklyPattern(days)).toThrow(RangeError);
  });
});

describe('D124-6 breakdown (7 h = 1 day, 22 days = 1 month)', () => {
  it.each([
    [385 * 60, { months: 2, days: 11, hours: 0, minutes: 0 }], // 385 h = 55 days = 2 × 22 + 11
    [308 * 60, { months: 2, days: 0, hours: 0, minutes: 0 }], // 44 days
    [924 * 60, { months: 6, days: 0, hours: 0, minutes: 0 }], // 132 days
    [100 * 60, { months: 0, days: 14, hours: 2, minutes: 0 }], // 14 × 7 = 98 h, 2 h left
    [301 * 60 + 30, { months: 1, days: 21, hours: 0, minutes: 30 }],
    [0, { months: 0, days: 0, hours: 0, minutes: 0 }],
  ])('%i minutes → %j', (minutes, breakdown) => {
    expect(durationBreakdown(minutes, durationParameters)).toEqual(breakdown);
  });

  it('follows other parameters (8 h a day, 20 days a month)', () => {
    expect(durationBreakdown(385 * 60, { hoursPerDay: 8, daysPerMonth: 20 })).toEqual({ months: 2, days: 8, hours: 1, minutes: 0 });
  });

  it('refuses fractions of a minute and bad parameters', () => {
    expect(() => durationBreakdown(10.5, durationParameters)).toThrow(RangeError);
    expect(() => durationBreakdown(60, { hoursPerDay: 0, daysPerMonth: 22 })).toThrow(RangeError);
    expect(() => durationBreakdown(60, { hoursPerDay: 7, daysPerMonth: 21.5 })).toThrow(RangeError);
  });
});

describe('hours of presence', () => {
  it('July–August 2026, Monday–Friday, 35 h a week: 43 days, 301 h (14 July off, 15 August a Saturday)', () => {
    // July 2026 starts on a Wednesday: Wed 1–Fri 3 (3) + weeks of 6, 13, 20, 27 July (4 × 5 = 20) = 23 weekdays,
    //   minus Tuesday 14 July = 22 days.
    // August 2026 starts on a Saturday: weeks of 3, 10, 17, 24 August (20) + Monday 31 = 21 weekdays;
    //   15 August is a Saturday, not a working day: nothing to remove.
    // 22 + 21 = 43 days × 7 h (35 h / 5 days) = 301 h = 1 month (22 days) + 21 days.
    const result = presence({ startDate: '2026-07-01', endDate: '2026-08-31', daysPerWeek: 5, hoursPerWeek: 35 });
    expect(result.totalMinutes).toBe(301 * 60);
    expect(result.workingDays).toBe(43);
    expect(result.fullDays).toBe(43);
    expect(result.halfDays).toBe(0);
    expect(result.excludedHolidays.map((holiday) => holiday.date)).toEqual(['2026-07-14']);
    expect(result.byYear).toEqual([{ year: 2026, minutes: 301 * 60, workingDays: 43 }]);
    expect(result.breakdown).toEqual({ months: 1, days: 21, hours: 0, minutes: 0 });
  });

  it('the same period Monday–Saturday, 42 h a week: 15 August, a Saturday, is now removed — 51 days, 357 h', () => {
    // Saturdays: July 4, 11, 18, 25 (4) + August 1, 8, 15, 22, 29 (5) minus 15 August = 8 more days.
    // 43 + 8 = 51 days × 7 h (42 h / 6 days) = 357 h.
    const result = presence({ startDate: '2026-07-01', endDate: '2026-08-31', daysPerWeek: 6, hoursPerWeek: 42 });
    expect(result.workingDays).toBe(51);
    expect(result.totalMinutes).toBe(357 * 60);
    expect(result.excludedHolidays.map((holiday) => holiday.date)).toEqual(['2026-07-14', '2026-08-15']);
    expect(result.breakdown).toEqual({ months: 2, days: 7, hours: 0, minutes: 0 });
  });

  it('crossing 1 January: 3 November 2025 – 27 February 2026, split by calendar year', () => {
    // 2025: November 3–28 = 20 weekdays − 11 Nov (Tue) = 19; December 1–31 = 23 weekdays − 25 Dec (Thu) = 22 → 41 days = 287 h.
    // 2026: January 1–30 = 22 weekdays − 1 Jan (Thu) = 21; February 2–27 = 20 weekdays → 41 days = 287 h.
    const result = presence({ startDate: '2025-11-03', endDate: '2026-02-27', daysPerWeek: 5, hoursPerWeek: 35 });
    expect(result.byYear).toEqual([
      { year: 2025, minutes: 287 * 60, workingDays: 41 },
      { year: 2026, minutes: 287 * 60, workingDays: 41 },
    ]);
    expect(result.totalMinutes).toBe(574 * 60);
    expect(result.excludedHolidays.map((holiday) => holiday.date)).toEqual(['2025-11-11', '2025-12-25', '2026-01-01']);
    expect(result.breakdown).toEqual({ months: 3, days: 16, hours: 0, minutes: 0 }); // 82 days = 66 + 16
  });

  it('removes an interruption: 10–14 August 2026 takes 5 days off the summer example → 38 days, 266 h', () => {
    const result = presence({
      startDate: '2026-07-01',
      endDate: '2026-08-31',
      daysPerWeek: 5,
      hoursPerWeek: 35,
      interruptions: [{ start: '2026-08-10', end: '2026-08-14' }],
    });
    expect(result.workingDays).toBe(38);
    expect(result.totalMinutes).toBe(266 * 60);
  });

  it('does not remove a holiday twice when it falls in an interruption (13–17 July 2026 → 39 days, 273 h)', () => {
    // 13–17 July has 5 weekdays, one of them 14 July, already not worked: 43 − 4 = 39 days.
    const result = presence({
      startDate: '2026-07-01',
      endDate: '2026-08-31',
      daysPerWeek: 5,
      hoursPerWeek: 35,
      interruptions: [{ start: '2026-07-13', end: '2026-07-17' }],
    });
    expect(result.workingDays).toBe(39);
    expect(result.totalMinutes).toBe(273 * 60);
    expect(result.excludedHolidays).toEqual([]);
  });

  it('counts overlapping interruptions once and accepts interruptions on the bounds', () => {
    const result = presence({
      startDate: '2026-07-01',
      endDate: '2026-08-31',
      daysPerWeek: 5,
      hoursPerWeek: 35,
      interruptions: [
        { start: '2026-08-10', end: '2026-08-12' },
        { start: '2026-08-11', end: '2026-08-14' },
        { start: '2026-07-01', end: '2026-07-01' },
        { start: '2026-08-31', end: '2026-08-31' },
      ],
    });
    expect(result.workingDays).toBe(36); // 43 − 5 − 1 − 1
    expect(result.totalMinutes).toBe(252 * 60);
  });

  it('half days: 4.5 days and 31.5 h a week over two weeks = 8 full days + 2 half days = 63 h', () => {
    // 31.5 h / 4.5 days = 7 h a full day, 3.5 h on Friday mornings.
    const result = presence({ startDate: '2026-09-07', endDate: '2026-09-18', daysPerWeek: 4.5, hoursPerWeek: '31.5' });
    expect(result.fullDays).toBe(8);
    expect(result.halfDays).toBe(2);
    expect(result.workingDays).toBe(9);
    expect(result.totalMinutes).toBe(63 * 60);
  });

  it('half days: 2.5 days and 17.5 h a week = Monday 7 h, Tuesday 7 h, Wednesday 3.5 h', () => {
    expect(presence({ startDate: '2026-09-07', endDate: '2026-09-13', daysPerWeek: 2.5, hoursPerWeek: 17.5 }).totalMinutes).toBe(1050);
    expect(presence({ startDate: '2026-09-09', endDate: '2026-09-13', daysPerWeek: 2.5, hoursPerWeek: 17.5 }).totalMinutes).toBe(210);
    expect(presence({ startDate: '2026-09-07', endDate: '2026-09-13', daysPerWeek: 0.5, hoursPerWeek: 4 }).totalMinutes).toBe(240);
  });

  it('rounds to the minute once: 35 h on 4.5 days gives 466 2/3 min on a Monday, 467', () => {
    expect(presence({ startDate: '2026-09-07', endDate: '2026-09-07', daysPerWeek: 4.5, hoursPerWeek: 35 }).totalMinutes).toBe(467);
    expect(presence({ startDate: '2026-09-07', endDate: '2026-09-08', daysPerWeek: 4.5, hoursPerWeek: 35 }).totalMinutes).toBe(933);
    expect(presence({ startDate: '2026-09-07', endDate: '2026-09-13', daysPerWeek: 4.5, hoursPerWeek: 35 }).totalMinutes).toBe(2100);
  });

  it('years always add up to the total (28 December 2026 – 8 January 2027, 4.5 days, 35 h)', () => {
    // 2026: Mon 28 – Thu 31 December = 4 full days = 8 half-day units → 2100 × 8 / 9 = 1866.67 → 1867 min.
    // 2027: Friday 1 January is a holiday; 4–7 January = 4 full days, Friday 8 a half day = 9 units.
    // Total 17 units → 2100 × 17 / 9 = 3966.67 → 3967 min; 2027 = 3967 − 1867 = 2100.
    const result = presence({ startDate: '2026-12-28', endDate: '2027-01-08', daysPerWeek: 4.5, hoursPerWeek: 35 });
    expect(result.totalMinutes).toBe(3967);
    expect(result.byYear).toEqual([
      { year: 2026, minutes: 1867, workingDays: 4 },
      { year: 2027, minutes: 2100, workingDays: 4.5 },
    ]);
    expect(result.excludedHolidays.map((holiday) => holiday.date)).toEqual(['2027-01-01']);
  });

  it('Easter-based holidays of May 2026: 8 May (Fri), Ascension 14 May (Thu), Whit Monday 25 May → 17 days, 119 h', () => {
    // 4–29 May 2026 = 4 weeks = 20 weekdays; 1 May is a Friday before the start.
    const result = presence({ startDate: '2026-05-04', endDate: '2026-05-29', daysPerWeek: 5, hoursPerWeek: 35 });
    expect(result.excludedHolidays.map((holiday) => holiday.date)).toEqual(['2026-05-08', '2026-05-14', '2026-05-25']);
    expect(result.totalMinutes).toBe(119 * 60);
  });

  it('Easter-based holidays of May 2027: Ascension 6 May (Thu), Whit Monday 17 May; 8 May is a Saturday → 18 days, 126 h', () => {
    const result = presence({ startDate: '2027-05-03', endDate: '2027-05-28', daysPerWeek: 5, hoursPerWeek: 35 });
    expect(result.excludedHolidays.map((holiday) => holiday.date)).toEqual(['2027-05-06', '2027-05-17']);
    expect(result.totalMinutes).toBe(126 * 60);
  });

  it('removes extra holidays passed in (Alsace-Moselle, Good Friday 3 April 2026)', () => {
    // 30 March – 10 April 2026 = 10 weekdays; Easter Monday 6 April → 9 days = 63 h; Good Friday too → 8 days = 56 h.
    const input = { startDate: '2026-03-30', endDate: '2026-04-10', daysPerWeek: 5, hoursPerWeek: 35 };
    expect(presence(input).totalMinutes).toBe(63 * 60);
    expect(presence({ ...input, extraHolidays: alsaceMoselleHolidays(2026) }).totalMinutes).toBe(56 * 60);
  });

  it('gives nothing for a single Sunday', () => {
    const result = presence({ startDate: '2026-09-13', endDate: '2026-09-13', daysPerWeek: 6, hoursPerWeek: 35 });
    expect(result.totalMinutes).toBe(0);
    expect(result.byYear).toEqual([]);
    expect(result.breakdown).toEqual({ months: 0, days: 0, hours: 0, minutes: 0 });
  });

  it('refuses reversed dates, bad interruptions and bad schedules', () => {
    const base = { startDate: '2026-07-01', endDate: '2026-08-31', daysPerWeek: 5, hoursPerWeek: 35 };
    expect(() => presence({ ...base, endDate: '2026-06-30' })).toThrow(RangeError);
    expect(() => presence({ ...base, startDate: '2026-02-30' })).toThrow(RangeError);
    expect(() => presence({ ...base, interruptions: [{ start: '2026-08-14', end: '2026-08-10' }] })).toThrow(RangeError);
    expect(() => presence({ ...base, interruptions: [{ start: '2026-08-25', end: '2026-09-04' }] })).toThrow(RangeError);
    expect(() => presence({ ...base, interruptions: [{ start: '2026-06-30', end: '2026-07-03' }] })).toThrow(RangeError);
    expect(() => presence({ ...base, daysPerWeek: 7 })).toThrow(RangeError);
    expect(() => presence({ ...base, hoursPerWeek: '35.333' })).toThrow(RangeError);
  });
});
