import type { Knex } from 'knex';
import { audit } from '../audit/audit-log.ts';
import { StaleVersionError } from '../errors.ts';
import { loadSettings, updateSettings, type EditableSettings } from './settings-repository.ts';

export interface SettingsChange {
  actorLogin: string;
  requestId?: string;
  version: number;
  values: EditableSettings;
}

/** Saves the institution settings and records what changed, in one transaction. */
export async function saveSettings(knex: Knex, change: SettingsChange): Promise<void> {
  await knex.transaction(async (trx) => {
    const current = await loadSettings(trx, { lock: true });
    if (current.version !== change.version || !(await updateSettings(trx, change.version, change.values, change.actorLogin))) {
      throw new StaleVersionError(current.version);
    }
    const changed = (Object.keys(change.values) as (keyof EditableSettings)[]).filter((key) => current[key] !== change.values[key]);
    if (changed.length === 0) return;
    await audit(trx, {
      actorLogin: change.actorLogin,
      requestId: change.requestId,
      action: 'institution_setting.update',
      entity: 'institution_setting',
      entityId: 1,
      before: Object.fromEntries(changed.map((key) => [key, current[key]])),
      after: Object.fromEntries(changed.map((key) => [key, change.values[key]])),
    });
  });
}
