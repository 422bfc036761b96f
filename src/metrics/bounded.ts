import { Counter, Histogram, type Registry } from 'prom-client';

/**
 * Counters and histograms of prom-client whose number of label sets is capped, so that addresses typed
 * by anyone can never make the memory or the scrape grow without bound: prom-client keeps every label
 * set it is given.
 */
const MAX_SERIES_PER_METRIC = 500;
/** Label values beyond the cap are counted under this one, so that no request goes uncounted. */
export const OVERFLOW_LABEL = 'other';

type Labels<Name extends string> = Record<Name, string>;

interface MetricNames<Name extends string> {
  name: string;
  help: string;
  labelNames: readonly Name[];
}

/** Past the cap, a label set not seen before is replaced by OVERFLOW_LABEL in every label. */
function seriesCap<Name extends string>(labelNames: readonly Name[]): (labels: Labels<Name>) => Labels<Name> {
  const seen = new Set<string>();
  const overflow = Object.fromEntries(labelNames.map((name) => [name, OVERFLOW_LABEL])) as Labels<Name>;
  return (labels) => {
    const key = JSON.stringify(labelNames.map((name) => labels[name]));
    if (seen.has(key)) return labels;
    if (seen.size >= MAX_SERIES_PER_METRIC) return overflow;
    seen.add(key);
    return labels;
  };
}

export interface BoundedCounter<Name extends string> {
  inc(labels: Labels<Name>): void;
}

export function boundedCounter<Name extends string>(registry: Registry, metric: MetricNames<Name>): BoundedCounter<Name> {
  const counter = new Counter({ ...metric, registers: [registry] });
  const cap = seriesCap(metric.labelNames);
  return { inc: (labels) => counter.inc(cap(labels)) };
}

export interface BoundedHistogram<Name extends string> {
  observe(labels: Labels<Name>, value: number): void;
}

export function boundedHistogram<Name extends string>(registry: Registry, metric: MetricNames<Name> & { buckets: number[] }): BoundedHistogram<Name> {
  const histogram = new Histogram({ ...metric, registers: [registry] });
  const cap = seriesCap(metric.labelNames);
  return { observe: (labels, value) => histogram.observe(cap(labels), value) };
}
