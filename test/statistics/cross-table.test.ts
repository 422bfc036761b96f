import { describe, expect, it } from 'vitest';
import { buildCrossTable, TOP_COLUMNS, type NamedCount, type NamedValue } from '../../src/statistics/cross-table.ts';

const OPTIONS = { openEnded: false, missingLabel: 'Non renseigné', othersLabel: 'Autres' };
const value = (code: string, label: string, rank: number | string = label): NamedValue => ({ value: code, label, rank });
const missing: NamedValue = { value: null, label: null, rank: null };
const count = (row: NamedValue, column: NamedValue, amount: number): NamedCount => ({ row, column, count: amount });

const headings = (table: ReturnType<typeof buildCrossTable>) => table.columns.map((column) => column.heading.label);

describe('the cross table', () => {
  it('orders values by rank, puts "Non renseigné" last, and totals rows and columns', () => {
    const sciences = value('SCI', 'Sciences');
    const law = value('DEG', 'Droit');
    const table = buildCrossTable(
      [
        count(sciences, value('FC', 'Formation continue', 2), 2),
        count(sciences, value('FI', 'Formation initiale', 1), 5),
        count(law, missing, 1),
        count(law, value('FI', 'Formation initiale', 1), 3),
        count(missing, value('FC', 'Formation continue', 2), 4),
      ],
      OPTIONS,
    );
    expect(headings(table)).toEqual(['Formation initiale', 'Formation continue', 'Non renseigné']);
    expect(table.rows.map((row) => [row.heading.label, ...row.counts, row.total])).toEqual([
      ['Droit', 3, 0, 1, 4],
      ['Sciences', 5, 2, 0, 7],
      ['Non renseigné', 0, 4, 0, 4],
    ]);
    expect(table.columns.map((column) => column.total)).toEqual([8, 6, 1]);
    expect(table.total).toBe(15);
    expect(table.grouped).toBe(0);
  });

  it('counts a code the reference data cannot name as "Non renseigné"', () => {
    const row = value('SCI', 'Sciences');
    const table = buildCrossTable(
      [count(row, { value: 'ZZ', label: null, rank: null }, 2), count(row, missing, 1), count(row, value('FI', 'Formation initiale', 1), 1)],
      OPTIONS,
    );
    expect(headings(table)).toEqual(['Formation initiale', 'Non renseigné']);
    expect(table.rows[0]!.counts).toEqual([1, 3]);
  });

  it(`keeps the ${TOP_COLUMNS} most frequent values of an open-ended criterion and groups the others in "Autres"`, () => {
    const row = value('SCI', 'Sciences');
    // Host n is counted n times: hosts 6 to 25 are the 20 most frequent; 1 to 5 (15 conventions) go to "Autres".
    const hosts = Array.from({ length: 25 }, (_, index) => count(row, value(String(index + 1), `Hôte ${String(index + 1).padStart(2, '0')}`), index + 1));
    const table = buildCrossTable([...hosts, count(row, missing, 7)], { ...OPTIONS, openEnded: true });
    expect(headings(table)).toEqual([...Array.from({ length: 20 }, (_, index) => `Hôte ${String(index + 6).padStart(2, '0')}`), 'Autres', 'Non renseigné']);
    expect(table.columns.at(-2)!.total).toBe(1 + 2 + 3 + 4 + 5);
    expect(table.columns.at(-2)!.heading).toEqual({ kind: 'others', value: null, label: 'Autres' });
    expect(table.rows[0]!.total).toBe(325 + 7);
    expect(table.rows[0]!.counts.reduce((sum, amount) => sum + amount, 0)).toBe(325 + 7);
    expect(table.grouped).toBe(5);
  });

  it('breaks ties at the cut alphabetically, and does not group when the values fit', () => {
    const row = value('SCI', 'Sciences');
    const names = ['Zeta', 'Alpha', ...Array.from({ length: 19 }, (_, index) => `Mu ${index + 10}`)];
    const tied = buildCrossTable(
      names.map((name) => count(row, value(name, name), 1)),
      { ...OPTIONS, openEnded: true },
    );
    expect(headings(tied)).toContain('Alpha');
    expect(headings(tied)).not.toContain('Zeta');
    expect(tied.grouped).toBe(1);
    const fitting = buildCrossTable(
      names.slice(0, TOP_COLUMNS).map((name) => count(row, value(name, name), 1)),
      { ...OPTIONS, openEnded: true },
    );
    expect(headings(fitting)).not.toContain('Autres');
  });

  it('is empty without any convention', () => {
    expect(buildCrossTable([], OPTIONS)).toEqual({ columns: [], rows: [], total: 0, grouped: 0 });
  });
});
