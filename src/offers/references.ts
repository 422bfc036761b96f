import type { Db } from '../db/knex.ts';

/** The reference lists an offer's fields take their codes from (rows of `reference_item`). */
export const OFFER_REFERENCE_LISTS = [
  'offerTypes',
  'offerContracts',
  'durationUnits',
  'trainingLevels',
  'applicationModes',
  'workingTime',
  'countries',
  'nafSections',
  'hostTypes',
] as const;
export type OfferReferenceList = (typeof OFFER_REFERENCE_LISTS)[number];

export interface OfferReferenceEntry {
  code: string;
  label: string;
  active: boolean;
  /** Contracts only: the offer type they belong to (EMPLOI → CDD, CDI…; ALTERN → apprenticeship…). */
  offerType: string | null;
}

export type OfferReferences = Record<OfferReferenceList, Map<string, OfferReferenceEntry>>;

/** Offer types whose contract must be chosen. */
export const TYPES_WITH_CONTRACT = new Set(['EMPLOI', 'ALTERN']);

export async function loadOfferReferences(db: Db): Promise<OfferReferences> {
  const rows = (await db('reference_item')
    .whereIn('list', OFFER_REFERENCE_LISTS)
    .orderBy(['list', 'position'])
    .select('list', 'code', 'label', 'active', db.raw("attributes->>'offerType' AS offer_type"))) as {
    list: OfferReferenceList;
    code: string;
    label: string;
    active: boolean;
    offer_type: string | null;
  }[];
  const references = Object.fromEntries(OFFER_REFERENCE_LISTS.map((list) => [list, new Map<string, OfferReferenceEntry>()])) as OfferReferences;
  for (const row of rows) references[row.list].set(row.code, { code: row.code, label: row.label, active: row.active, offerType: row.offer_type });
  return references;
}

export interface Option {
  value: string;
  label: string;
}

/** The choices of a select: active entries, plus the current value when it is no longer active. */
export function optionsOf(entries: Map<string, OfferReferenceEntry>, current?: unknown): Option[] {
  return [...entries.values()].filter((entry) => entry.active || entry.code === current).map((entry) => ({ value: entry.code, label: entry.label }));
}

/** The label of a code, or the code itself when the list no longer knows it. */
export function labelOf(entries: Map<string, OfferReferenceEntry>, code: string | null): string | null {
  return code === null ? null : (entries.get(code)?.label ?? code);
}
