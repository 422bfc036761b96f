import type { CrossTable, Heading } from './cross-table.ts';

/**
 * The chart of a cross table, drawn on the server as SVG: one horizontal bar per row, as long as the
 * row's total, cut into one segment per column. The table stays the reference; the chart is a view
 * of it, with a text alternative written by the page.
 *
 * Colours all have a contrast of at least 3:1 on white (WCAG 1.4.11), and neighbours differ in hue.
 * Beyond the palette the colours come back hatched; "Autres" is dark grey and "Non renseigné" hatched
 * grey. Segments are separated by a white line, and the legend gives each column's total, so the
 * chart can be read without telling colours apart.
 */
export const PALETTE = ['#1f5fa8', '#b3541e', '#2e7d32', '#8e24aa', '#c62828', '#00796b', '#8a6d00', '#ad1457', '#6d4c41', '#3949ab'] as const;
export const OTHERS_COLOUR = '#4a4a4a';
export const MISSING_COLOUR = '#767676';

const CHART_WIDTH = 800;
/** Room left at the end of the longest bar for its total. */
const BAR_AREA = 720;
const LABEL_HEIGHT = 20;
const BAR_HEIGHT = 22;
const ROW_GAP = 16;

export interface ChartSeries {
  label: string;
  total: number;
  colour: string;
  /** The id of the hatching pattern drawn over the colour, or null for a plain colour. */
  patternId: string | null;
  /** The SVG fill: the colour, or the pattern. */
  fill: string;
}

export interface ChartSegment {
  x: number;
  width: number;
  fill: string;
  columnLabel: string;
  count: number;
}

export interface ChartBar {
  label: string;
  total: number;
  labelY: number;
  barY: number;
  totalX: number;
  /** The baseline of the total, level with the middle of the bar. */
  totalY: number;
  segments: ChartSegment[];
}

export interface Chart {
  width: number;
  height: number;
  barHeight: number;
  series: ChartSeries[];
  bars: ChartBar[];
}

const rounded = (value: number) => Math.round(value * 100) / 100;

function seriesOf(heading: Heading, total: number, index: number): ChartSeries {
  const hatched = heading.kind === 'missing' || (heading.kind === 'value' && Math.floor(index / PALETTE.length) % 2 === 1);
  const colour = heading.kind === 'others' ? OTHERS_COLOUR : heading.kind === 'missing' ? MISSING_COLOUR : PALETTE[index % PALETTE.length]!;
  const patternId = hatched ? `chart-hatch-${index}` : null;
  return { label: heading.label, total, colour, patternId, fill: patternId ? `url(#${patternId})` : colour };
}

/** The chart of a table, or null when it counts no convention (nothing to draw). */
export function chartOf(table: CrossTable): Chart | null {
  if (table.total === 0) return null;
  const series = table.columns.map((column, index) => seriesOf(column.heading, column.total, index));
  const longest = Math.max(...table.rows.map((row) => row.total));
  const rowHeight = LABEL_HEIGHT + BAR_HEIGHT + ROW_GAP;
  const bars = table.rows.map((row, rowIndex): ChartBar => {
    const top = rowIndex * rowHeight;
    let x = 0;
    const segments: ChartSegment[] = [];
    row.counts.forEach((count, columnIndex) => {
      if (count === 0) return;
      const width = (count / longest) * BAR_AREA;
      segments.push({ x: rounded(x), width: rounded(width), fill: series[columnIndex]!.fill, columnLabel: series[columnIndex]!.label, count });
      x += width;
    });
    return {
      label: row.heading.label,
      total: row.total,
      labelY: top + LABEL_HEIGHT - 5,
      barY: top + LABEL_HEIGHT,
      totalX: rounded(x + 6),
      totalY: top + LABEL_HEIGHT + BAR_HEIGHT - 6,
      segments,
    };
  });
  return { width: CHART_WIDTH, height: table.rows.length * rowHeight - ROW_GAP, barHeight: BAR_HEIGHT, series, bars };
}
