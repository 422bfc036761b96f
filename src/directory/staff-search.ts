import type { Knex } from 'knex';
import { containing } from '../db/text-search.ts';

export interface StaffSearchCriteria {
  lastName: string;
  firstName?: string | null;
  department?: string | null;
}

export interface StaffPerson {
  id: number;
  login: string;
  lastName: string;
  firstName: string;
  email: string | null;
  department: string | null;
}

export const STAFF_SEARCH_LIMIT = 50;

// Exactly the expression of the trigram index `staff_name_search`, so that the index can serve the search.
const INDEXED_NAME = "immutable_unaccent(lower(last_name || ' ' || first_name))";

/**
 * Staff directory search, accent- and case-insensitive, each criterion matching part of its field
 * ("lefevre" finds "Lefèvre"). The indexed condition on the whole name narrows the rows first; the
 * condition on the last name alone then drops those that only matched the first name.
 */
export function staffSearchQuery(db: Knex | Knex.Transaction, criteria: StaffSearchCriteria): Knex.QueryBuilder {
  const query = db('staff')
    .whereRaw(`${INDEXED_NAME} LIKE immutable_unaccent(lower(?))`, [containing(criteria.lastName)])
    .whereRaw('immutable_unaccent(lower(last_name)) LIKE immutable_unaccent(lower(?))', [containing(criteria.lastName)]);
  if (criteria.firstName) query.whereRaw('immutable_unaccent(lower(first_name)) LIKE immutable_unaccent(lower(?))', [containing(criteria.firstName)]);
  if (criteria.department) query.whereRaw('immutable_unaccent(lower(department)) LIKE immutable_unaccent(lower(?))', [containing(criteria.department)]);
  return query;
}

/** At most `limit` people, in name order; `truncated` says that more matched. */
export async function searchStaff(
  db: Knex | Knex.Transaction,
  criteria: StaffSearchCriteria,
  limit = STAFF_SEARCH_LIMIT,
): Promise<{ people: StaffPerson[]; truncated: boolean }> {
  const rows = (await staffSearchQuery(db, criteria)
    .orderBy(['last_name', 'first_name', 'id'])
    .limit(limit + 1)
    .select('id', 'login', 'last_name as lastName', 'first_name as firstName', 'email', 'department')) as StaffPerson[];
  return { people: rows.slice(0, limit), truncated: rows.length > limit };
}

export async function findStaffPerson(db: Knex | Knex.Transaction, id: number): Promise<StaffPerson | undefined> {
  return (await db('staff').where({ id }).first('id', 'login', 'last_name as lastName', 'first_name as firstName', 'email', 'department')) as
    StaffPerson | undefined;
}
