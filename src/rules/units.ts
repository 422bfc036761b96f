/**
 * Exact units of the legal rules: durations in whole MINUTES, money in whole CENTS (integers), so that
 * adding hours of presence or amounts never drifts as binary floating point does (0.1 + 0.2).
 * Decimal inputs (form fields, PostgreSQL `decimal` columns that arrive as strings, JSON numbers) are
 * converted here once, and refused when they are not a whole number of minutes or cents.
 */

const DECIMAL = /^(\d+)(?:[.,](\d+))?$/;

/** Parses a non-negative decimal ("35", "17.5", "4,50", 4.5) into an integer number of `1/scale` units. */
function decimalToUnits(value: number | string, scale: number, what: string): number {
  if (typeof value === 'number') {
    if (!Number.isFinite(value) || value < 0) throw new RangeError(`${what} must be a non-negative number: ${value}`);
    const units = Math.round(value * scale);
    if (Math.abs(units - value * scale) > 1e-6) throw new RangeError(`${what} is not a whole number of 1/${scale}: ${value}`);
    return units;
  }
  const match = DECIMAL.exec(value.trim());
  if (!match) throw new RangeError(`${what} is not a decimal number: ${value}`);
  const whole = Number(match[1]);
  const fraction = (match[2] ?? '').replace(/0+$/, '');
  // fraction / 10^digits × scale must be whole: compute it with integers.
  const denominator = 10 ** fraction.length;
  const numerator = Number(fraction || '0') * scale;
  if (numerator % denominator !== 0) throw new RangeError(`${what} is not a whole number of 1/${scale}: ${value}`);
  return whole * scale + numerator / denominator;
}

/** Hours (decimal) to whole minutes: 35 → 2100, "17.5" → 1050, "7,25" → 435; 7.333 is refused. */
export function hoursToMinutes(hours: number | string): number {
  return decimalToUnits(hours, 60, 'hours');
}

/** Euros (decimal) to whole cents: "4.50" → 450, 4.35 → 435, "682,5" → 68250; 4.505 is refused. */
export function eurosToCents(euros: number | string): number {
  return decimalToUnits(euros, 100, 'amount');
}

/** A rate (decimal) to basis points: 0.15 → 1500, "0,15" → 1500. */
export function rateToBasisPoints(rate: number | string): number {
  return decimalToUnits(rate, 10000, 'rate');
}

/** Integer division rounded up, for non-negative integers (exact, no floating point). */
export function ceilDivide(numerator: number, denominator: number): number {
  return Math.floor((numerator + denominator - 1) / denominator);
}

function groupThousands(value: number): string {
  return String(value).replace(/\B(?=(\d{3})+(?!\d))/g, '\u00a0');
}

/** French display of a duration in minutes: 23100 → "385 h", 23130 → "385 h 30", 5 → "0 h 05". */
export function formatHours(minutes: number): string {
  const hours = Math.floor(minutes / 60);
  const rest = minutes % 60;
  return rest === 0 ? `${groupThousands(hours)}\u00a0h` : `${groupThousands(hours)}\u00a0h\u00a0${String(rest).padStart(2, '0')}`;
}

/** French display of an amount in cents: 68250 → "682,50 €", 123456 → "1 234,56 €" (no-break spaces). */
export function formatEuros(cents: number): string {
  const sign = cents < 0 ? '-' : '';
  const absolute = Math.abs(cents);
  return `${sign}${groupThousands(Math.floor(absolute / 100))},${String(absolute % 100).padStart(2, '0')}\u00a0€`;
}
