import type { Knex } from 'knex';
import { audit } from '../audit/audit-log.ts';
import { minimumFromCeiling } from '../rules/gratification.ts';
import { loadRateOfCeiling, upsertLegalRate, type LegalYearRate } from './legal-rates-repository.ts';

/**
 * Records the hourly social-security ceiling of a year and the minimum gratification that follows from
 * it, in one transaction with its audit entry. The legal checks read the table at each check: the
 * conventions with hours in that year are checked against it from then on.
 */
export async function saveLegalRate(
  knex: Knex,
  change: { actorLogin: string; requestId?: string; year: number; ceilingCents: number },
): Promise<LegalYearRate> {
  return knex.transaction(async (trx) => {
    const rate = { year: change.year, ceilingCents: change.ceilingCents, minimumCents: minimumFromCeiling(change.ceilingCents, await loadRateOfCeiling(trx)) };
    const before = await upsertLegalRate(trx, rate);
    await audit(trx, {
      actorLogin: change.actorLogin,
      action: before ? 'legal_rate.replaced' : 'legal_rate.added',
      entity: 'legal_yearly_rate',
      entityId: rate.year,
      before,
      after: rate,
      requestId: change.requestId,
    });
    return rate;
  });
}
