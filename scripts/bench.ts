import type { ChildProcess } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import type { Knex } from 'knex';
import { loadConfig } from '../src/config.ts';
import { createKnex } from '../src/db/knex.ts';
import { loadActor } from '../src/access/actor.ts';
import { documentData } from '../src/documents/service.ts';
import { renderConvention } from '../src/documents/pdf.ts';
import { EXPORT_COLUMNS } from '../src/exports/columns.ts';
import { closeServer, createBenchDatabase, openServer, seedBenchDatabase } from './bench/data-set.ts';
import { startAppProcess } from './bench/app-process.ts';
import { benchClient } from './bench/http-client.ts';
import { signIn } from './bench/sign-in.ts';
import { percentile, say } from './bench/output.ts';

/**
 * `npm run bench`: a large university (100,000 hosts, 50,000 students, 200,000 conventions over four
 * academic years) in a throw-away database — the embedded server, or the server of DATABASE_URL
 * (database conventio_bench, dropped at the end). The application runs in its own process, as in
 * production; the script measures through HTTP the latencies of the pages staff use most (searches,
 * statistics, PDF) by one client and then by 10 concurrent clients, then the time and the application's
 * peak memory of exports of growing size. Not part of `npm test`.
 */
const REQUESTS_PER_CASE = Number(process.env.BENCH_REQUESTS ?? 200);
const CONCURRENCY_LEVELS = [1, 10];

interface Case {
  name: string;
  paths: string[];
}

async function measure(baseUrl: string, cookie: string, benchCase: Case, concurrency: number): Promise<void> {
  const latencies: number[] = [];
  let next = 0;
  let failures = 0;
  const http = benchClient(baseUrl, concurrency);
  const client = async () => {
    while (next < REQUESTS_PER_CASE) {
      const path = benchCase.paths[next % benchCase.paths.length]!;
      next += 1;
      const started = performance.now();
      const status = await http.get(path, cookie);
      latencies.push(performance.now() - started);
      if (status !== 200) failures += 1;
    }
  };
  await Promise.all(Array.from({ length: concurrency }, client));
  http.close();
  latencies.sort((a, b) => a - b);
  say(
    `  ${benchCase.name.padEnd(46)} ${String(concurrency).padStart(2)} client(s)   p50 ${percentile(latencies, 50).toFixed(1).padStart(6)} ms   p95 ${percentile(latencies, 95).toFixed(1).padStart(6)} ms   max ${latencies.at(-1)!.toFixed(1).padStart(6)} ms${failures ? `   ${failures} FAILED` : ''}`,
  );
}

/** The drawing alone, without HTTP: one bilingual copy of a convention (5 pages), warm. */
async function measurePdfRendering(knex: Knex, number: number): Promise<void> {
  const admin = await loadActor(knex, 'admin', ['admin']);
  const data = await documentData(knex, admin!, number, 'convention');
  const render = () => renderConvention(data, { language: 'en', printedOn: '2026-11-23', copies: 1 });
  for (let warm = 0; warm < 5; warm += 1) await render();
  const durations: number[] = [];
  for (let run = 0; run < 30; run += 1) {
    const started = performance.now();
    await render();
    durations.push(performance.now() - started);
  }
  durations.sort((a, b) => a - b);
  say(
    `  ${'convention.pdf drawing alone (1 copy, 5 pages)'.padEnd(46)}            p50 ${percentile(durations, 50).toFixed(1).padStart(6)} ms   p95 ${percentile(durations, 95).toFixed(1).padStart(6)} ms`,
  );
}

/** The resident memory of a process now (Linux: VmRSS). */
async function residentMemoryMb(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+) kB/.exec(status)![1]) / 1024;
}

/** One export, timed, with the application's memory sampled every 20 ms while it ran. */
async function measureExport(baseUrl: string, cookie: string, pid: number, label: string, path: string, rows: number): Promise<void> {
  const before = await residentMemoryMb(pid);
  let peak = before;
  const sampler = setInterval(() => {
    void residentMemoryMb(pid).then((megabytes) => (peak = Math.max(peak, megabytes)));
  }, 20);
  const started = performance.now();
  const response = await fetch(`${baseUrl}${path}`, { headers: { cookie } });
  let bytes = 0;
  const reader = response.body!.getReader();
  for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) bytes += chunk.value.length;
  const seconds = (performance.now() - started) / 1000;
  clearInterval(sampler);
  if (response.status !== 200) throw new Error(`${label}: HTTP ${response.status}`);
  say(
    `  ${label.padEnd(40)} ${String(rows).padStart(7)} rows   ${seconds.toFixed(1).padStart(5)} s   ${(bytes / 1048576).toFixed(1).padStart(5)} MB   app memory ${before.toFixed(0)} → peak ${peak.toFixed(0)} MB`,
  );
}

