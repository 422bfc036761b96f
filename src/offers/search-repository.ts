import type { Db } from '../db/knex.ts';
import type { Knex } from 'knex';
import { containing } from '../db/text-search.ts';

import { visibleOffers, whereRunning, type OfferAudience } from './scope.ts';
import type { OfferSearchCriteria } from './search-schemas.ts';

export interface OfferListRow {
  id: number;
  title: string;
  offer_type: string;
  contract: string | null;
  state: string;
  published_until: string | null;
  town: string | null;
  postal_code: string | null;
  country_code: string;
  centre_id: number;
  centre_name: string;
  host_name: string;
  host_shown: boolean;
  to_moderate: boolean;
  entered_by_company: boolean;
}

const unaccented = (column: string) => `immutable_unaccent(lower(${column}))`;

function whereState(query: Knex.QueryBuilder, state: OfferSearchCriteria['state'], today: string): void {
  if (state === 'published') whereRunning(query, today);
  else if (state === 'expired') query.where('o.state', 'published').where('o.published_until', '<', today);
  else if (state === 'archived') query.where('o.state', 'deleted');
  else query.where('o.state', state);
}

/** The offers the audience may see that match the criteria: the scoped door, then the filters. */
function searchQuery(db: Db, audience: OfferAudience, criteria: OfferSearchCriteria): Knex.QueryBuilder {
  const query = visibleOffers(db, audience).join('host as h', 'h.id', 'o.host_id').join('centre as c', 'c.id', 'o.centre_id');
  whereState(query, criteria.state, audience.today);
  if (criteria.number !== null) query.where('o.id', criteria.number);
  if (criteria.title) query.whereRaw(`${unaccented('o.title')} LIKE ${unaccented('?')}`, [containing(criteria.title)]);
  if (criteria.academic_year) query.where('o.academic_year', criteria.academic_year);
  if (criteria.offer_type) query.where('o.offer_type', criteria.offer_type);
  if (criteria.contract) query.where('o.contract', criteria.contract);
  if (criteria.town) query.whereRaw(`${unaccented('o.town')} LIKE ${unaccented('?')}`, [containing(criteria.town)]);
  if (criteria.postal_codes.length > 0) {
    query.where((codes) => {
      for (const code of criteria.postal_codes) codes.orWhere('o.postal_code', 'like', `${code.replace(/[%_\\]/g, '')}%`);
    });
  }
  if (criteria.country) query.where('o.country_code', criteria.country);
  if (criteria.domain) query.whereRaw(`${unaccented('o.domain')} LIKE ${unaccented('?')}`, [containing(criteria.domain)]);
  for (const word of criteria.keywords) {
    query.whereRaw(`${unaccented("concat_ws(' ', o.title, o.missions, o.skills)")} LIKE ${unaccented('?')}`, [containing(word)]);
  }
  if (criteria.host_type) query.where('h.host_type_code', criteria.host_type);
  if (!criteria.include_company) query.where('o.entered_by_company', false);
  if (criteria.naf_section) {
    query.whereIn(
      'h.naf_code',
      db('reference_item').select('code').where({ list: 'nafClasses' }).whereRaw("attributes->>'section' = ?", [criteria.naf_section]),
    );
  }
  if (criteria.training_level) query.where('o.training_level', criteria.training_level);
  if (criteria.rqth_accessible) query.where('o.rqth_accessible', true);
  if (criteria.rqth_priority) query.where('o.rqth_priority', true);
  return query;
}

export async function searchOfferPage(db: Db, audience: OfferAudience, criteria: OfferSearchCriteria, limit: number, offset: number): Promise<OfferListRow[]> {
  return (await searchQuery(db, audience, criteria)
    .orderBy('o.id', 'desc')
    .limit(limit)
    .offset(offset)
    .select(
      'o.id',
      'o.title',
      'o.offer_type',
      'o.contract',
      'o.state',
      db.raw("to_char(o.published_until, 'YYYY-MM-DD') AS published_until"),
      'o.town',
      'o.postal_code',
      'o.country_code',
      'o.centre_id',
      'c.name as centre_name',
      'h.name as host_name',
      'o.host_shown',
      'o.to_moderate',
      'o.entered_by_company',
    )) as OfferListRow[];
}

export async function countOffers(db: Db, audience: OfferAudience, criteria: OfferSearchCriteria): Promise<number> {
  const row = (await searchQuery(db, audience, criteria).count({ count: '*' }).first()) as { count: string | number } | undefined;
  return Number(row?.count ?? 0);
}
