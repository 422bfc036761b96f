import { describe, expect, it } from 'vitest';
import { chartOf, MISSING_COLOUR, OTHERS_COLOUR, PALETTE } from '../../src/statistics/chart.ts';
import { buildCrossTable, type NamedValue } from '../../src/statistics/cross-table.ts';

/** WCAG 2.1 contrast ratio of two #rrggbb colours. */
function contrast(first: string, second: string): number {
  const luminance = (hex: string) => {
    const [r, g, b] = [1, 3, 5].map((start) => {
      const channel = Number.parseInt(hex.slice(start, start + 2), 16) / 255;
      return channel <= 0.03928 ? channel / 12.92 : ((channel + 0.055) / 1.055) ** 2.4;
    });
    return 0.2126 * r! + 0.7152 * g! + 0.0722 * b!;
  };
  const [light, dark] = [luminance(first), luminance(second)].sort((a, b) => b - a);
  return (light! + 0.05) / (dark! + 0.05);
}

const value = (code: string): NamedValue => ({ value: code, label: code, rank: code });

describe('the chart of the statistics', () => {
  it('uses colours that stand out from the white page (3:1) and from the white lines between segments', () => {
    for (const colour of [...PALETTE, OTHERS_COLOUR, MISSING_COLOUR]) expect(contrast(colour, '#ffffff'), colour).toBeGreaterThanOrEqual(3);
    expect(new Set(PALETTE).size).toBe(PALETTE.length);
  });

  it('draws bars as long as their totals, cut into segments as long as their counts', () => {
    const table = buildCrossTable(
      [
        { row: value('A'), column: value('x'), count: 30 },
        { row: value('A'), column: value('y'), count: 10 },
        { row: value('B'), column: value('y'), count: 20 },
      ],
      { openEnded: false, missingLabel: 'Non renseigné', othersLabel: 'Autres' },
    );
    const chart = chartOf(table)!;
    const [a, b] = chart.bars;
    expect(a!.segments.map((segment) => [segment.x, segment.width, segment.count])).toEqual([
      [0, 540, 30],
      [540, 180, 10],
    ]);
    // B has no "x": its only segment starts at 0, half as long as A's bar.
    expect(b!.segments.map((segment) => [segment.x, segment.width, segment.fill])).toEqual([[0, 360, PALETTE[1]]]);
    expect(b!.barY).toBeGreaterThan(a!.barY);
  });

  it('hatches the colours beyond the palette and "Non renseigné", and greys "Autres"', () => {
    const row = value('A');
    const counts = Array.from({ length: 25 }, (_, index) => ({ row, column: value(`v${String(index).padStart(2, '0')}`), count: 100 - index }));
    const table = buildCrossTable([...counts, { row, column: { value: null, label: null, rank: null }, count: 1 }], {
      openEnded: true,
      missingLabel: 'Non renseigné',
      othersLabel: 'Autres',
    });
    const series = chartOf(table)!.series;
    expect(series).toHaveLength(22);
    expect(series.slice(0, PALETTE.length).every((item) => item.patternId === null)).toBe(true);
    expect(series.slice(PALETTE.length, 20).every((item) => item.patternId !== null && item.fill === `url(#${item.patternId})`)).toBe(true);
    expect(series[20]).toMatchObject({ label: 'Autres', colour: OTHERS_COLOUR, patternId: null });
    expect(series[21]).toMatchObject({ label: 'Non renseigné', colour: MISSING_COLOUR });
    expect(series[21]!.patternId).not.toBeNull();
  });

  it('draws nothing without any convention', () => {
    expect(chartOf(buildCrossTable([], { openEnded: false, missingLabel: 'Non renseigné', othersLabel: 'Autres' }))).toBeNull();
  });
});
