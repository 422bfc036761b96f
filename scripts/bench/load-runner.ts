import autocannon from 'autocannon';
import { percentile, say } from './output.ts';

/**
 * Many signed-in people at once through autocannon: each connection is one person (its own session
 * cookie) going round its own sequence of pages, and every answer is recorded with its page type, so
 * that latencies and errors are reported per page type rather than for the whole mix.
 */
export interface Step {
  /** The page type the answer is counted under. */
  kind: string;
  /** One address, or several taken in turn at each round. */
  path: string | string[];
  /** A form to post, built from what earlier pages of the round captured; null skips the rest of the round. */
  form?: (captured: Record<string, string>) => Record<string, string> | null;
  /** The status that means success (200 for a page, 302 after a form). */
  expect: number;
  /** Reads values (a form's version) from the page for the next steps of the round. */
  capture?: (body: string, captured: Record<string, string>) => void;
}

export interface Person {
  cookie: string;
  steps: Step[];
}

export interface LoadRecord {
  kind: string;
  /** The HTTP status, or 0 when no answer came (timeout, connection error). */
  status: number;
  expected: boolean;
  startedAt: number;
  ms: number;
}

export interface LoadOptions {
  baseUrl: string;
  people: Person[];
  seconds: number;
  timeoutSeconds: number;
}

export interface LoadRun {
  records: LoadRecord[];
  seconds: number;
  stop(): void;
  done: Promise<void>;
}

export function startLoad(options: LoadOptions): LoadRun {
  const records: LoadRecord[] = [];
  let next = 0;
  let finish: (error: unknown) => void = () => undefined;
  const done = new Promise<void>((resolve, reject) => {
    finish = (error) => (error ? reject(error) : resolve());
  });
  const instance = autocannon(
    {
      url: options.baseUrl,
      connections: options.people.length,
      duration: options.seconds,
      timeout: options.timeoutSeconds,
      setupClient(client) {
        const person = options.people[next++ % options.people.length]!;
        let round = 0;
        let inFlight: { kind: string; expect: number; startedAt: number } | undefined;
        const record = (status: number, ms: number) => {
          if (!inFlight) return;
          records.push({ kind: inFlight.kind, status, expected: status === inFlight.expect, startedAt: inFlight.startedAt, ms });
          inFlight = undefined;
        };
        client.setRequests(
          person.steps.map((step, index) => ({
            method: step.form ? 'POST' : 'GET',
            setupRequest(request, context) {
              const captured = context as Record<string, string>;
              if (index === 0) round += 1;
              const paths = [step.path].flat();
              const path = paths[round % paths.length]!;
              const headers: Record<string, string> = { cookie: person.cookie };
              let body: string | undefined;
              if (step.form) {
                const fields = step.form(captured);
                // The page the form comes from failed: the round starts again, as a person would.
                if (!fields) return null as unknown as autocannon.Request;
                body = new URLSearchParams(fields).toString();
                headers['content-type'] = 'application/x-www-form-urlencoded';
              }
              // A download cut off before its end gets no answer event: it is still counted, as unanswered.
              record(0, inFlight ? Date.now() - inFlight.startedAt : 0);
              inFlight = { kind: step.kind, expect: step.expect, startedAt: Date.now() };
              return { ...request, path, headers, body };
            },
            onResponse(status, body, context) {
              if (status === step.expect) step.capture?.(body, context as Record<string, string>);
            },
          })),
        );
        client.on('response', (status: number, _bytes: number, ms: number) => record(status, ms));
        // Not in autocannon's type declarations, but emitted by its client.
        const events = client as NodeJS.EventEmitter;
        events.on('timeout', () => record(0, options.timeoutSeconds * 1000));
        events.on('connError', () => record(0, inFlight ? Date.now() - inFlight.startedAt : 0));
      },
    },
    (error) => finish(error),
  );
  return { records, seconds: options.seconds, stop: () => instance.stop(), done };
}

const STATUS_NAMES: Record<number, string> = { 0: 'no answer' };

function describeErrors(records: LoadRecord[]): string {
  const counts = new Map<number, number>();
  for (const record of records) if (!record.expected) counts.set(record.status, (counts.get(record.status) ?? 0) + 1);
  return [...counts].map(([status, count]) => `${count}× ${STATUS_NAMES[status] ?? status}`).join(', ');
}

/** One line per page type, then the whole; returns the number of errors. */
export function report(records: LoadRecord[], seconds: number): number {
  const kinds = [...new Set(records.map((record) => record.kind))];
  say(
    `  ${'page type'.padEnd(44)} ${'requests'.padStart(8)} ${'errors'.padStart(6)}   ${'p50'.padStart(8)} ${'p95'.padStart(8)} ${'p99'.padStart(8)} ${'max'.padStart(8)}`,
  );
  const line = (label: string, subset: LoadRecord[]) => {
    const latencies = subset.map((record) => record.ms).sort((a, b) => a - b);
    const errors = subset.filter((record) => !record.expected);
    const ms = (p: number) => `${percentile(latencies, p).toFixed(0).padStart(5)} ms`;
    say(
      `  ${label.padEnd(44)} ${String(subset.length).padStart(8)} ${String(errors.length).padStart(6)}   ${ms(50)} ${ms(95)} ${ms(99)} ${latencies.at(-1)!.toFixed(0).padStart(5)} ms${errors.length ? `   (${describeErrors(errors)})` : ''}`,
    );
  };
  for (const kind of kinds)
    line(
      kind,
      records.filter((record) => record.kind === kind),
    );
  if (records.length > 0) line('all', records);
  say(`  throughput: ${(records.length / seconds).toFixed(1)} requests/s over ${seconds} s`);
  return records.filter((record) => !record.expected).length;
}
