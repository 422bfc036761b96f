import type { Db } from '../db/knex.ts';
import type { Knex } from 'knex';
import type { Actor } from '../access/actor.ts';
import { openCentre } from './access.ts';
import { recordChange, type ChangeContext } from '../audit/audit-log.ts';
import { countAttachments, type AttachmentCount } from './attachments.ts';
import { RuleViolation } from '../errors.ts';
import { deleteCentre as deleteCentreRow, listCriteria, type CentreRecord } from './repository.ts';

export interface DeletionReport {
  centre: CentreRecord;
  attachments: AttachmentCount[];
  /** Why the centre cannot be deleted, or null when it can. */
  refusalKey: string | null;
}

async function deletionReportOf(db: Db, centre: CentreRecord): Promise<DeletionReport> {
  const attachments = await countAttachments(db, centre.id);
  const refusalKey =
    centre.level === 'ETABLISSEMENT'
      ? 'centres.errors.deleteEtablissement'
      : attachments.some((attachment) => attachment.blocksDeletion && attachment.count > 0)
        ? 'centres.errors.deleteAttached'
        : null;
  return { centre, attachments, refusalKey };
}

export async function deletionReport(db: Db, actor: Actor, centreId: number): Promise<DeletionReport> {
  const { centre } = await openCentre(db, actor, centreId, 'super_admin');
  return deletionReportOf(db, centre);
}

/** Deletes the centre and its criteria, unless something that must outlive it is attached. Returns its name. */
export async function deleteCentre(knex: Knex, context: ChangeContext, centreId: number): Promise<string> {
  return knex.transaction(async (trx) => {
    // Whatever attaches a row to a centre (member, criterion) first takes a KEY SHARE lock on its row,
    // which this lock conflicts with, so the one that comes second waits for the other to end: a
    // later attachment then finds no centre and answers 404; an earlier one is counted below, and a
    // member it attached makes the deletion refused.
    const { centre } = await openCentre(trx, context.actor, centreId, 'super_admin', { lock: 'update' });
    const report = await deletionReportOf(trx, centre);
    if (report.refusalKey) throw RuleViolation.keyed('_form', report.refusalKey, undefined, 'conflict');
    const criteria = (await listCriteria(trx, centreId)).map(({ kind, code }) => ({ kind, code }));
    await deleteCentreRow(trx, centreId);
    await recordChange(trx, context, { action: 'centre.delete', entity: 'centre', entityId: centreId, before: { ...centre, criteria } });
    return centre.name;
  });
}
