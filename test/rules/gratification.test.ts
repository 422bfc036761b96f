import { describe, expect, it } from 'vitest';
import {
  evaluateGratification,
  gratificationObligation,
  hourlyMinimumForYear,
  minimumFromCeiling,
  minimumGratification,
  monthlyEquivalentCents,
  type OfferedGratification,
} from '../../src/rules/gratification.ts';
import { readFileSync } from 'node:fs';
import { eurosToCents, rateToBasisPoints } from '../../src/rules/units.ts';
import { legalParameters } from './legal-parameters.ts';

const threshold = legalParameters.gratificationThresholdHours; // 308 h
const rates = legalParameters.minimumHourlyGratification; // 2025: 4.35 €, 2026: 4.50 €
const hours = (h: number) => h * 60;

describe('when gratification is mandatory (strictly beyond 308 h in the same host and academic year)', () => {
  it.each([
    [hours(301), false],
    [hours(308), false], // exactly 2 months = 44 days × 7 h: not mandatory
    [hours(308) + 1, true], // the 309th hour has started
    [hours(309), true],
  ])('%i minutes → mandatory: %s', (minutes, mandatory) => {
    expect(gratificationObligation({ conventionMinutes: minutes, thresholdHours: threshold })).toEqual({
      mandatory,
      totalMinutes: minutes,
      thresholdMinutes: hours(308),
    });
  });

  it('adds the student’s other conventions with the same host: 200 h + 108 h is not mandatory, 200 h + 109 h is', () => {
    expect(gratificationObligation({ conventionMinutes: hours(200), otherConventionsMinutes: [hours(108)], thresholdHours: threshold }).mandatory).toBe(false);
    const obligation = gratificationObligation({ conventionMinutes: hours(200), otherConventionsMinutes: [hours(60), hours(49)], thresholdHours: threshold });
    expect(obligation).toEqual({ mandatory: true, totalMinutes: hours(309), thresholdMinutes: hours(308) });
  });

  it('refuses fractions of minutes', () => {
    expect(() => gratificationObligation({ conventionMinutes: 1.5, thresholdHours: threshold })).toThrow(RangeError);
  });
});

describe('legal minimum', () => {
  it('takes each calendar year’s hourly rate, as decimal numbers or strings', () => {
    expect(hourlyMinimumForYear(rates, 2025)).toEqual({ year: 2025, hourlyCents: 435, rateYear: 2025, provisional: false });
    expect(hourlyMinimumForYear({ '2026': '4.50' }, 2026)).toEqual({ year: 2026, hourlyCents: 450, rateYear: 2026, provisional: false });
  });

  it('uses the latest earlier rate, flagged provisional, for a year not yet in the table', () => {
    expect(hourlyMinimumForYear(rates, 2027)).toEqual({ year: 2027, hourlyCents: 450, rateYear: 2026, provisional: true });
  });

  it('knows no rate for a year before the first of the table (2023), rather than taking a later one', () => {
    expect(hourlyMinimumForYear(rates, 2022)).toEqual({ year: 2022, unknown: true });
    expect(hourlyMinimumForYear(rates, 2015)).toEqual({ year: 2015, unknown: true });
    expect(hourlyMinimumForYear(rates, 2023)).toEqual({ year: 2023, hourlyCents: 405, rateYear: 2023, provisional: false });
  });

  it('gives no total when a year with hours has no known rate, and lists that year', () => {
    const minimum = minimumGratification(
      [
        { year: 2022, minutes: hours(287) },
        { year: 2023, minutes: hours(287) },
      ],
      rates,
    );
    expect(minimum.byYear).toEqual([
      { year: 2022, unknown: true, minutes: hours(287) },
      { year: 2023, hourlyCents: 405, rateYear: 2023, provisional: false, minutes: hours(287), cents: 116235 }, // 287 h × 4.05 € = 1,162.35 €
    ]);
    expect(minimum.totalCents).toBeNull();
    expect(minimum.unknownYears).toEqual([2022]);
  });

  it('ignores an unknown year without hours (an interruption covering it)', () => {
    const minimum = minimumGratification(
      [
        { year: 2022, minutes: 0 },
        { year: 2023, minutes: hours(10) },
      ],
      rates,
    );
    expect(minimum.totalCents).toBe(4050);
    expect(minimum.unknownYears).toEqual([]);
  });

  it('crossing 1 January: 287 h in 2025 × 4.35 € + 287 h in 2026 × 4.50 € = 1,248.45 + 1,291.50 = 2,539.95 €', () => {
    const minimum = minimumGratification(
      [
        { year: 2025, minutes: hours(287) },
        { year: 2026, minutes: hours(287) },
      ],
      rates,
    );
    expect(minimum.byYear.map((year) => [year.year, year.hourlyCents, year.cents])).toEqual([
      [2025, 435, 124845],
      [2026, 450, 129150],
    ]);
    expect(minimum.totalCents).toBe(253995);
  });

  it('rounds each year up to the cent: 10 minutes at 4.35 € = 72.5 cents → 0.73 €', () => {
    expect(minimumGratification([{ year: 2025, minutes: 10 }], rates).totalCents).toBe(73);
    expect(minimumGratification([{ year: 2025, minutes: 20 }], rates).totalCents).toBe(145);
  });

  it.each([
    [450, hours(35), 68250], // 4.50 × 35 × 52 / 12 = 682.50 €
    [435, hours(35), 65975], // 4.35 × 35 × 52 / 12 = 659.75 €
    [405, hours(35), 61425], // 4.05 × 35 × 52 / 12 = 614.25 €
    [450, hours(24), 46800], // 4.50 × 24 × 52 / 12 = 468.00 €
    [435, hours(17.5), 32988], // 4.35 × 17.5 × 52 / 12 = 329.875 € → 329.88 €
  ])('monthly equivalent of %i cents an hour for %i minutes a week = %i cents', (hourly, weekly, monthly) => {
    expect(monthlyEquivalentCents(hourly, weekly)).toBe(monthly);
  });
});

