import type { Knex } from 'knex';
import { audit } from '../audit/audit-log.ts';
import { hasCentreRight, type Actor } from '../directory/actor.ts';
import { CentreForbiddenError, CentreNotFoundError } from './errors.ts';
import { findCentre, type CentreLock, type CentreRecord, type Db } from './repository.ts';

/** What a person may do with a centre: see it (any member) or administer it (ADMIN or super-admin). */
export type CentreAccess = 'read' | 'admin';
export type NeededAccess = CentreAccess | 'super_admin';

export function accessTo(actor: Actor, centreId: number): CentreAccess | null {
  if (hasCentreRight(actor, centreId, 'ADMIN')) return 'admin';
  if (hasCentreRight(actor, centreId, 'READ')) return 'read';
  return null;
}

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
export async function openCentre(db: Db, actor: Actor, centreId: number, needed: NeededAccess, options: { lock?: CentreLock } = {}) {
  const centre = await findCentre(db, centreId, options);
  if (!centre) throw new CentreNotFoundError();
  const access = accessTo(actor, centreId);
  const allowed = needed === 'super_admin' ? actor.superAdmin : needed === 'admin' ? access === 'admin' : access !== null;
  if (!allowed || !access) throw new CentreForbiddenError();
  return { centre, access } satisfies { centre: CentreRecord; access: CentreAccess };
}

/** Who changes what, for the audit log. */
export interface ChangeContext {
  actor: Actor;
  requestId?: string;
}

export function recordChange(
  trx: Knex.Transaction,
  context: ChangeContext,
  change: { action: string; entity: string; entityId: number; before?: unknown; after?: unknown },
): Promise<void> {
  return audit(trx, { actorLogin: context.actor.login, requestId: context.requestId, ...change });
}
