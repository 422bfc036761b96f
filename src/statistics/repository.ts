import type { Db } from '../db/knex.ts';
import type { Knex } from 'knex';
import type { Actor } from '../access/actor.ts';
import { scopeToCentres } from '../access/policy.ts';

import { matchingConventions, parseSearch, type StatusChoice } from '../conventions/index.ts';
import { CRITERIA, JOINS, type CriterionName, type Join, type Naming } from './criteria.ts';

/** Which conventions the figures count: one academic year (or all), a status choice, some centres. */
export interface StatisticsScope {
  academicYear: string | null;
  status: StatusChoice | null;
  /** Some of the actor's centres; null for all of them (every centre for a super-admin). */
  centreIds: number[] | null;
}

/**
 * The conventions counted: exactly those the search of /conventions lists for the same year and
 * status (it is the only door to conventions, already scoped to the actor), kept to the actor's
 * centres: a staff member who also supervises or studies counts only the conventions of their centres.
 */
export function countedConventions(db: Db, actor: Actor, scope: StatisticsScope, today: string): Knex.QueryBuilder {
  const criteria = { ...parseSearch({}).criteria, academicYear: scope.academicYear, status: scope.status };
  const query = matchingConventions(db, actor, criteria, today);
  if (scope.centreIds !== null) query.whereIn('c.centre_id', scope.centreIds);
  return scopeToCentres(query, 'c.centre_id', actor);
}

const JOIN_CLAUSES: Record<Join, (query: Knex.QueryBuilder) => void> = {
  supervisor: (query) => query.leftJoin('teacher as t', 't.id', 'c.effective_supervisor_teacher_id'),
  host: (query) => query.leftJoin('host as h', 'h.id', 'c.host_id'),
  nafClass: (query) => query.leftJoin('reference_item as naf', (on) => on.on('naf.code', 'h.naf_code').andOnVal('naf.list', 'nafClasses')),
  place: (query) => query.leftJoin('host_service as place', 'place.id', 'c.effective_service_id'),
};

/** One count of the cross table, with the names the database knows (null for computed namings). */
export interface CountedCell {
  /** Text, or a record's id. */
  row_value: string | number | null;
  row_label: string | null;
  row_rank: number | string | null;
  column_value: string | number | null;
  column_label: string | null;
  column_rank: number | string | null;
  count: number;
}

/** Names the values of one side after counting, so that labels are joined once per value, not per convention. */
function name(db: Db, query: Knex.QueryBuilder, naming: Naming, side: 'row' | 'column'): void {
  const alias = `${side}_name`;
  const value = `counted.${side}_value`;
  switch (naming.kind) {
    case 'reference':
      query
        .leftJoin(`reference_item as ${alias}`, (on) => on.on(`${alias}.code`, value).andOnVal(`${alias}.list`, naming.list))
        .select(`${alias}.label as ${side}_label`, `${alias}.position as ${side}_rank`);
      break;
    case 'record': {
      const label = naming.label.replaceAll('{alias}', alias);
      query.leftJoin(`${naming.table} as ${alias}`, `${alias}.${naming.key}`, value);
      // Ranked by its label (the cross table's default): the label is not read twice, for each of thousands of hosts.
      query.select(db.raw(`${label} AS ??`, [`${side}_label`]), db.raw('NULL AS ??', [`${side}_rank`]));
      break;
    }
    case 'computed':
      query.select(db.raw('NULL AS ??', [`${side}_label`]), db.raw('NULL AS ??', [`${side}_rank`]));
      break;
  }
}

/** The counts of the conventions by the values of two criteria: one GROUP BY, labels joined to its result. */
export async function countByCriteria(
  db: Db,
  actor: Actor,
  scope: StatisticsScope,
  first: CriterionName,
  second: CriterionName,
  today: string,
): Promise<CountedCell[]> {
  const rows = CRITERIA[first];
  const columns = CRITERIA[second];
  const counted = countedConventions(db, actor, scope, today);
  const needed = new Set([...rows.joins, ...columns.joins]);
  for (const join of JOINS) if (needed.has(join)) JOIN_CLAUSES[join](counted);
  counted.select(db.raw(`${rows.value} AS row_value`), db.raw(`${columns.value} AS column_value`), db.raw('count(*)::int AS count')).groupByRaw('1, 2');
  const named = db.with('counted', counted).from('counted').select('counted.row_value', 'counted.column_value', 'counted.count');
  name(db, named, rows.naming, 'row');
  name(db, named, columns.naming, 'column');
  return (await named) as CountedCell[];
}
