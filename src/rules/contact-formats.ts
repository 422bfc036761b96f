/**
 * Formats of contact fields used by the forms: French postal codes, e-mail addresses, phone numbers.
 * These are shape checks (no lookup of a register): a well-formed code may still not be allocated.
 */

export type FormatError = 'empty' | 'format';

// ---------------------------------------------------------------------------------------------------
// Postal codes
// ---------------------------------------------------------------------------------------------------

/** metropolitan = 01–95 except Corsica; corsica = 20xxx; overseas = 971–978, 984, 986–988; monaco = 980xx. */
export type PostalArea = 'metropolitan' | 'corsica' | 'overseas' | 'monaco';

export type PostalCodeCheck = { valid: true; value: string; area: PostalArea } | { valid: false; reason: FormatError };

const OVERSEAS_PREFIXES = new Set(['971', '972', '973', '974', '975', '976', '977', '978', '984', '986', '987', '988']);

/**
 * A French postal code: 5 digits (spaces tolerated), whose first two digits are a département 01–95
 * (20 for Corsica: 20000–20999), or whose first three are an overseas prefix (971 Guadeloupe,
 * 972 Martinique, 973 French Guiana, 974 La Réunion, 975 Saint-Pierre-et-Miquelon, 976 Mayotte,
 * 977 Saint-Barthélemy, 978 Saint-Martin, 984 TAAF, 986 Wallis-et-Futuna, 987 French Polynesia,
 * 988 New Caledonia) or 980 (Monaco, served by La Poste). "00xxx", "96xxx", "99xxx", "979xx" are refused.
 */
export function validatePostalCode(input: string): PostalCodeCheck {
  const value = input.replace(/\s+/g, '');
  if (value === '') return { valid: false, reason: 'empty' };
  if (!/^\d{5}$/.test(value)) return { valid: false, reason: 'format' };
  const department = Number(value.slice(0, 2));
  if (department >= 1 && department <= 95) return { valid: true, value, area: department === 20 ? 'corsica' : 'metropolitan' };
  const prefix = value.slice(0, 3);
  if (OVERSEAS_PREFIXES.has(prefix)) return { valid: true, value, area: 'overseas' };
  if (prefix === '980') return { valid: true, value, area: 'monaco' };
  return { valid: false, reason: 'format' };
}

// ---------------------------------------------------------------------------------------------------
// E-mail
// ---------------------------------------------------------------------------------------------------

export type EmailCheck = { valid: true; value: string } | { valid: false; reason: FormatError };

// Local part: dot-atoms of RFC 5322 (no quoted strings), letters of any script allowed (RFC 6531).
const LOCAL_PART = /^[\p{L}\p{N}!#$%&'*+/=?^_`{|}~-]+(?:\.[\p{L}\p{N}!#$%&'*+/=?^_`{|}~-]+)*$/u;
// Domain: at least two labels, no leading/trailing hyphen, a top-level label of 2+ letters (or xn--).
const DOMAIN_LABEL = /^[\p{L}\p{N}](?:[\p{L}\p{N}-]{0,61}[\p{L}\p{N}])?$/u;
const TOP_LEVEL = /^(?:\p{L}{2,63}|xn--[a-z0-9-]{1,59})$/iu;

/** A practical e-mail check: one "@", a dot-atom local part (≤ 64), a domain with a dot (total ≤ 254). */
export function validateEmail(input: string): EmailCheck {
  const value = input.trim();
  if (value === '') return { valid: false, reason: 'empty' };
  const at = value.lastIndexOf('@');
  if (at <= 0 || value.length > 254) return { valid: false, reason: 'format' };
  const local = value.slice(0, at);
  const labels = value.slice(at + 1).split('.');
  const topLevel = labels[labels.length - 1] ?? '';
  const wellFormed =
    local.length <= 64 && LOCAL_PART.test(local) && labels.length >= 2 && labels.every((label) => DOMAIN_LABEL.test(label)) && TOP_LEVEL.test(topLevel);
  return wellFormed ? { valid: true, value } : { valid: false, reason: 'format' };
}

// ---------------------------------------------------------------------------------------------------
// Phone numbers
// ---------------------------------------------------------------------------------------------------

export type PhoneCheck = { valid: true; kind: 'french' | 'international'; value: string } | { valid: false; reason: FormatError };

/**
 * A French number — "01 23 45 67 89", "01.23.45.67.89", "0123456789", "+33 1 23 45 67 89",
 * "+33 (0)1 23 45 67 89", "0033 1 23 45 67 89" — normalised to "01 23 45 67 89"; or an international
 * number "+CC …" / "00CC …" (9 to 15 digits with the country code — E.164 allows 15; below 9 is
 * almost always a mistyped French number: "00 12 34 56 78") normalised to "+" and its digits. Spaces, dots,
 * hyphens and parentheses are tolerated as separators.
 */
export function validatePhone(input: string): PhoneCheck {
  const trimmed = input.trim();
  if (trimmed === '') return { valid: false, reason: 'empty' };
  if (!/^\+?[\d\s.()-]+$/.test(trimmed)) return { valid: false, reason: 'format' };
  const international = trimmed.startsWith('+') || /^00/.test(trimmed.replace(/[\s.()-]/g, ''));
  let digits = trimmed.replace(/\(0\)/g, '').replace(/[^\d]/g, '');
  if (!international) {
    if (!/^0[1-9]\d{8}$/.test(digits)) return { valid: false, reason: 'format' };
    return { valid: true, kind: 'french', value: digits.replace(/(\d{2})(?=\d)/g, '$1 ') };
  }
  if (!trimmed.startsWith('+')) digits = digits.slice(2);
  if (digits.startsWith('33')) {
    const national = digits.slice(2);
    if (!/^[1-9]\d{8}$/.test(national)) return { valid: false, reason: 'format' };
    return { valid: true, kind: 'french', value: `0${national}`.replace(/(\d{2})(?=\d)/g, '$1 ') };
  }
  if (!/^[1-9]\d{8,14}$/.test(digits)) return { valid: false, reason: 'format' };
  return { valid: true, kind: 'international', value: `+${digits}` };
}
