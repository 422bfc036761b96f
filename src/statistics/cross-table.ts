/**
 * The cross table of the statistics, from the counts of the database: rows are the values of the first
 * criterion, columns those of the second, with the totals. Pure, so that its rules are tested alone:
 * - a value that is missing, or that the reference data cannot name, is "Non renseigné", always last;
 * - an open-ended criterion (supervisor, host…) keeps its TOP_COLUMNS most frequent values as columns
 *   (ties: alphabetical), in their usual order, and groups the others in one "Autres" column, before
 *   "Non renseigné".
 */
export const TOP_COLUMNS = 20;

export type HeadingKind = 'value' | 'others' | 'missing';

export interface Heading {
  kind: HeadingKind;
  /** The criterion's value, for links to the list; null for "Autres" and "Non renseigné". */
  value: string | null;
  label: string;
}

/** A value as counted, named: a null value or label is not known. */
export interface NamedValue {
  value: string | null;
  label: string | null;
  rank: number | string | null;
}

export interface NamedCount {
  row: NamedValue;
  column: NamedValue;
  count: number;
}

export interface CrossTable {
  columns: { heading: Heading; total: number }[];
  rows: { heading: Heading; counts: number[]; total: number }[];
  total: number;
  /** How many values the "Autres" column groups (0 when there is none). */
  grouped: number;
}

export interface CrossTableOptions {
  /** The second criterion is open-ended: its columns are cut at TOP_COLUMNS. */
  openEnded: boolean;
  missingLabel: string;
  othersLabel: string;
}

interface Entry {
  heading: Heading;
  rank: number | string;
  total: number;
}

const MISSING_KEY = '\u0000missing';
const OTHERS_KEY = '\u0000others';

const collator = new Intl.Collator('fr', { numeric: true, sensitivity: 'base' });

function compareRanks(a: number | string, b: number | string): number {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  return collator.compare(String(a), String(b));
}

const byRank = (a: Entry, b: Entry) => compareRanks(a.rank, b.rank) || collator.compare(a.heading.label, b.heading.label);

/** The entries of one side, with their totals. */
function entriesOf(values: NamedValue[], counts: number[], missingLabel: string): Map<string, Entry> {
  const entries = new Map<string, Entry>();
  values.forEach((named, index) => {
    const known = named.value !== null && named.label !== null;
    const key = known ? named.value! : MISSING_KEY;
    const entry = entries.get(key) ?? {
      heading: known ? { kind: 'value', value: named.value, label: named.label! } : { kind: 'missing', value: null, label: missingLabel },
      rank: named.rank ?? named.label ?? '',
      total: 0,
    };
    entry.total += counts[index]!;
    entries.set(key, entry);
  });
  return entries;
}

/** Values in their natural order (reference list, alphabet, bands…), then "Non renseigné". */
function ordered(entries: [string, Entry][]): [string, Entry][] {
  const known = entries.filter(([key]) => key !== MISSING_KEY).sort(([, a], [, b]) => byRank(a, b));
  const missing = entries.find(([key]) => key === MISSING_KEY);
  return missing ? [...known, missing] : known;
}

/**
 * The TOP_COLUMNS most frequent values, ties broken alphabetically. A year can hold tens of thousands
 * of hosts: one pass keeps the best ones so far, instead of sorting them all through the collator.
 */
function mostFrequent(values: [string, Entry][]): Set<string> {
  const before = (a: Entry, b: Entry) => a.total > b.total || (a.total === b.total && collator.compare(a.heading.label, b.heading.label) < 0);
  const best: [string, Entry][] = [];
  for (const candidate of values) {
    if (best.length === TOP_COLUMNS && !before(candidate[1], best.at(-1)![1])) continue;
    let index = best.length;
    while (index > 0 && before(candidate[1], best[index - 1]![1])) index -= 1;
    best.splice(index, 0, candidate);
    if (best.length > TOP_COLUMNS) best.pop();
  }
  return new Set(best.map(([key]) => key));
}

export function buildCrossTable(counts: NamedCount[], options: CrossTableOptions): CrossTable {
  const amounts = counts.map((count) => count.count);
  const rowEntries = ordered([
    ...entriesOf(
      counts.map((count) => count.row),
      amounts,
      options.missingLabel,
    ),
  ]);
  const columns = [
    ...entriesOf(
      counts.map((count) => count.column),
      amounts,
      options.missingLabel,
    ),
  ];

  /** Where each column value is counted: its own column, or "Autres". */
  const columnOf = new Map<string, string>(columns.map(([key]) => [key, key]));
  let grouped = 0;
  let columnEntries: [string, Entry][];
  const values = columns.filter(([key]) => key !== MISSING_KEY);
  if (options.openEnded && values.length > TOP_COLUMNS) {
    const kept = mostFrequent(values);
    const rest = values.filter(([key]) => !kept.has(key));
    grouped = rest.length;
    for (const [key] of rest) columnOf.set(key, OTHERS_KEY);
    const others: Entry = {
      heading: { kind: 'others', value: null, label: options.othersLabel },
      rank: '',
      total: rest.reduce((sum, [, entry]) => sum + entry.total, 0),
    };
    const keptAndMissing = ordered(columns.filter(([key]) => key === MISSING_KEY || kept.has(key)));
    columnEntries = [...keptAndMissing.filter(([key]) => key !== MISSING_KEY), [OTHERS_KEY, others], ...keptAndMissing.filter(([key]) => key === MISSING_KEY)];
  } else {
    columnEntries = ordered(columns);
  }

  const columnIndex = new Map(columnEntries.map(([key], index) => [key, index]));
  const rowIndex = new Map(rowEntries.map(([key], index) => [key, index]));
  const rows = rowEntries.map(([, entry]) => ({ heading: entry.heading, counts: columnEntries.map(() => 0), total: entry.total }));
  const keyOf = (named: NamedValue) => (named.value !== null && named.label !== null ? named.value : MISSING_KEY);
  for (const count of counts) {
    const row = rows[rowIndex.get(keyOf(count.row))!]!;
    row.counts[columnIndex.get(columnOf.get(keyOf(count.column))!)!]! += count.count;
  }
  return {
    columns: columnEntries.map(([, entry]) => ({ heading: entry.heading, total: entry.total })),
    rows,
    total: amounts.reduce((sum, amount) => sum + amount, 0),
    grouped,
  };
}