const server = await openServer();
const admin = createKnex(server.serverUrl, { poolMax: 1 });
const databaseUrl = await createBenchDatabase(admin, server);
const knex = createKnex(databaseUrl, { poolMax: 4 });
let application: ChildProcess | undefined;
try {
  const config = loadConfig({ NODE_ENV: 'development', AUTH_MODE: 'demo', LOG_LEVEL: 'silent', SESSION_SECRET: 'benchmark-secret-long-enough-for-sessions' });
  const academicYear = await seedBenchDatabase(knex, config, server);

  const started = await startAppProcess(databaseUrl);
  application = started.child;
  const { baseUrl } = started;
  const staff = await signIn(baseUrl, 'gest.sciences');
  const superAdmin = await signIn(baseUrl, 'admin');
  const startYear = Number(academicYear.slice(0, 4));
  const yearsAgo = (count: number) => `${startYear - count}-${startYear - count + 1}`;

  say(`\nLatencies over ${REQUESTS_PER_CASE} requests per line (gest.sciences unless said), through HTTP to the application's own process`);
  const cases: Case[] = [
    {
      name: 'host search by name (accents, partial)',
      paths: [
        '/hosts?name=societe+generale',
        '/hosts?name=lefevre',
        '/hosts?name=boulangerie+dupont',
        '/hosts?name=laboratoire+oceane',
        '/hosts?name=cabinet+martin',
      ],
    },
    {
      name: 'host search by name + département',
      paths: ['/hosts?name=societe&department=75', '/hosts?name=atelier&department=13', '/hosts?name=agence&department=69'],
    },
    { name: 'host search by SIRET / postal code / town', paths: ['/hosts?siret=00000000012345', '/hosts?postal=31000', '/hosts?town=nantes'] },
    { name: '/conventions (first page, staff centres)', paths: ['/conventions?search=1'] },
    {
      name: '/conventions simple (year, number, name)',
      paths: [
        `/conventions?search=1&academicYear=${academicYear}`,
        '/conventions?search=1&number=1234',
        '/conventions?search=1&lastName=martin',
        '/conventions?search=1&studentNumber=B00000042',
      ],
    },
    {
      name: '/conventions advanced (typical staff searches)',
      paths: [
        `/conventions?search=1&faculty=SCI&period=between&from=${startYear}-10-01&to=${startYear}-12-31`,
        `/conventions?search=1&step=M2INFO&period=in_progress&status=validated`,
        `/conventions?search=1&academicYear=${academicYear}&hostName=societe&gratification=yes&sort=student&direction=asc`,
        `/conventions?search=1&subject=analyse+paie&academicYear=${yearsAgo(1)}`,
        `/conventions?search=1&faculty=SCI&conventionType=FC&status=not_validated&sort=start`,
        `/conventions?search=1&town=lyon&period=ended&sort=host&direction=asc`,
      ],
    },
    { name: '/conventions as super-admin (all centres)', paths: ['/conventions?search=1', '/conventions?search=1&page=50'] },
    {
      name: '/statistics, one year (super-admin: 50,000)',
      paths: [
        `/statistics?academicYear=${academicYear}&first=faculty&second=conventionType`,
        `/statistics?academicYear=${academicYear}&first=step&second=duration`,
        `/statistics?academicYear=${academicYear}&first=faculty&second=host`,
      ],
    },
  ];
  const printable = (await knex('convention as c')
    .join('centre as ce', 'ce.id', 'c.centre_id')
    .where({ 'ce.name': 'UFR Sciences et techniques', 'c.status': 'validated' })
    .first('c.number')) as { number: number };
  cases.push({ name: 'convention.pdf, English + French, 3 copies', paths: [`/conventions/${printable.number}/convention.pdf?lang=en`] });
  await measurePdfRendering(knex, printable.number);
  for (const concurrency of CONCURRENCY_LEVELS) {
    for (const benchCase of cases) await measure(baseUrl, benchCase.name.includes('super-admin') ? superAdmin : staff, benchCase, concurrency);
  }

  // A fresh process for the exports: its memory is then what exports need, not what 10 clients
  // printing PDFs left in V8's heap.
  application.kill('SIGTERM');
  await new Promise((resolve) => application!.once('exit', resolve));
  const restarted = await startAppProcess(databaseUrl);
  application = restarted.child;
  const exporter = await signIn(restarted.baseUrl, 'admin');
  const columns = EXPORT_COLUMNS.slice(0, 40)
    .map((column) => column.key)
    .join(',');
  say(
    `\nExports by the super-admin, ${EXPORT_COLUMNS.slice(0, 40).length} columns, one at a time, by a freshly started application (its memory before and at its peak during each export)`,
  );
  // Internships overlapping a period: the search's own "between two dates", counted here to report rows.
  const periods = [
    { label: 'three months', from: `${startYear}-09-01`, to: `${startYear}-11-30` },
    { label: 'one year', from: `${startYear - 1}-09-01`, to: `${startYear}-08-31` },
    { label: 'two years', from: `${startYear - 2}-09-01`, to: `${startYear}-08-31` },
  ];
  for (const period of periods) {
    const { count } = (await knex('convention')
      .whereNot('status', 'draft')
      .where('effective_start_date', '<=', period.to)
      .where('effective_end_date', '>=', period.from)
      .count({ count: '*' })
      .first()) as { count: string };
    const query = `period=between&from=${period.from}&to=${period.to}&columns=${columns}`;
    await measureExport(
      restarted.baseUrl,
      exporter,
      application.pid!,
      `XLSX, internships of ${period.label}`,
      `/conventions/export.xlsx?${query}`,
      Number(count),
    );
    if (period === periods.at(-1))
      await measureExport(
        restarted.baseUrl,
        exporter,
        application.pid!,
        `CSV, internships of ${period.label}`,
        `/conventions/export.csv?${query}`,
        Number(count),
      );
  }
} finally {
  if (application) {
    application.kill('SIGTERM');
    await new Promise((resolve) => application!.once('exit', resolve));
  }
  await knex.destroy();
  await closeServer(admin, server);
}
