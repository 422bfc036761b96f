import type { Knex } from 'knex';
import { eurosToCents, rateToBasisPoints } from '../rules/units.ts';
import type { Db } from '../db/knex.ts';

export interface LegalYearRate {
  year: number;
  ceilingCents: number;
  minimumCents: number;
}

interface RateRow {
  year: number;
  hourly_social_security_ceiling: string;
  minimum_hourly_gratification: string;
}

const COLUMNS = ['year', 'hourly_social_security_ceiling', 'minimum_hourly_gratification'];
const rateOf = (row: RateRow): LegalYearRate => ({
  year: row.year,
  ceilingCents: eurosToCents(row.hourly_social_security_ceiling),
  minimumCents: eurosToCents(row.minimum_hourly_gratification),
});
const decimalOf = (cents: number) => `${Math.floor(cents / 100)}.${String(cents % 100).padStart(2, '0')}`;

/** The yearly rates on record, latest year first. */
export async function loadLegalRates(db: Db): Promise<LegalYearRate[]> {
  return ((await db('legal_yearly_rate').orderBy('year', 'desc').select(COLUMNS)) as RateRow[]).map(rateOf);
}

/** The legal rate of the hourly ceiling that the minimum gratification is (L124-6), in basis points. */
export async function loadRateOfCeiling(db: Db): Promise<number> {
  const row = (await db('legal_parameter').where({ key: 'gratificationRateOfHourlyCeiling' }).first('value')) as
    { value: { value: number | string } } | undefined;
  if (!row) throw new Error('legal parameter gratificationRateOfHourlyCeiling is missing from legal_parameter');
  return rateToBasisPoints(row.value.value);
}

/** Records the rate of a year, replacing the one on record; returns the one replaced. */
export async function upsertLegalRate(trx: Knex.Transaction, rate: LegalYearRate): Promise<LegalYearRate | null> {
  const before = (await trx('legal_yearly_rate').where({ year: rate.year }).forUpdate().first(COLUMNS)) as RateRow | undefined;
  await trx('legal_yearly_rate')
    .insert({ year: rate.year, hourly_social_security_ceiling: decimalOf(rate.ceilingCents), minimum_hourly_gratification: decimalOf(rate.minimumCents) })
    .onConflict('year')
    .merge(['hourly_social_security_ceiling', 'minimum_hourly_gratification']);
  return before ? rateOf(before) : null;
}
