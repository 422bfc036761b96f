import type { Knex } from 'knex';
import { audit } from '../audit/audit-log.ts';
import { hasCentreRight, type Actor } from '../directory/actor.ts';
import { CentreForbiddenError, CentreNotFoundError } from './errors.ts';
import { findCentre, type CentreRecord, type Db } from './repository.ts';

/** What a person may do with a centre: see it (any member) or administer it (ADMIN or super-admin). */
export type CentreAccess = 'read' | 'admin';
export type NeededAccess = CentreAccess | 'super_admin';

export function accessTo(actor: Actor, centreId: number): CentreAccess | null {
  if (hasCentreRight(actor, centreId, 'ADMIN')) return 'admin';
  if (hasCentreRight(actor, centreId, 'READ')) return 'read';
  return null;
}

/**
 * The centre, once the actor's right to it is established; every service function goes through here,
 * so no centre data reaches a page or changes without the check. `lock` holds the row until the end
 * of the transaction, for changes that read it first.
 */
export async function openCentre(db: Db, actor: Actor, centreId: number, needed: NeededAccess, options: { lock?: boolean } = {}) {
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
