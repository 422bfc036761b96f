import type { Db } from '../db/knex.ts';
import type { Knex } from 'knex';
import type { OfferLookup, OfferMatch } from '../conventions/index.ts';
import { actingAsStudent, type Actor } from '../access/actor.ts';
import { containing } from '../db/text-search.ts';
import { todayInFrance } from '../rules/academic-year.ts';

import { offerAudience, visibleOffers, whereRunning } from './scope.ts';

/**
 * Step 1 of the convention wizard asks for an offer (docs/domain.md): the offers are those the convention's
 * STUDENT may see as running — even when staff enter the convention, a staff member's wider view must
 * not link a student to an offer that was never published to them.
 */
const MIN_KEYWORD_LENGTH = 5;
const MAX_MATCHES = 20;

/** The running offers the student may see; wrapped, because awaiting a query builder would run it. */
async function runningForStudent(db: Db, actor: Actor, studentId: number): Promise<{ query: Knex.QueryBuilder }> {
  const today = todayInFrance();
  const audience = await offerAudience(db, actingAsStudent(actor, studentId), today);
  return { query: whereRunning(visibleOffers(db, audience), today) };
}

export const offerLookup: OfferLookup = {
  async anyPublishedFor(db, actor, studentId) {
    const { query } = await runningForStudent(db, actor, studentId);
    return (await query.first('o.id')) !== undefined;
  },

  async find(db, actor, studentId, reference) {
    const typed = reference.trim();
    const { query } = await runningForStudent(db, actor, studentId);
    if (/^[1-9][0-9]{0,8}$/.test(typed)) query.where('o.id', Number(typed));
    else if (typed.length >= MIN_KEYWORD_LENGTH) query.whereRaw('immutable_unaccent(lower(o.title)) LIKE immutable_unaccent(lower(?))', [containing(typed)]);
    else return [];
    const rows = (await query.orderBy('o.id').limit(MAX_MATCHES).select('o.id', 'o.title', 'o.host_id', 'o.missions')) as {
      id: number;
      title: string;
      host_id: number;
      missions: string | null;
    }[];
    return rows.map((row): OfferMatch => ({ offerId: row.id, title: row.title, hostId: row.host_id, activities: row.missions }));
  },
};
