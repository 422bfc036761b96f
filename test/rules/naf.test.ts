import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { normaliseNafCode, validateNafCode } from '../../src/rules/naf.ts';

const reference = JSON.parse(readFileSync(new URL('../../seeds/data/reference-data.json', import.meta.url), 'utf8')) as {
  nafClasses: { code: string }[];
};
const nafRev2 = new Set(reference.nafClasses.map((naf) => naf.code));

describe('NAF rev.2 codes', () => {
  it.each([
    ['62.01Z', '62.01Z'],
    ['6201Z', '62.01Z'],
    ['62.01z', '62.01Z'],
    [' 62 01 z ', '62.01Z'],
    ['01.11Z', '01.11Z'],
  ])('normalises %j to %s', (input, code) => {
    expect(normaliseNafCode(input)).toBe(code);
  });

  it.each(['62.01', '62.1Z', '620.1Z', '62-01Z', '62.01ZZ', 'AB.CDE', '62,01Z'])('refuses the format of %j', (input) => {
    expect(normaliseNafCode(input)).toBeNull();
    expect(validateNafCode(input, nafRev2)).toEqual({ valid: false, reason: 'format' });
  });

  it('checks existence against the reference list', () => {
    expect(nafRev2.size).toBeGreaterThan(700);
    expect(validateNafCode('8542z', nafRev2)).toEqual({ valid: true, code: '85.42Z' }); // higher education
    expect(validateNafCode('99.99Z', nafRev2)).toEqual({ valid: false, reason: 'unknown' });
    expect(validateNafCode('62.01A', nafRev2)).toEqual({ valid: false, reason: 'unknown' });
  });

  it('checks only the format without a list, and refuses an empty input', () => {
    expect(validateNafCode('99.99Z')).toEqual({ valid: true, code: '99.99Z' });
    expect(validateNafCode('  ')).toEqual({ valid: false, reason: 'empty' });
  });
});
