import { describe, expect, it } from 'vitest';
import { validateEmail, validatePhone, validatePostalCode } from '../../src/rules/contact-formats.ts';

describe('French postal codes', () => {
  it.each([
    ['75005', 'metropolitan'],
    ['01000', 'metropolitan'],
    ['95000', 'metropolitan'],
    ['20000', 'corsica'], // Ajaccio
    ['20200', 'corsica'], // Bastia
    ['97400', 'overseas'], // Saint-Denis (La Réunion)
    ['97600', 'overseas'], // Mayotte
    ['98800', 'overseas'], // Nouméa
    ['98000', 'monaco'],
  ])('accepts %s (%s)', (code, area) => {
    expect(validatePostalCode(code)).toEqual({ valid: true, value: code, area });
  });

  it('tolerates spaces', () => {
    expect(validatePostalCode(' 75 005 ')).toEqual({ valid: true, value: '75005', area: 'metropolitan' });
  });

  it.each([
    ['00100', 'format'],
    ['96000', 'format'],
    ['97900', 'format'],
    ['98500', 'format'],
    ['99000', 'format'],
    ['7500', 'format'],
    ['750050', 'format'],
    ['2A000', 'format'],
    ['', 'empty'],
  ])('refuses %j', (code, reason) => {
    expect(validatePostalCode(code)).toEqual({ valid: false, reason });
  });
});

describe('e-mail addresses', () => {
  it.each(['jeanne.dupont@univ-exemple.fr', 'j.dupont+stage@exemple.co.uk', 'contact@société.fr', 'a@b.xn--p1ai'])('accepts %s', (email) => {
    expect(validateEmail(`  ${email} `)).toEqual({ valid: true, value: email });
  });

  it.each([
    'jeanne.dupont',
    'jeanne@',
    '@exemple.fr',
    'jeanne@exemple',
    'jeanne@exemple.f',
    'jeanne..dupont@exemple.fr',
    '.jeanne@exemple.fr',
    'jeanne dupont@exemple.fr',
    'jeanne@-exemple.fr',
    'jeanne@exemple..fr',
    `${'a'.repeat(65)}@exemple.fr`,
    '<script>@exemple.fr',
  ])('refuses %j', (email) => {
    expect(validateEmail(email)).toEqual({ valid: false, reason: 'format' });
  });

  it('refuses an empty address', () => {
    expect(validateEmail(' ')).toEqual({ valid: false, reason: 'empty' });
  });
});

describe('phone numbers', () => {
  it.each([
    ['01 23 45 67 89', '01 23 45 67 89'],
    ['01.23.45.67.89', '01 23 45 67 89'],
    ['0123456789', '01 23 45 67 89'],
    ['06-12-34-56-78', '06 12 34 56 78'],
    ['+33 1 23 45 67 89', '01 23 45 67 89'],
    ['+33 (0)1 23 45 67 89', '01 23 45 67 89'],
    ['0033 6 12 34 56 78', '06 12 34 56 78'],
    ['0262 12 34 56', '02 62 12 34 56'], // La Réunion, national format
  ])('accepts the French number %j as %j', (input, value) => {
    expect(validatePhone(input)).toEqual({ valid: true, kind: 'french', value });
  });

  it.each([
    ['+49 30 1234567', '+49301234567'],
    ['+1 (555) 123-4567', '+15551234567'],
    ['0044 20 7946 0958', '+442079460958'],
    ['+262 262 12 34 56', '+262262123456'],
  ])('accepts the international number %j as %j', (input, value) => {
    expect(validatePhone(input)).toEqual({ valid: true, kind: 'international', value });
  });

  it.each([
    '01 23 45 67 8',
    '00 12 34 56 78',
    '1234567890',
    '+33 0 23 45 67 89',
    '+33 1 23 45 67 8',
    '+49 123',
    '+1234567890123456',
    '01 23 45 67 89 ext 2',
    '++33123456789',
  ])('refuses %j', (input) => {
    expect(validatePhone(input)).toEqual({ valid: false, reason: 'format' });
  });

  it('refuses an empty number', () => {
    expect(validatePhone('  ')).toEqual({ valid: false, reason: 'empty' });
  });
});
