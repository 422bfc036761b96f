import type { Db } from '../db/knex.ts';

/** The reference lists the host directory uses (rows of `reference_item`). */
export const HOST_REFERENCE_LISTS = ['countries', 'nafClasses', 'legalStatuses', 'hostTypes', 'headcountBands', 'civilities'] as const;
export type HostReferenceList = (typeof HOST_REFERENCE_LISTS)[number];

export interface ReferenceEntry {
  code: string;
  label: string;
  /** Inactive entries stay valid for the records that have them; forms offer only active ones. */
  active: boolean;
  /** Countries only: French territory (France and overseas), where a SIRET is mandatory. */
  siretRequired: boolean;
}

export type HostReferences = Record<HostReferenceList, Map<string, ReferenceEntry>>;

interface ReferenceRow {
  list: HostReferenceList;
  code: string;
  label: string;
  active: boolean;
  siret_required: boolean | null;
}

/** The lists asked for, each in its reference order, in one query. */
export async function loadHostReferences(db: Db, lists: readonly HostReferenceList[] = HOST_REFERENCE_LISTS): Promise<HostReferences> {
  const rows = (await db('reference_item')
    .whereIn('list', lists)
    .orderBy(['list', 'position'])
    .select('list', 'code', 'label', 'active', db.raw("(attributes->>'siretRequired')::boolean AS siret_required"))) as ReferenceRow[];
  const references = Object.fromEntries(HOST_REFERENCE_LISTS.map((list) => [list, new Map<string, ReferenceEntry>()])) as HostReferences;
  for (const row of rows) {
    references[row.list].set(row.code, { code: row.code, label: row.label, active: row.active, siretRequired: row.siret_required === true });
  }
  return references;
}

export interface SelectOption {
  value: string;
  label: string;
}

/** The choices of a select: the active entries, plus the current value when it is no longer active. */
export function optionsOf(
  entries: Map<string, ReferenceEntry>,
  current?: unknown,
  label: (entry: ReferenceEntry) => string = (entry) => entry.label,
): SelectOption[] {
  return [...entries.values()].filter((entry) => entry.active || entry.code === current).map((entry) => ({ value: entry.code, label: label(entry) }));
}

/** Whether a country is French territory (France and overseas), where SIRET and French postal codes apply. */
export function isFrenchTerritory(references: Pick<HostReferences, 'countries'>, countryCode: string | null | undefined): boolean {
  return countryCode ? references.countries.get(countryCode)?.siretRequired === true : false;
}
