import type { Db } from '../db/knex.ts';
import type { Knex } from 'knex';
import type { Actor } from '../access/actor.ts';
import { openCentre } from './access.ts';
import { recordChange, type ChangeContext } from '../audit/audit-log.ts';
import { NotFoundError, RuleViolation } from '../errors.ts';
import { checkLogo, type LogoMimeType } from './logo.ts';
import { readLogo, writeLogo, type CentreRecord } from './repository.ts';

/** What arrived in the logo form: a file, or the reason none could be read. */
export type LogoUpload = { bytes: Buffer } | { problem: 'missing' | 'too_large' | 'too_many' | 'unreadable' };

const LOGO_MESSAGES = {
  missing: 'centres.errors.logoMissing',
  too_large: 'centres.errors.logoTooLarge',
  too_many: 'centres.errors.logoTooMany',
  unreadable: 'centres.errors.logoUnreadable',
  empty: 'centres.errors.logoEmpty',
  not_an_image: 'centres.errors.logoType',
} as const;

const logoRefused = (problem: keyof typeof LOGO_MESSAGES) =>
  RuleViolation.keyed('logo', LOGO_MESSAGES[problem], undefined, problem === 'too_large' ? 'too_large' : 'invalid');

// The audit row says which logo it was, never its bytes.
const logoSummary = (centre: CentreRecord) => ({ logo_mime_type: centre.logo_mime_type, logo_size: centre.logo_size });

export async function replaceLogo(knex: Knex, context: ChangeContext, centreId: number, upload: LogoUpload): Promise<void> {
  await knex.transaction(async (trx) => {
    const { centre: before } = await openCentre(trx, context.actor, centreId, 'admin', { lock: 'update' });
    if ('problem' in upload) throw logoRefused(upload.problem);
    const check = checkLogo(upload.bytes);
    if (!check.ok) throw logoRefused(check.problem);
    await writeLogo(trx, centreId, { bytes: upload.bytes, mimeType: check.mimeType }, context.actor.login);
    await recordChange(trx, context, {
      action: 'centre.logo.update',
      entity: 'centre',
      entityId: centreId,
      before: logoSummary(before),
      after: { logo_mime_type: check.mimeType, logo_size: upload.bytes.length },
    });
  });
}

export async function removeLogo(knex: Knex, context: ChangeContext, centreId: number): Promise<void> {
  await knex.transaction(async (trx) => {
    const { centre: before } = await openCentre(trx, context.actor, centreId, 'admin', { lock: 'update' });
    if (before.logo_mime_type === null) return;
    await writeLogo(trx, centreId, null, context.actor.login);
    await recordChange(trx, context, { action: 'centre.logo.delete', entity: 'centre', entityId: centreId, before: logoSummary(before) });
  });
}

export async function centreLogo(db: Db, actor: Actor, centreId: number): Promise<{ bytes: Buffer; mimeType: LogoMimeType }> {
  await openCentre(db, actor, centreId, 'read');
  const logo = await readLogo(db, centreId);
  if (!logo) throw new NotFoundError('centre');
  return logo;
}
