import type { Db } from '../db/knex.ts';
import type { Readable } from 'node:stream';
import type { Actor } from '../access/actor.ts';

import type { ParsedSearch } from '../conventions/index.ts';
import { todayInFrance } from '../rules/academic-year.ts';
import { columnByKey, DEFAULT_COLUMN_KEYS, type ExportColumn } from './columns.ts';
import { countMatching, exportRows, rememberColumnKeys, rememberedColumnKeys } from './repository.ts';

/**
 * Exports of the convention search: which columns, which rows. The rows are those of the actor's own
 * search (repository.ts starts from the search's scoped query); who may export is the access policy's.
 */

const columnsOf = (keys: readonly string[]): ExportColumn[] => keys.map(columnByKey).filter((column): column is ExportColumn => column !== undefined);

/** The person's last choice of columns (without those the catalogue has dropped since), else the defaults. */
export async function chosenColumns(db: Db, login: string): Promise<ExportColumn[]> {
  const remembered = columnsOf((await rememberedColumnKeys(db, login)) ?? []);
  return remembered.length > 0 ? remembered : columnsOf(DEFAULT_COLUMN_KEYS);
}

/** Remembers a choice of known column keys (the chooser's, validated), in the order chosen. */
export async function rememberColumns(db: Db, login: string, keys: readonly string[]): Promise<void> {
  await rememberColumnKeys(
    db,
    login,
    columnsOf(keys).map((column) => column.key),
  );
}

/** The columns of an export: those its address lists, else the person's choice. */
export async function columnsToExport(db: Db, login: string, requestedKeys: readonly string[] | null): Promise<ExportColumn[]> {
  return requestedKeys === null ? chosenColumns(db, login) : columnsOf(requestedKeys);
}

export function matchingCount(db: Db, actor: Actor, search: ParsedSearch): Promise<number> {
  return countMatching(db, actor, search.criteria, todayInFrance());
}

export function rowsToExport(db: Db, actor: Actor, search: ParsedSearch, columns: readonly ExportColumn[]): Readable {
  return exportRows(db, actor, search.criteria, search.order, columns, todayInFrance());
}
