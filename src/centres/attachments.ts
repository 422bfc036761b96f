import type { Db } from '../db/knex.ts';

/**
 * What is attached to a centre, as shown before deleting it. Each later module that references
 * centres (conventions, offers, host contacts) adds its entry here, so that the deletion page and the
 * deletion rule see it without any other change.
 */
export interface CentreAttachment {
  key: string;
  /** Message key of the line on the deletion page. */
  labelKey: string;
  /** Attached records of this kind keep the centre from being deleted; the others go with it. */
  blocksDeletion: boolean;
  count(db: Db, centreId: number): Promise<number>;
}

const countWhereCentre = (table: string) => async (db: Db, centreId: number) => {
  const row = (await db(table).where({ centre_id: centreId }).count({ count: '*' }).first()) as { count: number } | undefined;
  return Number(row?.count ?? 0);
};

export const centreAttachments: readonly CentreAttachment[] = [
  { key: 'members', labelKey: 'centres.delete.attachments.members', blocksDeletion: true, count: countWhereCentre('centre_member') },
  { key: 'conventions', labelKey: 'centres.delete.attachments.conventions', blocksDeletion: true, count: countWhereCentre('convention') },
  // Offers keep their managing centre and their targets as history, even archived: both block the deletion.
  { key: 'offers', labelKey: 'offers.centreAttachments.managed', blocksDeletion: true, count: countWhereCentre('offer') },
  { key: 'offerTargets', labelKey: 'offers.centreAttachments.targeted', blocksDeletion: true, count: countWhereCentre('offer_target') },
  { key: 'criteria', labelKey: 'centres.delete.attachments.criteria', blocksDeletion: false, count: countWhereCentre('centre_criterion') },
];

export interface AttachmentCount {
  key: string;
  labelKey: string;
  blocksDeletion: boolean;
  count: number;
}

export async function countAttachments(db: Db, centreId: number): Promise<AttachmentCount[]> {
  return Promise.all(centreAttachments.map(async ({ count, ...attachment }) => ({ ...attachment, count: await count(db, centreId) })));
}
