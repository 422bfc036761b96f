import { spawn, type ChildProcess } from 'node:child_process';
import { chmod, mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import type { Knex } from 'knex';
import { loadConfig } from '../src/config.ts';
import { createKnex } from '../src/db/knex.ts';
import { startEmbeddedDatabase, ensurePortIsFree, type EmbeddedDatabase } from '../src/db/embedded.ts';
import { migrateToLatest } from '../src/db/migrations.ts';
import { seed as seedReference } from '../seeds/reference.ts';
import { seed as seedDemo } from '../seeds/demo.ts';
import { loadActor } from '../src/directory/actor.ts';
import { documentData } from '../src/documents/service.ts';
import { renderConvention } from '../src/documents/pdf.ts';
import { EXPORT_COLUMNS } from '../src/exports/columns.ts';

/**
 * `npm run bench`: a large university (100,000 hosts, 50,000 students, 200,000 conventions over four
 * academic years) in a throw-away database — the embedded server, or the server of DATABASE_URL
 * (database conventio_bench, dropped at the end). The application runs in its own process, as in
 * production; the script measures through HTTP the latencies of the pages staff use most (searches,
 * statistics, PDF) by one client and then by 10 concurrent clients, then the time and the application's
 * peak memory of exports of growing size. Not part of `npm test`.
 */
const HOSTS = Number(process.env.BENCH_HOSTS ?? 100_000);
const STUDENTS = Number(process.env.BENCH_STUDENTS ?? 50_000);
const CONVENTIONS = Number(process.env.BENCH_CONVENTIONS ?? 200_000);
/** The conventions are spread over this many academic years (50,000 a year by default). */
const YEARS = 4;
const REQUESTS_PER_CASE = Number(process.env.BENCH_REQUESTS ?? 200);
const CONCURRENCY_LEVELS = [1, 10];

const say = (line: string) => process.stdout.write(`${line}\n`);

async function openServer(): Promise<{ serverUrl: string; embedded?: EmbeddedDatabase; directory?: string }> {
  if (process.env.DATABASE_URL) {
    const url = new URL(process.env.DATABASE_URL);
    url.pathname = '/postgres';
    return { serverUrl: url.toString() };
  }
  const directory = await mkdtemp(path.join(os.tmpdir(), 'conventio-bench-'));
  await chmod(directory, 0o755);
  const port = 54500 + Math.floor(Math.random() * 400);
  await ensurePortIsFree(port);
  const embedded = await startEmbeddedDatabase({ directory: path.join(directory, 'pg'), port, ephemeral: true });
  return { serverUrl: embedded.url('postgres'), embedded, directory };
}

async function timed<T>(label: string, work: () => Promise<T>): Promise<T> {
  const started = Date.now();
  const result = await work();
  say(`  ${label}: ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return result;
}

/** The large data set, written by set-based INSERT … SELECT statements. */
async function seedLargeUniversity(knex: Knex | Knex.Transaction, academicYear: string): Promise<void> {
  await timed(`${HOSTS} hosts with a service and a contact each`, async () => {
    await knex.raw(
      `INSERT INTO host (name, siret, naf_code, legal_status_code, host_type_code, headcount_code, address, postal_code, town, country_code, phone, created_by)
       SELECT (ARRAY['Société','Boulangerie','Cabinet','Laboratoire','Association','Mairie de','Clinique','Atelier','Agence','Groupe'])[1 + i % 10]
              || ' ' || (ARRAY['Générale','Dupont','Lefèvre','Atlantique','du Centre','Martin','Éole','des Alpes','Numérique','Bernard','Océane','Petit'])[1 + (i / 10) % 12]
              || ' ' || i,
              lpad(i::text, 14, '0'), naf.codes[1 + i % array_length(naf.codes, 1)], (ARRAY['SARL','SAS','SA','EURL'])[1 + i % 4], '3', (ARRAY['01','02','11','12','21'])[1 + i % 5],
              i || ' rue de la République', lpad((1000 + (i * 7919) % 94000)::text, 5, '0'),
              (ARRAY['Paris','Lyon','Marseille','Toulouse','Nantes','Lille','Rennes','Bordeaux','Montpellier','Strasbourg'])[1 + i % 10],
              'FR', '01 23 45 ' || lpad((i % 100)::text, 2, '0') || ' ' || lpad((i % 97)::text, 2, '0'), 'bench'
       FROM generate_series(1, ?) AS i, (SELECT array_agg(code ORDER BY code) AS codes FROM reference_item WHERE list = 'nafClasses') AS naf`,
      [HOSTS],
    );
    await knex.raw(`INSERT INTO host_service (host_id, name, created_by) SELECT id, 'Service ' || (ARRAY['comptable','informatique','juridique','R&D','communication'])[1 + id % 5], 'bench' FROM host WHERE created_by = 'bench'`);
    await knex.raw(
      `INSERT INTO host_contact (host_id, service_id, civility, last_name, first_name, function, phone, email, created_by)
       SELECT host_id, id, 'MME', 'Tutrice' || id, 'Claire', 'Responsable', '01 02 03 04 05', 'tutrice' || id || '@example.fr', 'bench' FROM host_service WHERE created_by = 'bench'`,
    );
  });
  await timed(`${STUDENTS} students enrolled in the demo steps`, async () => {
    await knex.raw(
      `INSERT INTO student (student_number, login, last_name, first_name, email)
       SELECT 'B' || lpad(i::text, 8, '0'), 'bench.etu' || i,
              (ARRAY['Martin','Bernard','Dubois','Thomas','Robert','Richard','Petit','Durand','Leroy','Moreau','Lefèvre','Garçon'])[1 + i % 12] || i,
              (ARRAY['Léa','Hugo','Chloé','Lucas','Inès','Jules','Zoé','Adam'])[1 + i % 8], 'bench.etu' || i || '@etu.example.fr'
       FROM generate_series(1, ?) AS i`,
      [STUDENTS],
    );
    await knex.raw(
      `INSERT INTO enrolment (student_id, academic_year, faculty_code, step_code)
       SELECT s.id, ?, st.faculty_code, st.code
       FROM student s JOIN LATERAL (SELECT * FROM study_step ORDER BY code OFFSET (s.id % (SELECT count(*) FROM study_step)) LIMIT 1) st ON true
       WHERE s.login LIKE 'bench.%'`,
      [academicYear],
    );
  });
  await timed(`${CONVENTIONS} conventions over ${YEARS} academic years`, async () => {
    const startYear = Number(academicYear.slice(0, 4));
    // Varied facts, so that criteria and statistics have something to tell apart: type, working time,
    // days per week, theme, origin, gratification, a few internships abroad, a few amended conventions.
    await knex.raw(
      `WITH enrolled AS (
         SELECT e.id AS enrolment_id, e.student_id, coalesce(cs.centre_id, cf.centre_id, etab.id) AS centre_id, row_number() OVER (ORDER BY e.id) AS n
         FROM enrolment e JOIN student s ON s.id = e.student_id AND s.login LIKE 'bench.%'
         LEFT JOIN centre_criterion cs ON cs.kind = 'step' AND cs.code = e.step_code
         LEFT JOIN centre_criterion cf ON cf.kind = 'faculty' AND cf.code = e.faculty_code
         CROSS JOIN (SELECT id FROM centre WHERE level = 'ETABLISSEMENT') etab
       ), teachers AS (
         SELECT array_agg(id ORDER BY id) AS ids FROM teacher
       ), series AS (
         SELECT i, i % ? AS years_back, (SELECT count(*) FROM enrolled) AS students FROM generate_series(1, ?) AS i
       ), dated AS (
         SELECT series.*, make_date(? - years_back, 9, 1) + ((i * 37) % 330) AS start_date FROM series
       )
       INSERT INTO convention (number, status, student_id, enrolment_id, centre_id, academic_year, host_id, service_id, tutor_id, signatory_id,
         supervisor_teacher_id, social_security_affiliation, health_insurance_scheme, convention_type, internship_kind, theme, subject, activities,
         start_date, end_date, days_per_week, hours_per_week, working_time, internship_origin, print_language, internship_country,
         total_presence_minutes, gratification, gratification_amount_cents, gratification_basis, gratification_per, submitted_at, created_by, entered_by_staff)
       SELECT nextval('convention_number_seq'), (ARRAY['submitted','validated','validated','refused','cancelled','pedagogically_validated'])[1 + i % 6],
              en.student_id, en.enrolment_id, en.centre_id, (? - years_back) || '-' || (? - years_back + 1), hs.host_id, hs.id, hc.id, hc.id,
              teachers.ids[1 + i % array_length(teachers.ids, 1)], 'ASSETUDIANT', 'CPAM',
              (ARRAY['FI','FI','FI','FC','CS'])[1 + i % 5], 'OBL', (1 + i % 10)::text,
              (ARRAY['Développement','Analyse','Étude','Conception','Audit'])[1 + i % 5] || ' d''un système de ' || (ARRAY['gestion','paie','mesure','réservation'])[1 + (i / 5) % 4] || ' ' || i,
              'Activités du stage ' || i,
              dated.start_date, dated.start_date + (28 + (i % 5) * 30), CASE WHEN i % 7 = 0 THEN 4 ELSE 5 END, 35,
              CASE WHEN i % 9 = 0 THEN 'TPART' ELSE 'TCOMP' END, (1 + i % 3)::text, 'fr', CASE WHEN i % 25 = 0 THEN 'DE' ELSE 'FR' END,
              40 * 7 * 60, i % 2 = 0, CASE WHEN i % 2 = 0 THEN 450 END,
              CASE WHEN i % 2 = 0 THEN 'NET' END, CASE WHEN i % 2 = 0 THEN 'hour' END, now(), 'bench', false
       FROM dated
       CROSS JOIN teachers
       JOIN enrolled en ON en.n = 1 + (dated.i % dated.students)
       JOIN host_service hs ON hs.id = (SELECT min(id) FROM host_service) + (dated.i % ?)
       JOIN host_contact hc ON hc.service_id = hs.id`,
      [YEARS, CONVENTIONS, startYear, startYear, startYear, HOSTS],
    );
  });
}

interface Case {
  name: string;
  paths: string[];
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

/** Signs in as a demo account through the demo page, as a browser does, and returns its cookie. */
async function signIn(baseUrl: string, login: string): Promise<string> {
  const page = await fetch(`${baseUrl}/auth/login`);
  const cookie = page.headers.getSetCookie().map((value) => value.split(';')[0]).join('; ');
  const token = /name="_csrf" value="([^"]+)"/.exec(await page.text())![1]!;
  const signedIn = await fetch(`${baseUrl}/auth/demo`, {
    method: 'POST',
    headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ _csrf: token, login }),
    redirect: 'manual',
  });
  if (signedIn.status !== 302) throw new Error(`sign-in of ${login} failed: ${signedIn.status}`);
  return signedIn.headers.getSetCookie().map((value) => value.split(';')[0]).join('; ');
}

/**
 * A GET, sent again once when the kept-alive connection it went out on had just been closed by the
 * server (its 5-second idle timeout): a browser does the same, and it is not an answer of the
 * application. Any other failure, or a second one, stops the benchmark.
 */
async function getOnce(url: string, cookie: string): Promise<Response> {
  try {
    return await fetch(url, { headers: { cookie } });
  } catch (error) {
    if ((error as { cause?: { code?: string } }).cause?.code !== 'UND_ERR_SOCKET') throw error;
    return fetch(url, { headers: { cookie } });
  }
}

async function measure(baseUrl: string, cookie: string, benchCase: Case, concurrency: number): Promise<void> {
  const latencies: number[] = [];
  let next = 0;
  let failures = 0;
  const client = async () => {
    while (next < REQUESTS_PER_CASE) {
      const path = benchCase.paths[next % benchCase.paths.length]!;
      next += 1;
      const started = performance.now();
      const response = await getOnce(`${baseUrl}${path}`, cookie);
      await response.arrayBuffer();
      latencies.push(performance.now() - started);
      if (response.status !== 200) failures += 1;
    }
  };
  await Promise.all(Array.from({ length: concurrency }, client));
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
  say(`  ${'convention.pdf drawing alone (1 copy, 5 pages)'.padEnd(46)}            p50 ${percentile(durations, 50).toFixed(1).padStart(6)} ms   p95 ${percentile(durations, 95).toFixed(1).padStart(6)} ms`);
}

/** The application in its own process, as in production: its latency and memory are its own. */
async function startAppProcess(databaseUrl: string): Promise<{ baseUrl: string; child: ChildProcess }> {
  const port = await freePort();
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/server.ts'], {
    env: { ...process.env, DATABASE_URL: databaseUrl, PORT: String(port), NODE_ENV: 'development', AUTH_MODE: 'demo', LOG_LEVEL: 'silent', SESSION_SECRET: 'benchmark-secret-long-enough-for-sessions' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  await new Promise<void>((resolve, reject) => {
    let output = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('Conventio est prêt')) resolve();
    });
    child.once('exit', (code) => reject(new Error(`the application stopped (${code}) before it was ready:\n${output}`)));
  });
  child.stdout!.resume();
  return { baseUrl: `http://127.0.0.1:${port}`, child };
}

async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise((resolve) => probe.close(resolve));
  return port;
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
  say(`  ${label.padEnd(40)} ${String(rows).padStart(7)} rows   ${seconds.toFixed(1).padStart(5)} s   ${(bytes / 1048576).toFixed(1).padStart(5)} MB   app memory ${before.toFixed(0)} → peak ${peak.toFixed(0)} MB`);
}

const { serverUrl, embedded, directory } = await openServer();
const admin = createKnex(serverUrl, { poolMax: 1 });
const databaseName = 'conventio_bench';
await admin.raw('DROP DATABASE IF EXISTS ?? WITH (FORCE)', [databaseName]);
await admin.raw(`CREATE DATABASE ?? ENCODING 'UTF8' TEMPLATE template0`, [databaseName]);
const databaseUrl = new URL(serverUrl);
databaseUrl.pathname = `/${databaseName}`;
const knex = createKnex(databaseUrl.toString(), { poolMax: 4 });
let application: ChildProcess | undefined;
try {
  const config = loadConfig({ NODE_ENV: 'development', AUTH_MODE: 'demo', LOG_LEVEL: 'silent', SESSION_SECRET: 'benchmark-secret-long-enough-for-sessions' });
  say(`Seeding (${embedded ? 'embedded PostgreSQL' : 'DATABASE_URL'})`);
  await migrateToLatest(knex);
  await seedReference(knex);
  await seedDemo(knex, config.academicYearSwitchOver);
  const academicYear = (await knex('enrolment').first('academic_year')).academic_year as string;
  // One transaction without the application's 30-second statement timeout: a slower server may need longer.
  await knex.transaction(async (trx) => {
    await trx.raw('SET LOCAL statement_timeout = 0');
    await seedLargeUniversity(trx, academicYear);
  });
  await timed('VACUUM ANALYZE', () => knex.raw('VACUUM ANALYZE'));

  const started = await startAppProcess(databaseUrl.toString());
  application = started.child;
  const { baseUrl } = started;
  const staff = await signIn(baseUrl, 'gest.sciences');
  const superAdmin = await signIn(baseUrl, 'admin');
  const startYear = Number(academicYear.slice(0, 4));
  const yearsAgo = (count: number) => `${startYear - count}-${startYear - count + 1}`;

  say(`\nLatencies over ${REQUESTS_PER_CASE} requests per line (gest.sciences unless said), through HTTP to the application's own process`);
  const cases: Case[] = [
    { name: 'host search by name (accents, partial)', paths: ['/hosts?name=societe+generale', '/hosts?name=lefevre', '/hosts?name=boulangerie+dupont', '/hosts?name=laboratoire+oceane', '/hosts?name=cabinet+martin'] },
    { name: 'host search by name + département', paths: ['/hosts?name=societe&department=75', '/hosts?name=atelier&department=13', '/hosts?name=agence&department=69'] },
    { name: 'host search by SIRET / postal code / town', paths: ['/hosts?siret=00000000012345', '/hosts?postal=31000', '/hosts?town=nantes'] },
    { name: '/conventions (first page, staff centres)', paths: ['/conventions?search=1'] },
    { name: '/conventions simple (year, number, name)', paths: [`/conventions?search=1&academicYear=${academicYear}`, '/conventions?search=1&number=1234', '/conventions?search=1&lastName=martin', '/conventions?search=1&studentNumber=B00000042'] },
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
      paths: [`/statistics?academicYear=${academicYear}&first=faculty&second=conventionType`, `/statistics?academicYear=${academicYear}&first=step&second=duration`, `/statistics?academicYear=${academicYear}&first=faculty&second=host`],
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
  const restarted = await startAppProcess(databaseUrl.toString());
  application = restarted.child;
  const exporter = await signIn(restarted.baseUrl, 'admin');
  const columns = EXPORT_COLUMNS.slice(0, 40).map((column) => column.key).join(',');
  say(`\nExports by the super-admin, ${EXPORT_COLUMNS.slice(0, 40).length} columns, one at a time, by a freshly started application (its memory before and at its peak during each export)`);
  // Internships overlapping a period: the search's own "between two dates", counted here to report rows.
  const periods = [
    { label: 'three months', from: `${startYear}-09-01`, to: `${startYear}-11-30` },
    { label: 'one year', from: `${startYear - 1}-09-01`, to: `${startYear}-08-31` },
    { label: 'two years', from: `${startYear - 2}-09-01`, to: `${startYear}-08-31` },
  ];
  for (const period of periods) {
    const { count } = (await knex('convention').whereNot('status', 'draft').where('effective_start_date', '<=', period.to).where('effective_end_date', '>=', period.from).count({ count: '*' }).first()) as { count: string };
    const query = `period=between&from=${period.from}&to=${period.to}&columns=${columns}`;
    await measureExport(restarted.baseUrl, exporter, application.pid!, `XLSX, internships of ${period.label}`, `/conventions/export.xlsx?${query}`, Number(count));
    if (period === periods.at(-1)) await measureExport(restarted.baseUrl, exporter, application.pid!, `CSV, internships of ${period.label}`, `/conventions/export.csv?${query}`, Number(count));
  }
} finally {
  if (application) {
    application.kill('SIGTERM');
    await new Promise((resolve) => application!.once('exit', resolve));
  }
  await knex.destroy();
  // BENCH_KEEP_DATABASE=1 with DATABASE_URL keeps the large data set to study query plans with psql.
  if (!(process.env.BENCH_KEEP_DATABASE && !embedded)) await admin.raw('DROP DATABASE IF EXISTS ?? WITH (FORCE)', [databaseName]);
  await admin.destroy();
  await embedded?.stop();
  if (directory) await rm(directory, { recursive: true, force: true });
}
