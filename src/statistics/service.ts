import type { Db } from '../db/knex.ts';
import type { Actor } from '../access/actor.ts';
import { scopeToCentres } from '../access/policy.ts';

import type { Translate } from '../i18n/index.ts';
import { CRITERIA, type FirstCriterion, type Naming, type SecondCriterion } from './criteria.ts';
import { buildCrossTable, type CrossTable, type NamedValue } from './cross-table.ts';
import { countByCriteria, type StatisticsScope } from './repository.ts';

export interface StatisticsRequest extends StatisticsScope {
  first: FirstCriterion;
  second: SecondCriterion;
}

export interface CentreChoice {
  id: number;
  name: string;
}

/** The centres whose conventions the actor may count: their own, every centre for a super-admin. */
export async function centreChoices(db: Db, actor: Actor): Promise<CentreChoice[]> {
  return (await scopeToCentres(db('centre').select('id', 'name').orderBy('name'), 'id', actor)) as CentreChoice[];
}

function named(naming: Naming, counted: string | number | null, label: string | null, rank: number | string | null, t: Translate): NamedValue {
  const value = counted === null ? null : String(counted);
  if (naming.kind === 'computed')
    return value === null ? { value, label: null, rank: null } : { value, label: naming.label(value, t), rank: naming.rank(value) };
  return { value, label, rank };
}

/** The cross table of the conventions of the scope, by the request's two criteria. */
export async function crossTabulate(db: Db, actor: Actor, request: StatisticsRequest, today: string, t: Translate): Promise<CrossTable> {
  const rows = CRITERIA[request.first];
  const columns = CRITERIA[request.second];
  const cells = await countByCriteria(db, actor, request, request.first, request.second, today);
  return buildCrossTable(
    cells.map((cell) => ({
      row: named(rows.naming, cell.row_value, cell.row_label, cell.row_rank, t),
      column: named(columns.naming, cell.column_value, cell.column_label, cell.column_rank, t),
      count: cell.count,
    })),
    { openEnded: columns.openEnded, missingLabel: t('statistics.missing'), othersLabel: t('statistics.others') },
  );
}
