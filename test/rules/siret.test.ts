import { describe, expect, it } from 'vitest';
import { formatSiret, isValidSiret, luhnValid, sirenOfSiret, validateSiren, validateSiret } from '../../src/rules/siret.ts';

describe('Luhn checksum', () => {
  it('doubles every second digit from the right', () => {
    // 732829320: from the right 0, 2→4, 3, 9→18→9, 2, 8→16→7, 2, 3→6, 7 → 0+4+3+9+2+7+2+6+7 = 40 ≡ 0.
    expect(luhnValid('732829320')).toBe(true);
    expect(luhnValid('732829321')).toBe(false);
    expect(luhnValid('79927398713')).toBe(true); // the textbook example
    expect(luhnValid('12a')).toBe(false);
  });
});

describe('SIREN', () => {
  it('accepts 9 digits with a valid key, spaces tolerated', () => {
    expect(validateSiren('732 829 320')).toEqual({ valid: true, value: '732829320' });
  });

  it.each([
    ['732829321', 'checksum'],
    ['73282932', 'wrong-length'],
    ['73282932O', 'not-digits'],
    ['  ', 'empty'],
  ])('refuses %j: %s', (input, reason) => {
    expect(validateSiren(input)).toEqual({ valid: false, reason });
  });
});

describe('SIRET', () => {
  it('accepts 732 829 320 00074 and normalises it', () => {
    expect(validateSiret('73282932000074')).toEqual({ valid: true, value: '73282932000074' });
    expect(validateSiret(' 732 829 320 00074 ')).toEqual({ valid: true, value: '73282932000074' });
    expect(validateSiret('732\u00a0829\u00a0320\u00a000074')).toEqual({ valid: true, value: '73282932000074' });
    expect(sirenOfSiret('732 829 320 00074')).toBe('732829320');
    expect(formatSiret('73282932000074')).toBe('732 829 320 00074');
  });

  it.each([
    ['73282932000075', 'checksum'], // last digit changed
    ['73282932000047', 'checksum'], // two digits swapped
    ['73282932000072', 'checksum'], // digit sum 45: a multiple of 5 helps only La Poste
    ['7328293200007', 'wrong-length'],
    ['732829320000740', 'wrong-length'],
    ['732-829-320-00074', 'not-digits'],
    ['', 'empty'],
  ])('refuses %j: %s', (input, reason) => {
    expect(validateSiret(input)).toEqual({ valid: false, reason });
    expect(isValidSiret(input)).toBe(false);
  });

  it('accepts the La Poste head office 356 000 000 00048 (its Luhn checksum holds)', () => {
    expect(validateSiret('35600000000048')).toEqual({ valid: true, value: '35600000000048' });
  });

  it('accepts a La Poste establishment whose digit sum is a multiple of 5 although Luhn fails', () => {
    // 3+5+6+0…0+1 = 15; Luhn: 1 + 0 … + 6×2→3 + 5 + 3×2 = 1+3+5+6 = 15, not a multiple of 10.
    expect(luhnValid('35600000000001')).toBe(false);
    expect(validateSiret('356 000 000 00001')).toEqual({ valid: true, value: '35600000000001' });
    expect(validateSiret('35600000000010')).toEqual({ valid: true, value: '35600000000010' });
  });

  it('refuses a La Poste number whose digit sum is not a multiple of 5 and whose Luhn fails', () => {
    expect(validateSiret('35600000000002')).toEqual({ valid: false, reason: 'checksum' }); // sum 16
  });
});
