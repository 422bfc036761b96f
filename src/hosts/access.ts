import type { Actor } from '../directory/actor.ts';
import { audit } from '../audit/audit-log.ts';
import type { Knex } from 'knex';
import { HostForbiddenError } from './errors.ts';

/**
 * Rights on the host directory (DESIGN §2). The directory is shared by the whole institution:
 * - `manage`: staff with WRITE or ADMIN on at least one centre, and the super-admin: search, view,
 *   create, edit, delete, validate hosts "to check";
 * - `view`: staff with READ only: search and view;
 * - `student`: search, view, and create hosts, services and contacts (from the convention wizard);
 *   the hosts they create are flagged "to check";
 * - nobody else (teachers, people without any centre) has any right on the directory.
 */
export type HostAccess = 'manage' | 'view' | 'student';

export function hostAccess(actor: Actor): HostAccess | null {
  if (actor.superAdmin || actor.memberships.some((membership) => membership.right === 'WRITE' || membership.right === 'ADMIN')) return 'manage';
  if (actor.memberships.length > 0) return 'view';
  if (actor.studentId !== null) return 'student';
  return null;
}

export type HostAction = 'read' | 'create' | 'manage';

const ALLOWED: Record<HostAction, readonly HostAccess[]> = {
  read: ['manage', 'view', 'student'],
  create: ['manage', 'student'],
  manage: ['manage'],
};

export function mayDo(actor: Actor, action: HostAction): boolean {
  const access = hostAccess(actor);
  return access !== null && ALLOWED[action].includes(access);
}

/** Every service function starts here, so that no directory data is read or changed without the check. */
export function assertMay(actor: Actor, action: HostAction): HostAccess {
  const access = hostAccess(actor);
  if (access === null || !ALLOWED[action].includes(access)) throw new HostForbiddenError();
  return access;
}

/** Who changes what, for the audit log. */
export interface ChangeContext {
  actor: Actor;
  requestId?: string;
}

export function recordChange(
  trx: Knex.Transaction,
  context: ChangeContext,
  change: { action: string; entity: 'host' | 'host_service' | 'host_contact'; entityId: number; before?: unknown; after?: unknown },
): Promise<void> {
  return audit(trx, { actorLogin: context.actor.login, requestId: context.requestId, ...change });
}
