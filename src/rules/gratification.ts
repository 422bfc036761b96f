/**
 * Intern gratification (L124-6, D124-6): when it is mandatory and its legal minimum.
 *
 * Conventions:
 * - Durations are whole minutes, money whole cents (integers; see units.ts).
 * - OBLIGATION: mandatory when the hours of presence of the student in the same host and the same
 *   academic year (this convention + the student's other conventions there, amendments included)
 *   are strictly ABOVE the threshold parameter (308 h = 2 months = 44 days × 7 h). Exactly 308 h is
 *   not mandatory; 308 h 01 is, because the 309th hour has started ("owed from the first day once the
 *   309th hour is reached": it is then owed for all the hours, from the first day).
 * - MINIMUM: for each calendar year, the hours worked that year × the minimum hourly amount of that
 *   year (table passed in, euros as decimal strings or numbers). Each year's product is rounded UP to
 *   the cent: an offer in whole cents meets the exact minimum if and only if it meets the rounded-up one.
 *   A year missing from the table takes the latest earlier year's rate, flagged `provisional` (the
 *   yearly decree is published in December; the rate is adjusted when admins enter the new one).
 *   A year BEFORE the first of the table has no minimum here: it is `unknown`, never taken from a
 *   later year (the rate has changed over time, so a later one would invent a different obligation).
 *   Its hours are left out of the comparison, and the verdict never claims the offer meets the law
 *   for that year: the reason is `minimum-unknown` unless a known year already fails.
 * - MONTHLY EQUIVALENT of an hourly amount for a weekly schedule: hourly × weekly hours × 52 / 12
 *   (smoothed month: 52 weeks a year spread over 12 months), rounded up to the cent —
 *   4.50 € × 35 h × 52 / 12 = 682.50 €.
 * - NET / GROSS: the gratification is exempt from social contributions up to the legal minimum
 *   (franchise, Code de la sécurité sociale L242-4-1); only the part above it bears contributions.
 *   So net = gross for any amount up to the minimum, and gross ≥ minimum ⇔ net ≥ minimum: the amount
 *   is compared as entered, whatever its basis, and the basis is kept only for display. (Assumption:
 *   a host does not deduct contributions below the franchise — which it has no right to do.)
 */
import { ceilDivide, eurosToCents, hoursToMinutes } from './units.ts';

/** Weeks in a year and months in a year, for the smoothed monthly amount (not legal thresholds). */
const WEEKS_PER_YEAR = 52;
const MONTHS_PER_YEAR = 12;
const MINUTES_PER_HOUR = 60;

export interface ObligationInput {
  /** Minutes of presence of this convention (effective values). */
  conventionMinutes: number;
  /** Minutes of the student's other conventions with the same host in the same academic year. */
  otherConventionsMinutes?: readonly number[];
  /** Legal parameter `gratificationThresholdHours`. */
  thresholdHours: number | string;
}

export interface Obligation {
  mandatory: boolean;
  /** This convention + the others. */
  totalMinutes: number;
  thresholdMinutes: number;
}

export function gratificationObligation(input: ObligationInput): Obligation {
  const totalMinutes = [input.conventionMinutes, ...(input.otherConventionsMinutes ?? [])].reduce((sum, minutes) => {
    if (!Number.isInteger(minutes) || minutes < 0) throw new RangeError(`not a whole number of minutes: ${minutes}`);
    return sum + minutes;
  }, 0);
  const thresholdMinutes = hoursToMinutes(input.thresholdHours);
  return { mandatory: totalMinutes > thresholdMinutes, totalMinutes, thresholdMinutes };
}

/** Minimum hourly gratification by calendar year, in euros: { "2025": "4.35", "2026": 4.5 }. */
export type HourlyMinimumTable = Readonly<Record<string, number | string>>;

export interface KnownYearRate {
  year: number;
  unknown?: false;
  hourlyCents: number;
  /** The year whose rate was used (an earlier one when the table lacks `year`). */
  rateYear: number;
  provisional: boolean;
}

/** A year before the first of the table: its minimum is not known, so it has no amount at all. */
export interface UnknownYearRate {
  year: number;
  unknown: true;
  hourlyCents?: undefined;
}

export type YearRate = KnownYearRate | UnknownYearRate;

/** The minimum hourly amount of a calendar year; the latest earlier year's when missing (provisional). */
export function hourlyMinimumForYear(table: HourlyMinimumTable, year: number): YearRate {
  const known = Object.keys(table)
    .map(Number)
    .filter((candidate) => Number.isInteger(candidate) && candidate <= year)
    .sort((a, b) => b - a);
  const rateYear = known[0];
  if (rateYear === undefined) return { year, unknown: true };
  const rate = table[String(rateYear)];
  if (rate === undefined) throw new RangeError(`no minimum hourly gratification for ${rateYear}`);
  return { year, hourlyCents: eurosToCents(rate), rateYear, provisional: rateYear !== year };
}

/**
 * The minimum hourly gratification of a year, in cents: the legal rate of the hourly social-security
 * ceiling (L124-6: 15 %), rounded to the cent.
 */
export function minimumFromCeiling(ceilingCents: number, rateBasisPoints: number): number {
  return Math.round((ceilingCents * rateBasisPoints) / 10000);
}

export interface YearMinutes {
  year: number;
  minutes: number;
}

export type YearMinimum =
  | (KnownYearRate & {
      minutes: number;
      /** minutes × hourly minimum, rounded up to the cent. */
      cents: number;
    })
  | (UnknownYearRate & { minutes: number; cents?: undefined });

