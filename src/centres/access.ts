import type { Db } from '../db/knex.ts';
import type { Actor } from '../access/actor.ts';
import { centreAccessOf, mayOnCentre, type CentreAccess, type NeededCentreAccess } from '../access/policy.ts';
import { ForbiddenError, NotFoundError } from '../errors.ts';
import { findCentre, type CentreLock, type CentreRecord } from './repository.ts';

/**
 * The centre, once the actor's right to it is established. Every service function that reads or
 * changes one centre goes through here, so that none of its data reaches a page or changes without
 * the check. The two that name no centre check the actor themselves: `listCentresFor` (the list of
 * all centres that every staff member sees: the columns of the PStage guide, no settings, each row
 * saying whether the actor may open it) and `createCentre` (super-admins only).
 *
 * `lock` holds the centre's row until the end of the transaction (see `CentreLock`): every change to
 * an existing centre takes one, so that a centre deleted meanwhile gives "not found" rather than a
 * broken foreign key.
 */
export async function openCentre(db: Db, actor: Actor, centreId: number, needed: NeededCentreAccess, options: { lock?: CentreLock } = {}) {
  const centre = await findCentre(db, centreId, options);
  if (!centre) throw new NotFoundError('centre');
  const access = centreAccessOf(actor, centreId);
  if (!access || !mayOnCentre(actor, centreId, needed)) throw new ForbiddenError();
  return { centre, access } satisfies { centre: CentreRecord; access: CentreAccess };
}