describe('verdict on the planned gratification', () => {
  // The crossing-year internship: 287 h in 2025 and 287 h in 2026, 35 h a week — mandatory (574 h > 308 h).
  const presenceByYear = [
    { year: 2025, minutes: hours(287) },
    { year: 2026, minutes: hours(287) },
  ];
  const mandatory = gratificationObligation({ conventionMinutes: hours(574), thresholdHours: threshold });
  const verdict = (offered: OfferedGratification | null, obligation = mandatory) =>
    evaluateGratification({ obligation, presenceByYear, weeklyMinutes: hours(35), offered, hourlyMinimumByYear: rates });

  it('accepts 4.50 € an hour, the 2026 minimum', () => {
    const result = verdict({ amountCents: 450, per: 'hour', basis: 'net' });
    expect(result.ok).toBe(true);
    expect(result.reason).toBe('meets-minimum');
    expect(result.requiredCents).toBe(450);
    expect(result.minimum.totalCents).toBe(253995);
  });

  it('refuses 4.35 € an hour: enough for 2025, below the 2026 minimum', () => {
    const result = verdict({ amountCents: 435, per: 'hour', basis: 'gross' });
    expect(result).toMatchObject({ ok: false, reason: 'below-minimum', yearsBelow: [2026], requiredCents: 450 });
    expect(result.required).toEqual([
      { year: 2025, cents: 435, provisional: false },
      { year: 2026, cents: 450, provisional: false },
    ]);
  });

  it('compares a monthly amount with the monthly equivalent of each year: 682.50 € passes, 682.49 € does not', () => {
    expect(verdict({ amountCents: 68250, per: 'month', basis: 'net' })).toMatchObject({ ok: true, period: 'month', requiredCents: 68250 });
    expect(verdict({ amountCents: 68249, per: 'month', basis: 'net' })).toMatchObject({ ok: false, reason: 'below-minimum', yearsBelow: [2026] });
    expect(verdict({ amountCents: 65975, per: 'month', basis: 'net' }).yearsBelow).toEqual([2026]);
  });

  it('gives the same verdict for net and gross amounts (exempt up to the minimum)', () => {
    for (const amountCents of [449, 450]) {
      expect(verdict({ amountCents, per: 'hour', basis: 'net' }).ok).toBe(verdict({ amountCents, per: 'hour', basis: 'gross' }).ok);
    }
  });

  it('reports a missing gratification, with the minimum per hour', () => {
    expect(verdict(null)).toMatchObject({ ok: false, reason: 'missing', requiredCents: 450, period: 'hour', yearsBelow: [2025, 2026] });
    expect(verdict({ amountCents: 0, per: 'month', basis: 'net' })).toMatchObject({ ok: false, reason: 'missing' });
  });

  it('accepts anything when it is not mandatory, and still computes the minimum for display', () => {
    const notMandatory = gratificationObligation({ conventionMinutes: hours(301), thresholdHours: threshold });
    const result = verdict({ amountCents: 300, per: 'hour', basis: 'net' }, notMandatory);
    expect(result).toMatchObject({ ok: true, reason: 'not-mandatory', mandatory: false, requiredCents: 450 });
    expect(verdict(null, notMandatory).ok).toBe(true);
  });

  it('flags a provisional rate for a year not in the table', () => {
    const result = evaluateGratification({
      obligation: mandatory,
      presenceByYear: [{ year: 2027, minutes: hours(400) }],
      weeklyMinutes: hours(35),
      offered: { amountCents: 450, per: 'hour', basis: 'net' },
      hourlyMinimumByYear: rates,
    });
    expect(result.ok).toBe(true);
    expect(result.required).toEqual([{ year: 2027, cents: 450, provisional: true }]);
  });
});