export interface MinimumGratification {
  /** null when a year with hours has an unknown minimum: a partial sum is not the legal minimum. */
  totalCents: number | null;
  byYear: YearMinimum[];
  /** Years with hours whose minimum is not in the table. */
  unknownYears: number[];
}

/** Legal minimum for hours split by calendar year (e.g. `Presence.byYear`). */
export function minimumGratification(byYear: readonly YearMinutes[], table: HourlyMinimumTable): MinimumGratification {
  const years = byYear.map(({ year, minutes }): YearMinimum => {
    if (!Number.isInteger(minutes) || minutes < 0) throw new RangeError(`not a whole number of minutes: ${minutes}`);
    const rate = hourlyMinimumForYear(table, year);
    if (rate.unknown) return { ...rate, minutes };
    return { ...rate, minutes, cents: ceilDivide(minutes * rate.hourlyCents, MINUTES_PER_HOUR) };
  });
  const unknownYears = years.filter((year) => year.unknown && year.minutes > 0).map((year) => year.year);
  const totalCents = unknownYears.length > 0 ? null : years.reduce((sum, year) => sum + (year.unknown ? 0 : year.cents), 0);
  return { totalCents, byYear: years, unknownYears };
}

/** Monthly equivalent of an hourly amount for a weekly schedule: hourly × weekly hours × 52 / 12, rounded up. */
export function monthlyEquivalentCents(hourlyCents: number, weeklyMinutes: number): number {
  return ceilDivide(hourlyCents * weeklyMinutes * WEEKS_PER_YEAR, MINUTES_PER_HOUR * MONTHS_PER_YEAR);
}

export type GratificationPeriod = 'hour' | 'month';
export type GratificationBasis = 'net' | 'gross';

export interface OfferedGratification {
  amountCents: number;
  per: GratificationPeriod;
  /** Kept for display only: see the module comment on net and gross. */
  basis: GratificationBasis;
}

export interface GratificationInput {
  obligation: Obligation;
  /** Minutes of this convention by calendar year. */
  presenceByYear: readonly YearMinutes[];
  /** Weekly schedule, for the monthly equivalent. */
  weeklyMinutes: number;
  /** null when no gratification is planned. */
  offered: OfferedGratification | null;
  hourlyMinimumByYear: HourlyMinimumTable;
}

export type RequiredAmount =
  | {
      year: number;
      unknown?: false;
      /** Minimum in the unit of the offer (per hour, or per month for the weekly schedule). */
      cents: number;
      provisional: boolean;
    }
  | { year: number; unknown: true; cents?: undefined };

/** `minimum-unknown`: every known year is met, but a year's minimum is not in the table, so the offer is not checked for it. */
export type GratificationReason = 'not-mandatory' | 'meets-minimum' | 'missing' | 'below-minimum' | 'minimum-unknown';

export interface GratificationVerdict {
  ok: boolean;
  reason: GratificationReason;
  mandatory: boolean;
  period: GratificationPeriod;
  /** Minimum per calendar year, in the unit of the offer (per hour when nothing is offered). */
  required: RequiredAmount[];
  /**
   * The highest known amount of `required`: what the offer must reach (0 when the convention has no
   * hours; null when no year with hours has a known minimum).
   */
  requiredCents: number | null;
  /** Years whose known minimum the offer does not reach. */
  yearsBelow: number[];
  /** Years with hours whose minimum is not in the table: the offer is not checked for them. */
  unknownYears: number[];
  /** Legal minimum over the whole convention. */
  minimum: MinimumGratification;
}

/** Whether the planned gratification satisfies the law; the minimum is computed in every case. */
export function evaluateGratification(input: GratificationInput): GratificationVerdict {
  const minimum = minimumGratification(input.presenceByYear, input.hourlyMinimumByYear);
  const period: GratificationPeriod = input.offered?.per ?? 'hour';
  const required = minimum.byYear
    .filter((year) => year.minutes > 0)
    .map((year): RequiredAmount =>
      year.unknown
        ? { year: year.year, unknown: true }
        : {
            year: year.year,
            cents: period === 'hour' ? year.hourlyCents : monthlyEquivalentCents(year.hourlyCents, input.weeklyMinutes),
            provisional: year.provisional,
          },
    );
  const known = required.filter((year) => !year.unknown);
  const unknownYears = minimum.unknownYears;
  const requiredCents = known.length === 0 && unknownYears.length > 0 ? null : Math.max(0, ...known.map((year) => year.cents));
  const base = { mandatory: input.obligation.mandatory, period, required, requiredCents, unknownYears, minimum };
  if (!input.obligation.mandatory) return { ...base, ok: true, reason: 'not-mandatory', yearsBelow: [] };
  const offered = input.offered;
  if (!offered || offered.amountCents <= 0) return { ...base, ok: false, reason: 'missing', yearsBelow: known.map((year) => year.year) };
  if (!Number.isInteger(offered.amountCents)) throw new RangeError(`not a whole number of cents: ${offered.amountCents}`);
  const yearsBelow = known.filter((year) => offered.amountCents < year.cents).map((year) => year.year);
  if (yearsBelow.length > 0) return { ...base, ok: false, reason: 'below-minimum', yearsBelow };
  if (unknownYears.length > 0) return { ...base, ok: false, reason: 'minimum-unknown', yearsBelow };
  return { ...base, ok: true, reason: 'meets-minimum', yearsBelow };
}
