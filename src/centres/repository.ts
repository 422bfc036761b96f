import { centreSettingsSchema, type CentreLevel, type CentreSettingsWithLevel, type CriterionKind } from './schemas.ts';
import type { LogoMimeType } from './logo.ts';
import type { Db } from '../db/knex.ts';

export interface CentreRecord extends CentreSettingsWithLevel {
  id: number;
  level: CentreLevel;
  logo_mime_type: LogoMimeType | null;
  logo_size: number | null;
  version: number;
  created_at: Date;
  created_by: string | null;
  updated_at: Date;
  updated_by: string | null;
}

const SETTINGS_COLUMNS = Object.keys(centreSettingsSchema.shape);
// The logo's bytes stay out of every read but the one that serves them: lists, forms and audit rows get its size.
const RECORD_COLUMNS = ['id', 'level', ...SETTINGS_COLUMNS, 'logo_mime_type', 'version', 'created_at', 'created_by', 'updated_at', 'updated_by'];

/**
 * How a transaction holds the centre's row until it ends: `update` for a change of the centre itself
 * (it is read first, then written or deleted); `key share` for a change that attaches a row to it
 * (member, criterion): the centre cannot be deleted meanwhile, but other attachments go on.
 */
export type CentreLock = 'update' | 'key share';

export async function findCentre(db: Db, id: number, options: { lock?: CentreLock } = {}): Promise<CentreRecord | undefined> {
  const query = db('centre')
    .where({ id })
    .first([...RECORD_COLUMNS, db.raw('octet_length(logo) AS logo_size')]);
  if (options.lock === 'update') query.forUpdate();
  else if (options.lock === 'key share') query.forKeyShare();
  return (await query) as CentreRecord | undefined;
}

export interface CentreListRow {
  id: number;
  name: string;
  level: CentreLevel;
  tutor_mandatory: boolean;
  supervisor_mandatory: boolean;
  students_may_enter_tutor: boolean;
  contacts_confidentiality: string;
  faculty_codes: string[];
  step_codes: string[];
}

/** Every centre with its criteria, in one query whatever the number of centres. */
export async function listCentres(db: Db): Promise<CentreListRow[]> {
  return (await db('centre as c')
    .leftJoin('centre_criterion as k', 'k.centre_id', 'c.id')
    .groupBy('c.id')
    .orderBy('c.name')
    .select(
      'c.id',
      'c.name',
      'c.level',
      'c.tutor_mandatory',
      'c.supervisor_mandatory',
      'c.students_may_enter_tutor',
      'c.contacts_confidentiality',
      db.raw("COALESCE(array_agg(k.code ORDER BY k.code) FILTER (WHERE k.kind = 'faculty'), '{}') AS faculty_codes"),
      db.raw("COALESCE(array_agg(k.code ORDER BY k.code) FILTER (WHERE k.kind = 'step'), '{}') AS step_codes"),
    )) as CentreListRow[];
}

export async function insertCentre(db: Db, values: CentreSettingsWithLevel, login: string): Promise<number> {
  const [row] = (await db('centre')
    .insert({ ...values, created_by: login, updated_by: login })
    .returning('id')) as { id: number }[];
  return row!.id;
}

/** Every save is a new version, so that a form opened before it can tell it is out of date. */
async function saveColumns(db: Db, id: number, columns: Record<string, unknown>, login: string): Promise<void> {
  await db('centre')
    .where({ id })
    .update({ ...columns, version: db.raw('version + 1'), updated_at: db.fn.now(), updated_by: login });
}

export async function updateCentre(db: Db, id: number, values: CentreSettingsWithLevel, login: string): Promise<void> {
  await saveColumns(db, id, values, login);
}

export async function deleteCentre(db: Db, id: number): Promise<void> {
  await db('centre').where({ id }).delete();
}

export async function readLogo(db: Db, id: number): Promise<{ bytes: Buffer; mimeType: LogoMimeType } | undefined> {
  const row = (await db('centre').where({ id }).whereNotNull('logo').first('logo', 'logo_mime_type')) as
    { logo: Buffer; logo_mime_type: LogoMimeType } | undefined;
  return row && { bytes: row.logo, mimeType: row.logo_mime_type };
}

export async function writeLogo(db: Db, id: number, logo: { bytes: Buffer; mimeType: LogoMimeType } | null, login: string): Promise<void> {
  await saveColumns(db, id, { logo: logo?.bytes ?? null, logo_mime_type: logo?.mimeType ?? null }, login);
}

export interface CriterionRow {
  id: number;
  kind: CriterionKind;
  code: string;
  label: string | null;
}

export async function listCriteria(db: Db, centreId: number): Promise<CriterionRow[]> {
  return (await db('centre_criterion as k')
    .leftJoin('faculty as f', (join) => join.on('f.code', 'k.code').andOnVal('k.kind', 'faculty'))
    .leftJoin('study_step as s', (join) => join.on('s.code', 'k.code').andOnVal('k.kind', 'step'))
    .where('k.centre_id', centreId)
    .orderBy(['k.kind', 'k.code'])
    .select('k.id', 'k.kind', 'k.code', db.raw('COALESCE(f.label, s.label) AS label'))) as CriterionRow[];
}

export async function findCriterion(db: Db, centreId: number, criterionId: number): Promise<CriterionRow | undefined> {
  return (await db('centre_criterion').where({ id: criterionId, centre_id: centreId }).first('id', 'kind', 'code')) as CriterionRow | undefined;
}

export interface CriterionChoice {
  kind: CriterionKind;
  code: string;
  label: string;
  owner_id: number | null;
  owner_name: string | null;
}

/** The faculty and step codes a centre may take as criteria, with the centre that already owns each. */
export async function listCriterionChoices(db: Db): Promise<CriterionChoice[]> {
  const owned = (kind: CriterionKind, table: string) =>
    db(`${table} as r`)
      .leftJoin('centre_criterion as k', (join) => join.on('k.code', 'r.code').andOnVal('k.kind', kind))
      .leftJoin('centre as c', 'c.id', 'k.centre_id')
      .select(db.raw('?::text AS kind', [kind]), 'r.code', 'r.label', 'c.id as owner_id', 'c.name as owner_name');
  return (await owned('faculty', 'faculty').unionAll(owned('step', 'study_step'), true).orderBy(['kind', 'code'])) as CriterionChoice[];
}

export async function referenceCodeExists(db: Db, kind: CriterionKind, code: string): Promise<boolean> {
  return (
    (await db(kind === 'faculty' ? 'faculty' : 'study_step')
      .where({ code })
      .first('code')) !== undefined
  );
}

export async function findCriterionOwner(db: Db, kind: CriterionKind, code: string): Promise<{ id: number; name: string } | undefined> {
  return (await db('centre_criterion as k').join('centre as c', 'c.id', 'k.centre_id').where({ 'k.kind': kind, 'k.code': code }).first('c.id', 'c.name')) as
    { id: number; name: string } | undefined;
}

export async function insertCriterion(db: Db, centreId: number, kind: CriterionKind, code: string): Promise<number> {
  const [row] = (await db('centre_criterion').insert({ centre_id: centreId, kind, code }).returning('id')) as { id: number }[];
  return row!.id;
}

/** Returns whether the criterion was still there to delete. */
export async function deleteCriterion(db: Db, centreId: number, criterionId: number): Promise<boolean> {
  return (await db('centre_criterion').where({ id: criterionId, centre_id: centreId }).delete()) > 0;
}
