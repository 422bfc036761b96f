import type { Db } from '../db/knex.ts';

/** The institution-wide settings (one row, see migrations/20261205090600_privacy.ts). */
export interface InstitutionSettings {
  retention_years: number;
  collect_social_security_number: boolean;
  /** NULL: the default text of the message catalogue. */
  privacy_notice: string | null;
  accessibility_statement: string | null;
  version: number;
  updated_at: Date;
  updated_by: string | null;
}

export type EditableSettings = Pick<InstitutionSettings, 'retention_years' | 'collect_social_security_number' | 'privacy_notice' | 'accessibility_statement'>;

export async function loadSettings(db: Db, options: { lock?: boolean } = {}): Promise<InstitutionSettings> {
  const query = db('institution_setting')
    .where({ id: 1 })
    .first('retention_years', 'collect_social_security_number', 'privacy_notice', 'accessibility_statement', 'version', 'updated_at', 'updated_by');
  if (options.lock) query.forUpdate();
  return (await query) as InstitutionSettings;
}

/** Whether the wizard asks for the social-security number. */
export async function socialSecurityNumberCollected(db: Db): Promise<boolean> {
  return (await loadSettings(db)).collect_social_security_number;
}

/** Saves the settings if nobody saved them since `version`; false when someone did. */
export async function updateSettings(db: Db, version: number, values: EditableSettings, login: string): Promise<boolean> {
  const count = await db('institution_setting')
    .where({ id: 1, version })
    .update({ ...values, version: db.raw('version + 1'), updated_at: db.fn.now(), updated_by: login });
  return count === 1;
}
