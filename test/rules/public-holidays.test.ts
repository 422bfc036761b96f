import { describe, expect, it } from 'vitest';
import { alsaceMoselleHolidays, easterSunday, frenchPublicHolidays, isPublicHoliday, publicHolidaysBetween } from '../../src/rules/public-holidays.ts';

describe('Easter Sunday (anonymous Gregorian algorithm)', () => {
  it.each([
    [2000, '2000-04-23'],
    [2019, '2019-04-21'],
    [2024, '2024-03-31'],
    [2025, '2025-04-20'],
    [2026, '2026-04-05'],
    [2027, '2027-03-28'],
    [2038, '2038-04-25'], // latest possible date
    [2285, '2285-03-22'], // earliest possible date
  ])('%i: %s', (year, date) => {
    expect(easterSunday(year)).toBe(date);
  });

  it('refuses years outside the Gregorian calendar', () => {
    expect(() => easterSunday(1500)).toThrow(RangeError);
    expect(() => easterSunday(2026.5)).toThrow(RangeError);
  });
});

describe('French public holidays (metropolitan)', () => {
  it('lists the eleven days of 2026: Easter 5 April → Monday 6 April, Ascension 14 May, Whit Monday 25 May', () => {
    expect(frenchPublicHolidays(2026).map((holiday) => `${holiday.date} ${holiday.name}`)).toEqual([
      '2026-01-01 Jour de l’an',
      '2026-04-06 Lundi de Pâques',
      '2026-05-01 Fête du travail',
      '2026-05-08 Victoire 1945',
      '2026-05-14 Ascension',
      '2026-05-25 Lundi de Pentecôte',
      '2026-07-14 Fête nationale',
      '2026-08-15 Assomption',
      '2026-11-01 Toussaint',
      '2026-11-11 Armistice 1918',
      '2026-12-25 Noël',
    ]);
  });

  it('moves the Easter-based days in 2027: Easter 28 March → Monday 29 March, Ascension 6 May, Whit Monday 17 May', () => {
    const movable = frenchPublicHolidays(2027).filter((holiday) => ['easter-monday', 'ascension', 'whit-monday'].includes(holiday.key));
    expect(movable.map((holiday) => holiday.date)).toEqual(['2027-03-29', '2027-05-06', '2027-05-17']);
    expect(frenchPublicHolidays(2027)).toHaveLength(11);
  });

  it('keeps the list in date order when Ascension falls before 8 May (2008: 1 May)', () => {
    // Easter 2008 = 23 March: Ascension = 1 May, the same day as Labour Day.
    const dates = frenchPublicHolidays(2008).map((holiday) => holiday.date);
    expect(dates.slice(1, 5)).toEqual(['2008-03-24', '2008-05-01', '2008-05-01', '2008-05-08']);
    // Counted once in a period.
    expect(publicHolidaysBetween('2008-05-01', '2008-05-01').map((holiday) => holiday.key)).toEqual(['labour-day']);
  });

  it('gives the holidays of a period spanning two years, both bounds included', () => {
    expect(publicHolidaysBetween('2026-12-25', '2027-01-01').map((holiday) => holiday.date)).toEqual(['2026-12-25', '2027-01-01']);
    expect(publicHolidaysBetween('2026-12-26', '2026-12-31')).toEqual([]);
    expect(publicHolidaysBetween('2027-01-01', '2026-01-01')).toEqual([]);
  });

  it('does not count regional days unless passed in as extra holidays', () => {
    expect(isPublicHoliday('2026-04-03')).toBe(false); // Good Friday
    expect(isPublicHoliday('2026-12-26')).toBe(false);
    expect(isPublicHoliday('2026-05-27')).toBe(false); // abolition of slavery, Guadeloupe
    expect(isPublicHoliday('2026-07-14')).toBe(true);
  });

  it('adds Alsace-Moselle days on request: Good Friday 3 April 2026 and 26 December', () => {
    const alsace = alsaceMoselleHolidays(2026);
    expect(alsace.map((holiday) => holiday.date)).toEqual(['2026-04-03', '2026-12-26']);
    expect(publicHolidaysBetween('2026-04-01', '2026-04-10', alsace).map((holiday) => holiday.key)).toEqual(['good-friday', 'easter-monday']);
  });

  it('adds an overseas day given as a plain date, once even when repeated or equal to a national day', () => {
    const holidays = publicHolidaysBetween('2026-05-01', '2026-05-31', ['2026-05-27', '2026-05-27', '2026-05-01']);
    expect(holidays.map((holiday) => `${holiday.date} ${holiday.key}`)).toEqual([
      '2026-05-01 labour-day',
      '2026-05-08 victory-1945',
      '2026-05-14 ascension',
      '2026-05-25 whit-monday',
      '2026-05-27 extra',
    ]);
    expect(() => publicHolidaysBetween('2026-05-01', '2026-05-31', ['27/05/2026'])).toThrow(RangeError);
  });
});
