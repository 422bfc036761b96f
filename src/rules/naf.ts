/**
 * NAF rev.2 activity codes (INSEE): a sub-class is written "62.01Z" — two digits, a dot, two digits,
 * an upper-case letter. Input is normalised: spaces removed, letter upper-cased, dot optional
 * ("6201z", "62.01 z" → "62.01Z"). Existence is checked against the set of codes of the reference
 * list, passed in (it lives in the database).
 */

export type NafError = 'empty' | 'format' | 'unknown';

export type NafCheck = { valid: true; code: string } | { valid: false; reason: NafError };

const NAF_CODE = /^(\d{2})\.?(\d{2})([A-Z])$/;

/** The canonical "99.99X" form, or null when the input does not have the shape of a NAF code. */
export function normaliseNafCode(input: string): string | null {
  const match = NAF_CODE.exec(input.replace(/\s+/g, '').toUpperCase());
  return match ? `${match[1]}.${match[2]}${match[3]}` : null;
}

/** Validates the format and, when `knownCodes` is given, the existence (codes in the "99.99X" form). */
export function validateNafCode(input: string, knownCodes?: ReadonlySet<string>): NafCheck {
  if (input.trim() === '') return { valid: false, reason: 'empty' };
  const code = normaliseNafCode(input);
  if (code === null) return { valid: false, reason: 'format' };
  if (knownCodes && !knownCodes.has(code)) return { valid: false, reason: 'unknown' };
  return { valid: true, code };
}
