/**
 * A small registry written in Prometheus's text exposition format 0.0.4: counters and histograms that the
 * application updates, gauges read when scraped. The number of label sets per metric is capped, so that
 * addresses typed by anyone can never make the memory or the scrape grow without bound.
 */
export type Labels = Record<string, string>;

const MAX_SERIES_PER_METRIC = 500;
/** Label values beyond the cap are counted under this one, so that no request goes uncounted. */
export const OVERFLOW_LABEL = 'other';

function escapeLabelValue(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}

function formatLabels(labels: Labels): string {
  const entries = Object.entries(labels);
  return entries.length === 0 ? '' : `{${entries.map(([name, value]) => `${name}="${escapeLabelValue(value)}"`).join(',')}}`;
}

function formatNumber(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (value === Infinity) return '+Inf';
  if (value === -Infinity) return '-Inf';
  return String(value);
}

function header(name: string, help: string, type: 'counter' | 'gauge' | 'histogram'): string[] {
  return [`# HELP ${name} ${help.replace(/\\/g, '\\\\').replace(/\n/g, '\\n')}`, `# TYPE ${name} ${type}`];
}

/** Series of one metric, keyed by their labels; past the cap, new label sets fold into OVERFLOW_LABEL. */
class Series<T> {
  private readonly byKey = new Map<string, { labels: Labels; value: T }>();

  constructor(
    private readonly labelNames: readonly string[],
    private readonly initial: () => T,
  ) {}

  get(labels: Labels): T {
    let normalised = Object.fromEntries(this.labelNames.map((name) => [name, labels[name] ?? '']));
    let key = JSON.stringify(normalised);
    if (!this.byKey.has(key) && this.byKey.size >= MAX_SERIES_PER_METRIC) {
      normalised = Object.fromEntries(this.labelNames.map((name) => [name, OVERFLOW_LABEL]));
      key = JSON.stringify(normalised);
    }
    let entry = this.byKey.get(key);
    if (!entry) {
      entry = { labels: normalised, value: this.initial() };
      this.byKey.set(key, entry);
    }
    return entry.value;
  }

  entries(): { labels: Labels; value: T }[] {
    return [...this.byKey.values()];
  }
}

export class Counter {
  private readonly series: Series<{ total: number }>;

  constructor(
    readonly name: string,
    private readonly help: string,
    labelNames: readonly string[],
  ) {
    this.series = new Series(labelNames, () => ({ total: 0 }));
  }

  inc(labels: Labels, amount = 1): void {
    this.series.get(labels).total += amount;
  }

  render(): string[] {
    return [...header(this.name, this.help, 'counter'), ...this.series.entries().map(({ labels, value }) => `${this.name}${formatLabels(labels)} ${formatNumber(value.total)}`)];
  }
}

export class Histogram {
  private readonly series: Series<{ counts: number[]; sum: number; count: number }>;

  constructor(
    readonly name: string,
    private readonly help: string,
    labelNames: readonly string[],
    private readonly buckets: readonly number[],
  ) {
    this.series = new Series(labelNames, () => ({ counts: buckets.map(() => 0), sum: 0, count: 0 }));
  }

  observe(labels: Labels, value: number): void {
    const entry = this.series.get(labels);
    this.buckets.forEach((bound, index) => {
      if (value <= bound) entry.counts[index]! += 1;
    });
    entry.sum += value;
    entry.count += 1;
  }

  render(): string[] {
    const lines = header(this.name, this.help, 'histogram');
    for (const { labels, value } of this.series.entries()) {
      this.buckets.forEach((bound, index) => lines.push(`${this.name}_bucket${formatLabels({ ...labels, le: formatNumber(bound) })} ${value.counts[index]}`));
      lines.push(`${this.name}_bucket${formatLabels({ ...labels, le: '+Inf' })} ${value.count}`);
      lines.push(`${this.name}_sum${formatLabels(labels)} ${formatNumber(value.sum)}`);
      lines.push(`${this.name}_count${formatLabels(labels)} ${value.count}`);
    }
    return lines;
  }
}

/** A value read at scrape time (connections of a pool, memory), one sample per label set. */
export class Gauge {
  constructor(
    readonly name: string,
    private readonly help: string,
    private readonly read: () => { labels?: Labels; value: number }[],
  ) {}

  render(): string[] {
    return [...header(this.name, this.help, 'gauge'), ...this.read().map(({ labels, value }) => `${this.name}${formatLabels(labels ?? {})} ${formatNumber(value)}`)];
  }
}

export const CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

export function renderMetrics(metrics: readonly { render(): string[] }[]): string {
  return `${metrics.flatMap((metric) => metric.render()).join('\n')}\n`;
}
