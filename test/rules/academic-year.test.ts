import { describe, expect, it } from 'vitest';
import { academicYearOf, todayInFrance } from '../../src/rules/academic-year.ts';

describe('academic year of a date', () => {
  const september = { month: 9, day: 1 };
  it.each([
    ['2026-11-23', '2026-2027'],
    ['2026-09-01', '2026-2027'],
    ['2026-08-31', '2025-2026'],
    ['2027-01-01', '2026-2027'],
  ])('%s belongs to %s with the default switch-over', (date, year) => {
    expect(academicYearOf(date, september)).toBe(year);
  });

  it('follows a configured switch-over date', () => {
    expect(academicYearOf('2026-08-20', { month: 8, day: 15 })).toBe('2026-2027');
    expect(academicYearOf('2026-08-14', { month: 8, day: 15 })).toBe('2025-2026');
  });

  it('refuses what is not a calendar date', () => {
    expect(() => academicYearOf('23/11/2026', september)).toThrow(RangeError);
  });

  it("takes today's date in Paris, not in UTC", () => {
    expect(todayInFrance(new Date('2026-12-31T23:30:00Z'))).toBe('2027-01-01');
  });
});
