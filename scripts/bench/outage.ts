import { setTimeout as sleep } from 'node:timers/promises';
import type { EmbeddedDatabase } from '../../src/db/embedded.ts';
import { startLoad, type LoadRecord, type Person } from './load-runner.ts';
import { say } from './output.ts';

/**
 * The database stops under load (a fast shutdown of the embedded PostgreSQL, as `pg_ctl stop -m fast`
 * does) and starts again: every request sent meanwhile must be answered 503 within 2 s, /healthz must
 * say the database is down, and the same application process must serve again by itself.
 */
const MAX_ANSWER_MS = 2000;
/** How long the application may take to serve again once the database is back. */
const MAX_RECOVERY_MS = 10000;

export interface OutageOptions {
  baseUrl: string;
  people: Person[];
  database: EmbeddedDatabase;
  outageSeconds: number;
  timeoutSeconds: number;
}

interface HealthProbe {
  at: number;
  status: number;
  ms: number;
  database: string | undefined;
}

/** /healthz, asked every 200 ms; a probe without an answer within 5 s counts as a hang (status 0). */
function pollHealth(baseUrl: string): { probes: HealthProbe[]; stop(): Promise<void> } {
  const probes: HealthProbe[] = [];
  let running = true;
  const loop = (async () => {
    while (running) {
      const at = Date.now();
      try {
        const response = await fetch(`${baseUrl}/healthz`, { signal: AbortSignal.timeout(5000) });
        const body = (await response.json()) as { database?: string };
        probes.push({ at, status: response.status, ms: Date.now() - at, database: body.database });
      } catch {
        probes.push({ at, status: 0, ms: Date.now() - at, database: undefined });
      }
      await sleep(200);
    }
  })();
  return {
    probes,
    async stop() {
      running = false;
      await loop;
    },
  };
}

async function waitUntil(condition: () => boolean, limitMs: number): Promise<boolean> {
  const started = Date.now();
  while (!condition()) {
    if (Date.now() - started > limitMs) return false;
    await sleep(50);
  }
  return true;
}

const statuses = (records: { status: number }[]) => {
  const counts = new Map<number, number>();
  for (const record of records) counts.set(record.status, (counts.get(record.status) ?? 0) + 1);
  return [...counts].map(([status, count]) => `${count}× ${status === 0 ? 'no answer' : status}`).join(', ') || 'none';
};
const maxOf = (values: number[]) => (values.length ? Math.max(...values) : 0);

/** Runs the outage; prints its figures and returns the failures found (none: an empty list). */
export async function runOutage(options: OutageOptions): Promise<string[]> {
  const { baseUrl, database } = options;
  const load = startLoad({ baseUrl, people: options.people, seconds: 600, timeoutSeconds: options.timeoutSeconds });
  const health = pollHealth(baseUrl);
  await sleep(5000);

  const stopping = Date.now();
  await database.stop();
  const down = Date.now();
  say(`  database stopped (fast shutdown) in ${down - stopping} ms; out for ${options.outageSeconds} s`);
  await sleep(options.outageSeconds * 1000);
  const restarting = Date.now();
  await database.restart();
  const up = Date.now();
  say(`  database started again in ${up - restarting} ms`);

  const healthy = await waitUntil(() => health.probes.some((probe) => probe.at >= up && probe.status === 200), MAX_RECOVERY_MS);
  const served = await waitUntil(() => load.records.some((record) => record.startedAt >= up && record.expected), MAX_RECOVERY_MS);
  const recovered = Date.now();
  await sleep(10000);
  load.stop();
  await load.done;
  await health.stop();

  const records: LoadRecord[] = load.records;
  const during = records.filter((record) => record.startedAt >= down && record.startedAt + record.ms <= restarting);
  const overlapping = records.filter((record) => record.startedAt < restarting && record.startedAt + record.ms > stopping);
  const healthDuring = health.probes.filter((probe) => probe.at >= down && probe.at + probe.ms <= restarting);
  const firstHealthy = health.probes.find((probe) => probe.at >= up && probe.status === 200);
  const firstServed = records.filter((record) => record.startedAt >= up && record.expected).sort((a, b) => a.startedAt + a.ms - (b.startedAt + b.ms))[0];
  const after = records.filter((record) => record.startedAt >= recovered);

  say(`  requests sent while the database was down: ${during.length} (${statuses(during)}), slowest ${maxOf(during.map((record) => record.ms)).toFixed(0)} ms`);
  say(
    `  requests in flight at any time of the outage: slowest answer ${maxOf(overlapping.map((record) => record.ms)).toFixed(0)} ms, unanswered ${overlapping.filter((record) => record.status === 0).length}${overlapping.some((record) => record.status === 0) ? ` (${[...new Set(overlapping.filter((record) => record.status === 0).map((record) => record.kind))].join(', ')})` : ''}`,
  );
  say(
    `  /healthz while down: ${healthDuring.length} probes (${statuses(healthDuring)}), database "${[...new Set(healthDuring.map((probe) => probe.database))].join('", "')}", slowest ${maxOf(healthDuring.map((probe) => probe.ms))} ms`,
  );
  say(
    `  /healthz 200 again ${firstHealthy ? `${firstHealthy.at + firstHealthy.ms - up} ms` : 'never'} after the database came back; pages served again after ${firstServed ? `${(firstServed.startedAt + firstServed.ms - up).toFixed(0)} ms` : 'never'} (same process, no restart)`,
  );
  say(
    `  the 10 s after recovery: ${after.length} requests, ${after.filter((record) => !record.expected).length} errors (${statuses(after.filter((record) => !record.expected))})`,
  );

  const failures: string[] = [];
  if (during.length === 0) failures.push('no request was sent while the database was down');
  if (during.some((record) => record.status !== 503))
    failures.push(`requests during the outage not answered 503: ${statuses(during.filter((record) => record.status !== 503))}`);
  if (overlapping.some((record) => record.status === 0 || (record.startedAt >= down && record.ms > MAX_ANSWER_MS)))
    failures.push(`a request hung or took more than ${MAX_ANSWER_MS} ms during the outage`);
  if (healthDuring.length === 0 || healthDuring.some((probe) => probe.status !== 503 || probe.database !== 'down' || probe.ms > MAX_ANSWER_MS))
    failures.push('/healthz did not answer 503 "database down" within 2 s during the outage');
  if (!healthy || !served) failures.push(`the application did not serve again within ${MAX_RECOVERY_MS / 1000} s of the database's return`);
  if (after.some((record) => !record.expected)) failures.push('errors after the recovery');
  return failures;
}
