import type { Actor } from '../../access/actor.ts';
import { seesConventionFilters } from '../../access/policy.ts';
import type { Db } from '../../db/knex.ts';
import { todayInFrance } from '../../rules/academic-year.ts';
import { PAGE_SIZE, searchConventionPage, type ConventionSearchRow } from './repository.ts';
import type { ParsedSearch } from './schemas.ts';

export interface ConventionList {
  rows: ConventionSearchRow[];
  total: number;
  /** Whether more conventions than `total` match (the count stops at COUNT_LIMIT). */
  moreThanTotal: boolean;
  page: number;
  /** Unknown when the count stopped. */
  pages: number | null;
  hasNextPage: boolean;
  /** Staff see the filters; a student sees their own conventions only. */
  filtersShown: boolean;
}

/** The page of the search; criteria that could not be understood (search.errors) are left out. */
export async function listConventions(db: Db, actor: Actor, search: ParsedSearch): Promise<ConventionList> {
  const { rows, total, moreThanTotal } = await searchConventionPage(db, actor, search.criteria, search.order, search.page, todayInFrance());
  return {
    rows,
    total,
    moreThanTotal,
    page: search.page,
    pages: moreThanTotal ? null : Math.max(1, Math.ceil(total / PAGE_SIZE)),
    hasNextPage: moreThanTotal ? rows.length === PAGE_SIZE : search.page * PAGE_SIZE < total,
    filtersShown: seesConventionFilters(actor),
  };
}
