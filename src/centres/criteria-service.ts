import type { Db } from '../db/knex.ts';
import type { Knex } from 'knex';
import { openCentre } from './access.ts';
import { recordChange, type ChangeContext } from '../audit/audit-log.ts';
import { NotFoundError, RuleViolation, violatedUniqueConstraint } from '../errors.ts';
import { deleteCriterion, findCriterion, findCriterionOwner, insertCriterion, referenceCodeExists } from './repository.ts';
import type { CriterionKind } from './schemas.ts';

export async function addCriterion(knex: Knex, context: ChangeContext, centreId: number, kind: CriterionKind, code: string): Promise<void> {
  const field = `${kind}_code`;
  const taken = async (db: Db) => {
    const owner = await findCriterionOwner(db, kind, code);
    return owner?.id === centreId
      ? RuleViolation.keyed(field, 'centres.errors.criterionHere', undefined, 'conflict')
      : RuleViolation.keyed(field, 'centres.errors.criterionTaken', { code, centre: owner?.name ?? '' }, 'conflict');
  };
  try {
    await knex.transaction(async (trx) => {
      await openCentre(trx, context.actor, centreId, 'admin', { lock: 'key share' });
      if (!(await referenceCodeExists(trx, kind, code))) throw RuleViolation.keyed(field, 'centres.errors.criterionUnknown');
      if (await findCriterionOwner(trx, kind, code)) throw await taken(trx);
      const id = await insertCriterion(trx, centreId, kind, code);
      await recordChange(trx, context, {
        action: 'centre_criterion.create',
        entity: 'centre_criterion',
        entityId: id,
        after: { centre_id: centreId, kind, code },
      });
    });
  } catch (error) {
    // Another administrator took the code between the check and the insert.
    if (violatedUniqueConstraint(error) !== undefined) throw await taken(knex);
    throw error;
  }
}

export async function removeCriterion(knex: Knex, context: ChangeContext, centreId: number, criterionId: number): Promise<string> {
  return knex.transaction(async (trx) => {
    await openCentre(trx, context.actor, centreId, 'admin', { lock: 'key share' });
    const criterion = await findCriterion(trx, centreId, criterionId);
    // Removed meanwhile by another administrator, or with its centre: nothing to remove, nothing to record.
    if (!criterion || !(await deleteCriterion(trx, centreId, criterionId))) throw new NotFoundError('centre');
    await recordChange(trx, context, {
      action: 'centre_criterion.delete',
      entity: 'centre_criterion',
      entityId: criterionId,
      before: { centre_id: centreId, kind: criterion.kind, code: criterion.code },
    });
    return criterion.code;
  });
}
