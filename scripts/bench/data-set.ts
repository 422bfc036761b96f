import { chmod, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Knex } from 'knex';
import type { Config } from '../../src/config.ts';
import { startEmbeddedDatabase, ensurePortIsFree, type EmbeddedDatabase } from '../../src/db/embedded.ts';
import { migrateToLatest } from '../../src/db/migrations.ts';
import { seed as seedReference } from '../../seeds/reference.ts';
import { seed as seedDemo } from '../../seeds/demo.ts';
import { removeWithItsServers } from '../../test/support/run-directory.ts';
import { say, timed } from './output.ts';

/**
 * The benchmarks' large university (100,000 hosts, 50,000 students, 200,000 conventions over four
 * academic years by default) in a throw-away database `conventio_bench`: on the embedded server, or on
 * the server of DATABASE_URL.
 */
const HOSTS = Number(process.env.BENCH_HOSTS ?? 100_000);
const STUDENTS = Number(process.env.BENCH_STUDENTS ?? 50_000);
const CONVENTIONS = Number(process.env.BENCH_CONVENTIONS ?? 200_000);
/** The conventions are spread over this many academic years (50,000 a year by default). */
const YEARS = 4;
const DATABASE_NAME = 'conventio_bench';

export interface BenchServer {
  /** The server's `postgres` database, to create and drop the benchmark's one. */
  serverUrl: string;
  embedded?: EmbeddedDatabase;
  directory?: string;
}

export async function openServer(): Promise<BenchServer> {
  if (process.env.DATABASE_URL) {
    const url = new URL(process.env.DATABASE_URL);
    url.pathname = '/postgres';
    return { serverUrl: url.toString() };
  }
  const directory = await mkdtemp(path.join(os.tmpdir(), 'conventio-bench-'));
  await chmod(directory, 0o755);
  const port = 54500 + Math.floor(Math.random() * 400);
  await ensurePortIsFree(port);
  // Ctrl-C, a kill or a crash ends a benchmark without its finally blocks: its server and folder go with it.
  process.once('exit', () => removeWithItsServers(directory));
  process.once('SIGINT', () => process.exit(130));
  process.once('SIGTERM', () => process.exit(143));
  const embedded = await startEmbeddedDatabase({ directory: path.join(directory, 'pg'), port, ephemeral: true });
  return { serverUrl: embedded.url('postgres'), embedded, directory };
}

/** An empty `conventio_bench` (an older one dropped); returns its address. */
export async function createBenchDatabase(admin: Knex, server: BenchServer): Promise<string> {
  await admin.raw('DROP DATABASE IF EXISTS ?? WITH (FORCE)', [DATABASE_NAME]);
  await admin.raw(`CREATE DATABASE ?? ENCODING 'UTF8' TEMPLATE template0`, [DATABASE_NAME]);
  const databaseUrl = new URL(server.serverUrl);
  databaseUrl.pathname = `/${DATABASE_NAME}`;
  return databaseUrl.toString();
}

/** Schema, reference and demo data, then the large university; returns the current academic year. */
export async function seedBenchDatabase(knex: Knex, config: Config, server: BenchServer): Promise<string> {
  say(`Seeding (${server.embedded ? 'embedded PostgreSQL' : 'DATABASE_URL'})`);
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
  return academicYear;
}

/** Drops the benchmark's database (kept with BENCH_KEEP_DATABASE=1 on a DATABASE_URL server) and stops the server. */
export async function closeServer(admin: Knex, server: BenchServer): Promise<void> {
  // BENCH_KEEP_DATABASE=1 with DATABASE_URL keeps the large data set to study query plans with psql.
  if (!(process.env.BENCH_KEEP_DATABASE && !server.embedded)) await admin.raw('DROP DATABASE IF EXISTS ?? WITH (FORCE)', [DATABASE_NAME]);
  await admin.destroy();
  await server.embedded?.stop();
  if (server.directory) await rm(server.directory, { recursive: true, force: true });
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
    await knex.raw(
      `INSERT INTO host_service (host_id, name, created_by) SELECT id, 'Service ' || (ARRAY['comptable','informatique','juridique','R&D','communication'])[1 + id % 5], 'bench' FROM host WHERE created_by = 'bench'`,
    );
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
         -- One convention a year per student: every centre then has conventions in every year.
         SELECT i, ((i / students) % ?)::int AS years_back, students FROM generate_series(1, ?) AS i, (SELECT count(*) AS students FROM enrolled) AS enrolled_count
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
              40 * 7 * 60, i % 3 <> 0, CASE WHEN i % 3 <> 0 THEN 450 END,
              CASE WHEN i % 3 <> 0 THEN 'NET' END, CASE WHEN i % 3 <> 0 THEN 'hour' END, now(), 'bench', false
       FROM dated
       CROSS JOIN teachers
       JOIN enrolled en ON en.n = 1 + (dated.i % dated.students)
       JOIN host_service hs ON hs.id = (SELECT min(id) FROM host_service) + (dated.i % ?)
       JOIN host_contact hc ON hc.service_id = hs.id`,
      [YEARS, CONVENTIONS, startYear, startYear, startYear, HOSTS],
    );
  });
}
