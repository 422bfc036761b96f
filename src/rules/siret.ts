/**
 * SIREN (9 digits, company) and SIRET (14 digits = SIREN + 5-digit NIC, establishment) numbers of the
 * INSEE Sirene register. Both end with a Luhn check digit.
 *
 * La Poste exception: its establishments (SIREN 356000000) were numbered before the Luhn rule; a
 * SIRET of La Poste is valid when its Luhn checksum holds (e.g. the head office 356 000 000 00048)
 * OR when the sum of its 14 digits is a multiple of 5.
 *
 * Input may contain spaces (including no-break spaces), as printed on invoices: "732 829 320 00074".
 */

export const LA_POSTE_SIREN = '356000000';

export type IdentifierError = 'empty' | 'not-digits' | 'wrong-length' | 'checksum';

export type IdentifierCheck = { valid: true; value: string } | { valid: false; reason: IdentifierError };

/** Removes the spaces of a typed identifier. */
export function normaliseSiret(input: string): string {
  return input.replace(/\s+/g, '');
}

/** Luhn checksum of a string of digits: from the right, every second digit is doubled (minus 9 above 9). */
export function luhnValid(digits: string): boolean {
  if (!/^\d+$/.test(digits)) return false;
  let sum = 0;
  for (let position = 0; position < digits.length; position += 1) {
    const digit = Number(digits[digits.length - 1 - position]);
    const value = position % 2 === 1 ? digit * 2 : digit;
    sum += value > 9 ? value - 9 : value;
  }
  return sum % 10 === 0;
}

function checkDigits(input: string, length: number): IdentifierCheck {
  const value = normaliseSiret(input);
  if (value === '') return { valid: false, reason: 'empty' };
  if (!/^\d+$/.test(value)) return { valid: false, reason: 'not-digits' };
  if (value.length !== length) return { valid: false, reason: 'wrong-length' };
  return { valid: true, value };
}

/** Validates a SIREN: 9 digits, Luhn. */
export function validateSiren(input: string): IdentifierCheck {
  const check = checkDigits(input, 9);
  if (!check.valid) return check;
  return luhnValid(check.value) ? check : { valid: false, reason: 'checksum' };
}

/** Validates a SIRET: 14 digits, Luhn, with the La Poste exception. Returns the normalised number. */
export function validateSiret(input: string): IdentifierCheck {
  const check = checkDigits(input, 14);
  if (!check.valid) return check;
  if (luhnValid(check.value)) return check;
  if (check.value.startsWith(LA_POSTE_SIREN)) {
    const digitSum = [...check.value].reduce((sum, digit) => sum + Number(digit), 0);
    if (digitSum % 5 === 0) return check;
  }
  return { valid: false, reason: 'checksum' };
}

/** Whether the input is a valid SIRET (see `validateSiret`). */
export function isValidSiret(input: string): boolean {
  return validateSiret(input).valid;
}

/** The SIREN part of a valid SIRET. */
export function sirenOfSiret(siret: string): string {
  return normaliseSiret(siret).slice(0, 9);
}

/** Display form "732 829 320 00074" of a 14-digit SIRET (other input returned as typed). */
export function formatSiret(siret: string): string {
  const value = normaliseSiret(siret);
  return /^\d{14}$/.test(value) ? `${value.slice(0, 3)} ${value.slice(3, 6)} ${value.slice(6, 9)} ${value.slice(9)}` : siret;
}
