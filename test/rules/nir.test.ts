import { describe, expect, it } from 'vitest';
import { maskNir, nirKey, normaliseNir, validateNir } from '../../src/rules/nir.ts';

describe('NIR key (97 − n mod 97)', () => {
  it('computes the key of a mainland number', () => {
    // 1850578006084 = 97 × 19078123774 + 6 → key 97 − 6 = 91.
    expect(nirKey('1850578006084')).toBe(91);
    expect(validateNir('1 85 05 78 006 084 91')).toEqual({ valid: true, value: '185057800608491' });
  });

  it('replaces 2A by 19 for Corse-du-Sud', () => {
    // 1850519006084 = 97 × 19077515526 + 62 → key 35.
    expect(nirKey('185052A006084')).toBe(35);
    expect(validateNir('1 85 05 2A 006 084 35')).toEqual({ valid: true, value: '185052A00608435' });
    expect(validateNir('1 85 05 2a 006 084 35').valid).toBe(true);
  });

  it('replaces 2B by 18 for Haute-Corse', () => {
    // 1850518006084 = 97 × 19077505217 + 35 → key 62.
    expect(nirKey('185052B006084')).toBe(62);
    expect(validateNir('185052B00608462')).toEqual({ valid: true, value: '185052B00608462' });
  });

  it('refuses a wrong key, including the key of the other Corsican département', () => {
    expect(validateNir('1 85 05 78 006 084 92')).toEqual({ valid: false, reason: 'key' });
    expect(validateNir('185052A00608462')).toEqual({ valid: false, reason: 'key' });
    expect(validateNir('185052B00608435')).toEqual({ valid: false, reason: 'key' });
  });

  it.each([
    ['18505780060849', 'format'], // 14 characters
    ['585057800608491', 'format'], // first character 5
    ['1850578006084AB', 'format'],
    ['185052C00608435', 'format'],
    ['', 'empty'],
  ])('refuses %j: %s', (input, reason) => {
    expect(validateNir(input)).toEqual({ valid: false, reason });
  });

  it('normalises and masks, showing only the first digit and the key', () => {
    expect(normaliseNir('1 85 05 2a 006 084 35')).toBe('185052A00608435');
    expect(maskNir('1 85 05 78 006 084 91')).toBe('1 ** ** ** *** *** 91');
    expect(maskNir('123')).toBe('***');
    expect(() => nirKey('12345')).toThrow(RangeError);
  });
});
