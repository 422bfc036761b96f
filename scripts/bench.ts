import { chmod, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Knex } from 'knex';
import { createApp } from '../src/app.ts';
import { loadConfig } from '../src/config.ts';
import { createLogger } from '../src/logger.ts';
import { createKnex } from '../src/db/knex.ts';
import { startEmbeddedDatabase, ensurePortIsFree, type EmbeddedDatabase } from '../src/db/embedded.ts';
import { migrateToLatest } from '../src/db/migrations.ts';
import { seed as seedReference } from '../seeds/reference.ts';
import { seed as seedDemo } from '../seeds/demo.ts';
import { loadActor } from '../src/directory/actor.ts';
import { documentData } from '../src/documents/service.ts';
import { renderConvention } from '../src/documents/pdf.ts';

/**
 * `npm run bench`: a large university (100,000 hosts, 50,000 students, 200,000 conventions) in a
 * throw-away database — the embedded server, or the server of DATABASE_URL (database conventio_bench,
 * dropped at the end) — and the latencies of the pages staff use most, measured through HTTP with a
 * signed-in staff member, by one client and then by 10 concurrent clients. Not part of `npm test`.
 */
const HOSTS = Number(process.env.BENCH_HOSTS ?? 100_000);
const STUDENTS = Number(process.env.BENCH_STUDENTS ?? 50_000);
const CONVENTIONS = Number(process.env.BENCH_CONVENTIONS ?? 200_000);
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
async function seedLargeUniversity(knex: Knex, academicYear: string): Promise<void> {
  await timed(`${HOSTS} hosts with a service and a contact each`, async () => {
    await knex.raw(
      `INSERT INTO host (name, siret, naf_code, legal_status_code, host_type_code, headcount_code, address, postal_code, town, country_code, phone, created_by)
       SELECT (ARRAY['Société','Boulangerie','Cabinet','Laboratoire','Association','Mairie de','Clinique','Atelier','Agence','Groupe'])[1 + i % 10]
              || ' ' || (ARRAY['Générale','Dupont','Lefèvre','Atlantique','du Centre','Martin','Éole','des Alpes','Numérique','Bernard','Océane','Petit'])[1 + (i / 10) % 12]
              || ' ' || i,
              lpad(i::text, 14, '0'), naf.codes[1 + i % array_length(naf.codes, 1)], 'SARL', '3', '01',
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
  await timed(`${CONVENTIONS} conventions`, async () => {
    const startYear = Number(academicYear.slice(0, 4));
    await knex.raw(
      `WITH enrolled AS (
         SELECT e.id AS enrolment_id, e.student_id, coalesce(cs.centre_id, cf.centre_id, etab.id) AS centre_id, row_number() OVER (ORDER BY e.id) AS n
         FROM enrolment e JOIN student s ON s.id = e.student_id AND s.login LIKE 'bench.%'
         LEFT JOIN centre_criterion cs ON cs.kind = 'step' AND cs.code = e.step_code
         LEFT JOIN centre_criterion cf ON cf.kind = 'faculty' AND cf.code = e.faculty_code
         CROSS JOIN (SELECT id FROM centre WHERE level = 'ETABLISSEMENT') etab
       ), series AS (
         SELECT i, (SELECT count(*) FROM enrolled) AS students, make_date(?, 1, 1) + (i % 300) AS start_date FROM generate_series(1, ?) AS i
       )
       INSERT INTO convention (number, status, student_id, enrolment_id, centre_id, academic_year, host_id, service_id, tutor_id, signatory_id,
         social_security_affiliation, health_insurance_scheme, convention_type, internship_kind, theme, subject, activities,
         start_date, end_date, days_per_week, hours_per_week, total_presence_minutes, gratification, gratification_amount_cents,
         gratification_basis, gratification_per, submitted_at, created_by, entered_by_staff)
       SELECT nextval('convention_number_seq'), (ARRAY['submitted','validated','validated','refused','cancelled','pedagogically_validated'])[1 + i % 6],
              en.student_id, en.enrolment_id, en.centre_id, ?, hs.host_id, hs.id, hc.id, hc.id,
              'ASSETUDIANT', 'CPAM', 'FI', 'OBL', '1', 'Stage de ' || i, 'Activités du stage ' || i,
              series.start_date, series.start_date + 55, 5, 35, 40 * 7 * 60, i % 2 = 0, CASE WHEN i % 2 = 0 THEN 450 END,
              CASE WHEN i % 2 = 0 THEN 'NET' END, CASE WHEN i % 2 = 0 THEN 'hour' END, now(), 'bench', false
       FROM series
       JOIN enrolled en ON en.n = 1 + (series.i % series.students)
       JOIN host_service hs ON hs.id = (SELECT min(id) FROM host_service) + (series.i % ?)
       JOIN host_contact hc ON hc.service_id = hs.id`,
      [startYear, CONVENTIONS, academicYear, HOSTS],
    );
  });
  await timed('VACUUM ANALYZE', () => knex.raw('VACUUM ANALYZE'));
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

async function measure(baseUrl: string, cookie: string, benchCase: Case, concurrency: number): Promise<void> {
  const latencies: number[] = [];
  let next = 0;
  let failures = 0;
  const client = async () => {
    while (next < REQUESTS_PER_CASE) {
      const path = benchCase.paths[next % benchCase.paths.length]!;
      next += 1;
      const started = performance.now();
      const response = await fetch(`${baseUrl}${path}`, { headers: { cookie } });
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

const { serverUrl, embedded, directory } = await openServer();
const admin = createKnex(serverUrl, { poolMax: 1 });
const databaseName = 'conventio_bench';
await admin.raw('DROP DATABASE IF EXISTS ?? WITH (FORCE)', [databaseName]);
await admin.raw(`CREATE DATABASE ?? ENCODING 'UTF8' TEMPLATE template0`, [databaseName]);
const databaseUrl = new URL(serverUrl);
databaseUrl.pathname = `/${databaseName}`;
const knex = createKnex(databaseUrl.toString(), { poolMax: 20 });
let server: Server | undefined;
let closeApp: (() => Promise<void>) | undefined;
try {
  const config = loadConfig({ NODE_ENV: 'development', AUTH_MODE: 'demo', LOG_LEVEL: 'silent', SESSION_SECRET: 'benchmark-secret-long-enough-for-sessions' });
  say(`Seeding (${embedded ? 'embedded PostgreSQL' : 'DATABASE_URL'})`);
  await migrateToLatest(knex);
  await seedReference(knex);
  await seedDemo(knex, config.academicYearSwitchOver);
  const academicYear = (await knex('enrolment').first('academic_year')).academic_year as string;
  await seedLargeUniversity(knex, academicYear);

  const created = createApp({ knex, config, logger: createLogger('silent'), databaseUrl: databaseUrl.toString() });
  closeApp = created.close;
  server = await new Promise<Server>((resolve) => {
    const listening = created.app.listen(0, '127.0.0.1', () => resolve(listening));
  });
  const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const staff = await signIn(baseUrl, 'gest.sciences');
  const superAdmin = await signIn(baseUrl, 'admin');

  say(`\nLatencies over ${REQUESTS_PER_CASE} requests per line (gest.sciences unless said), through HTTP: sign-in check, query, page rendering`);
  const cases: Case[] = [
    { name: 'host search by name (accents, partial)', paths: ['/hosts?name=societe+generale', '/hosts?name=lefevre', '/hosts?name=boulangerie+dupont', '/hosts?name=laboratoire+oceane', '/hosts?name=cabinet+martin'] },
    { name: 'host search by name + département', paths: ['/hosts?name=societe&department=75', '/hosts?name=atelier&department=13', '/hosts?name=agence&department=69'] },
    { name: 'host search by SIRET / postal code / town', paths: ['/hosts?siret=00000000012345', '/hosts?postal=31000', '/hosts?town=nantes'] },
    { name: '/conventions (first page, staff centres)', paths: ['/conventions'] },
    { name: '/conventions filtered (year, status, student)', paths: [`/conventions?academicYear=${academicYear}&status=validated`, '/conventions?student=martin', '/conventions?status=submitted&page=3'] },
    { name: '/conventions by number', paths: ['/conventions?number=1234', '/conventions?number=99999'] },
  ];
  cases.push({ name: '/conventions as super-admin (all centres)', paths: ['/conventions', '/conventions?page=50'] });
  const printable = (await knex('convention as c')
    .join('centre as ce', 'ce.id', 'c.centre_id')
    .where({ 'ce.name': 'UFR Sciences et techniques', 'c.status': 'validated' })
    .first('c.number')) as { number: number };
  cases.push({ name: 'convention.pdf, English + French, 3 copies', paths: [`/conventions/${printable.number}/convention.pdf?lang=en`] });
  await measurePdfRendering(knex, printable.number);
  for (const concurrency of CONCURRENCY_LEVELS) {
    for (const benchCase of cases) await measure(baseUrl, benchCase.name.includes('super-admin') ? superAdmin : staff, benchCase, concurrency);
  }
} finally {
  if (server) await new Promise((resolve) => server!.close(resolve));
  await closeApp?.();
  await knex.destroy();
  await admin.raw('DROP DATABASE IF EXISTS ?? WITH (FORCE)', [databaseName]);
  await admin.destroy();
  await embedded?.stop();
  if (directory) await rm(directory, { recursive: true, force: true });
}
