import type { Db } from '../../db/knex.ts';

import type { TeacherSearch } from '../shared/schemas.ts';
import { containing } from '../../db/text-search.ts';

export interface TeacherPerson {
  id: number;
  lastName: string;
  firstName: string;
  email: string | null;
  department: string | null;
}

export const TEACHER_SEARCH_LIMIT = 30;

// Exactly the expression of the trigram index `teacher_name_search`, so that the index can serve the search.
const INDEXED_NAME = "immutable_unaccent(lower(last_name || ' ' || first_name))";

/**
 * Teachers for step 6, by last name (mandatory), first name and department, each matching part of its
 * field, accent- and case-insensitive ("lefevre" finds "Lefèvre").
 */
export async function searchTeachers(db: Db, criteria: TeacherSearch, limit = TEACHER_SEARCH_LIMIT): Promise<{ people: TeacherPerson[]; truncated: boolean }> {
  const query = db('teacher')
    .whereRaw(`${INDEXED_NAME} LIKE immutable_unaccent(lower(?))`, [containing(criteria.lastName)])
    .whereRaw('immutable_unaccent(lower(last_name)) LIKE immutable_unaccent(lower(?))', [containing(criteria.lastName)]);
  if (criteria.firstName) query.whereRaw('immutable_unaccent(lower(first_name)) LIKE immutable_unaccent(lower(?))', [containing(criteria.firstName)]);
  if (criteria.department)
    query.whereRaw("immutable_unaccent(lower(coalesce(department, ''))) LIKE immutable_unaccent(lower(?))", [containing(criteria.department)]);
  const rows = (await query
    .orderBy(['last_name', 'first_name', 'id'])
    .limit(limit + 1)
    .select('id', 'last_name as lastName', 'first_name as firstName', 'email', 'department')) as TeacherPerson[];
  return { people: rows.slice(0, limit), truncated: rows.length > limit };
}
