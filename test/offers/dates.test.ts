import { describe, expect, it } from 'vitest';
import { addMonths } from '../../src/offers/dates.ts';

/** The end of a publication: today plus N calendar months. */
describe('addMonths', () => {
  it('adds calendar months, across years', () => {
    expect(addMonths('2026-11-23', 2)).toBe('2027-01-23');
    expect(addMonths('2026-01-15', 12)).toBe('2027-01-15');
  });

  it('stops at the last day of a shorter month', () => {
    expect(addMonths('2027-01-31', 1)).toBe('2027-02-28');
    expect(addMonths('2028-01-31', 1)).toBe('2028-02-29');
    expect(addMonths('2026-08-31', 1)).toBe('2026-09-30');
  });
});
