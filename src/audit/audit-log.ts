import type { Knex } from 'knex';
import type { Actor } from '../access/actor.ts';

export interface AuditEntry {
  actorLogin: string | undefined;
  action: string;
  entity: string;
  entityId?: string | number | null;
  before?: unknown;
  after?: unknown;
  requestId?: string;
}

/** Records a change; called inside the transaction that makes the change, so both land or neither does. */
export async function audit(db: Knex | Knex.Transaction, entry: AuditEntry): Promise<void> {
  await db('audit_log').insert({
    actor_login: entry.actorLogin ?? null,
    action: entry.action,
    entity: entry.entity,
    entity_id: entry.entityId === undefined || entry.entityId === null ? null : String(entry.entityId),
    before: entry.before === undefined ? null : JSON.stringify(entry.before),
    after: entry.after === undefined ? null : JSON.stringify(entry.after),
    request_id: entry.requestId ?? null,
  });
}

/** Who changes what, for the audit log: every service that changes data takes one. */
export interface ChangeContext {
  actor: Actor;
  requestId?: string;
  /** Today in France; passed in by tests, `todayInFrance()` otherwise. */
  today?: string;
}

/** Records a change made on behalf of `context`, in the transaction that makes it. */
export function recordChange(
  trx: Knex.Transaction,
  context: ChangeContext,
  change: { action: string; entity: string; entityId: number; before?: unknown; after?: unknown },
): Promise<void> {
  return audit(trx, { actorLogin: context.actor.login, requestId: context.requestId, ...change });
}
