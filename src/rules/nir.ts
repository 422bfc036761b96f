/**
 * French social-security number (NIR, "numéro de sécurité sociale"): 13 characters + a 2-digit key.
 *   sex (1) · year of birth (2) · month (2) · département (2, "2A"/"2B" for Corsica) · commune (3) · order (3) · key (2)
 * key = 97 − (the 13-digit number mod 97). For Corsica, INSEE computes with "2A" replaced by "19" and
 * "2B" by "18" (i.e. the number with "20" minus 1,000,000 or 2,000,000).
 *
 * The first character is 1 or 2 (sex) for a registered person, 3 or 4 for a person born abroad being
 * registered, 7 or 8 for a temporary number (NIA). Input may contain spaces; letters may be lower case.
 *
 * Collecting the NIR is restricted (décret 2019-341): disabled by default; when enabled, validate it
 * here and show it masked (`maskNir`) in lists and exports.
 */

export type NirError = 'empty' | 'format' | 'key';

export type NirCheck = { valid: true; value: string } | { valid: false; reason: NirError };

const NIR = /^([1-478])(\d{4})(\d{2}|2A|2B)(\d{6})(\d{2})$/;
const MODULUS = 97;

/** Removes spaces and upper-cases the Corsican letters. */
export function normaliseNir(input: string): string {
  return input.replace(/\s+/g, '').toUpperCase();
}

/** The key of the first 13 characters of a NIR (digits, or "2A"/"2B" at positions 6–7). */
export function nirKey(first13: string): number {
  const value = normaliseNir(first13);
  if (!/^\d{5}(\d{2}|2A|2B)\d{6}$/.test(value)) throw new RangeError(`not the 13 first characters of a NIR: ${first13}`);
  const digits = value.slice(0, 5) + value.slice(5, 7).replace('2A', '19').replace('2B', '18') + value.slice(7);
  // 13 digits < 2^53: exact in a double.
  return MODULUS - (Number(digits) % MODULUS);
}

/** Validates the format and the key; returns the normalised 15-character NIR. */
export function validateNir(input: string): NirCheck {
  const value = normaliseNir(input);
  if (value === '') return { valid: false, reason: 'empty' };
  const match = NIR.exec(value);
  if (!match) return { valid: false, reason: 'format' };
  return nirKey(value.slice(0, 13)) === Number(match[5]) ? { valid: true, value } : { valid: false, reason: 'key' };
}

/** Masked display: only the first character and the key are shown — "1 ** ** ** *** *** 36". */
export function maskNir(input: string): string {
  const value = normaliseNir(input);
  if (value.length !== 15) return '*'.repeat(Math.max(value.length, 1));
  return `${value[0]} ** ** ** *** *** ${value.slice(13)}`;
}