describe('verdict for years before the table (no legal minimum known)', () => {
  const mandatory = gratificationObligation({ conventionMinutes: hours(420), thresholdHours: threshold });
  const evaluate = (presenceByYear: { year: number; minutes: number }[], offered: OfferedGratification | null, obligation = mandatory) =>
    evaluateGratification({ obligation, presenceByYear, weeklyMinutes: hours(35), offered, hourlyMinimumByYear: rates });

  // 2 March – 22 May 2015: 12 weeks Monday–Friday at 35 h, less Easter Monday, 1, 8 and 14 May = 56 days = 392 h.
  const in2015 = [{ year: 2015, minutes: hours(392) }];

  it('a 2015 internship paid 4.50 € an hour: not claimed to meet the law, the 2015 minimum is unknown, no amount invented', () => {
    const result = evaluate(in2015, { amountCents: 450, per: 'hour', basis: 'net' });
    expect(result).toMatchObject({ ok: false, reason: 'minimum-unknown', requiredCents: null, yearsBelow: [], unknownYears: [2015] });
    expect(result.required).toEqual([{ year: 2015, unknown: true }]);
    expect(result.minimum).toEqual({ totalCents: null, byYear: [{ year: 2015, unknown: true, minutes: hours(392) }], unknownYears: [2015] });
  });

  it('a 2015 internship without gratification is still missing one (the obligation does not depend on the rate), with no amount', () => {
    expect(evaluate(in2015, null)).toMatchObject({ ok: false, reason: 'missing', requiredCents: null, yearsBelow: [], unknownYears: [2015] });
  });

  it('a 2015 internship under the threshold needs no gratification, whatever the rate', () => {
    const short = gratificationObligation({ conventionMinutes: hours(280), thresholdHours: threshold });
    expect(evaluate([{ year: 2015, minutes: hours(280) }], null, short)).toMatchObject({ ok: true, reason: 'not-mandatory', unknownYears: [2015] });
  });

  // 7 November 2022 – 24 February 2023: 273 h in 2022 (unknown) and 280 h in 2023 (4.05 €).
  const straddling = [
    { year: 2022, minutes: hours(273) },
    { year: 2023, minutes: hours(280) },
  ];

  it('straddling 2022-2023 at 4.05 € an hour: 2023 checked and met, 2022 unknown, so the verdict is not ok', () => {
    const result = evaluate(straddling, { amountCents: 405, per: 'hour', basis: 'net' });
    expect(result).toMatchObject({ ok: false, reason: 'minimum-unknown', requiredCents: 405, yearsBelow: [], unknownYears: [2022] });
    expect(result.required).toEqual([
      { year: 2022, unknown: true },
      { year: 2023, cents: 405, provisional: false },
    ]);
    expect(result.minimum.totalCents).toBeNull();
    expect(result.minimum.byYear.map((year) => year.cents)).toEqual([undefined, 113400]); // 280 h × 4.05 € = 1,134.00 €
  });

  it('straddling 2022-2023 at 4.04 € an hour: below the 2023 minimum, which wins over the unknown 2022', () => {
    expect(evaluate(straddling, { amountCents: 404, per: 'hour', basis: 'gross' })).toMatchObject({
      ok: false,
      reason: 'below-minimum',
      requiredCents: 405,
      yearsBelow: [2023],
      unknownYears: [2022],
    });
  });

  it('straddling 2022-2023 per month: 614.25 € (4.05 € × 35 h × 52 / 12) reaches 2023, 614.24 € does not', () => {
    expect(evaluate(straddling, { amountCents: 61425, per: 'month', basis: 'net' })).toMatchObject({ reason: 'minimum-unknown', requiredCents: 61425 });
    expect(evaluate(straddling, { amountCents: 61424, per: 'month', basis: 'net' })).toMatchObject({ reason: 'below-minimum', yearsBelow: [2023] });
  });

  it('straddling 2022-2023 without gratification: missing, below 2023 only', () => {
    expect(evaluate(straddling, null)).toMatchObject({ ok: false, reason: 'missing', requiredCents: 405, yearsBelow: [2023], unknownYears: [2022] });
  });

  it('leaves known years as before: no unknown year, a total, meets-minimum', () => {
    const result = evaluate([{ year: 2024, minutes: hours(400) }], { amountCents: 435, per: 'hour', basis: 'net' });
    expect(result).toMatchObject({ ok: true, reason: 'meets-minimum', unknownYears: [] });
    expect(result.minimum.totalCents).toBe(174000);
  });
});

describe('minimum hourly gratification of a year, from its hourly social-security ceiling', () => {
  const seed = JSON.parse(readFileSync(new URL('../../seeds/data/legal-parameters.json', import.meta.url), 'utf8')) as {
    gratificationRateOfHourlyCeiling: { value: number };
    hourlySocialSecurityCeilingByYear: { values: Record<string, number>; minimumHourlyGratification: Record<string, number> };
  };
  const rate = rateToBasisPoints(seed.gratificationRateOfHourlyCeiling.value);

  it.each(Object.entries(seed.hourlySocialSecurityCeilingByYear.values))('gives for %s the minimum of the legal data (ceiling %d €)', (year, ceiling) => {
    expect(minimumFromCeiling(eurosToCents(ceiling), rate)).toBe(eurosToCents(seed.hourlySocialSecurityCeilingByYear.minimumHourlyGratification[year]!));
  });

  it('rounds to the cent', () => {
    expect(minimumFromCeiling(3050, 1500)).toBe(458); // 4.575 €
    expect(minimumFromCeiling(3010, 1500)).toBe(452); // 4.515 €
  });
});
