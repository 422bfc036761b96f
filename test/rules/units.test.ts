import { describe, expect, it } from 'vitest';
import { ceilDivide, eurosToCents, formatEuros, formatHours, hoursToMinutes, rateToBasisPoints } from '../../src/rules/units.ts';

describe('exact units', () => {
  it.each([
    [35, 2100],
    ['35', 2100],
    [17.5, 1050],
    ['17,5', 1050],
    ['7.25', 435],
    ['7.50', 450],
    [0, 0],
  ])('%j hours = %i minutes', (hours, minutes) => {
    expect(hoursToMinutes(hours)).toBe(minutes);
  });

  it.each([7.333, '7.333', '-1', -1, 'abc', '', Number.NaN, '1e3'])('refuses %j hours', (hours) => {
    expect(() => hoursToMinutes(hours)).toThrow(RangeError);
  });

  it.each([
    ['4.50', 450],
    [4.35, 435],
    [4.05, 405],
    ['682,5', 68250],
    [0.1 + 0.2, 30],
    ['1000', 100000],
  ])('%j euros = %i cents', (euros, cents) => {
    expect(eurosToCents(euros)).toBe(cents);
  });

  it('refuses fractions of a cent', () => {
    expect(() => eurosToCents('4.505')).toThrow(RangeError);
    expect(() => eurosToCents(4.505)).toThrow(RangeError);
  });

  it('divides rounding up', () => {
    expect(ceilDivide(10, 5)).toBe(2);
    expect(ceilDivide(11, 5)).toBe(3);
    expect(ceilDivide(0, 60)).toBe(0);
  });

  it('displays hours and euros in French', () => {
    expect(formatHours(23100)).toBe('385\u00a0h');
    expect(formatHours(23130)).toBe('385\u00a0h\u00a030');
    expect(formatHours(5)).toBe('0\u00a0h\u00a005');
    expect(formatHours(60000)).toBe('1\u00a0000\u00a0h');
    expect(formatEuros(68250)).toBe('682,50\u00a0€');
    expect(formatEuros(123456)).toBe('1\u00a0234,56\u00a0€');
    expect(formatEuros(5)).toBe('0,05\u00a0€');
  });

  it('reads rates in basis points, exactly', () => {
    expect(rateToBasisPoints(0.15)).toBe(1500);
    expect(rateToBasisPoints('0,15')).toBe(1500);
    expect(rateToBasisPoints('0.0125')).toBe(125);
    expect(() => rateToBasisPoints('0.00001')).toThrow(RangeError);
  });
});
