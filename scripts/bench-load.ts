import type { ChildProcess } from 'node:child_process';
import { loadConfig } from '../src/config.ts';
import { createKnex } from '../src/db/knex.ts';
import { startFakeCas } from '../test/support/fake-cas.ts';
import { closeServer, createBenchDatabase, openServer, seedBenchDatabase } from './bench/data-set.ts';
import { startAppProcess, stopAppProcess } from './bench/app-process.ts';
import { planPeople } from './bench/load-plan.ts';
import { report, startLoad } from './bench/load-runner.ts';
import { runOutage } from './bench/outage.ts';
import { say } from './bench/output.ts';

/**
 * `npm run bench:load`: the large data set of `npm run bench`, the application in its own process, and
 * 50 signed-in people at once for 60 s (students in the wizard and on their conventions, staff
 * searching, reading, printing and exporting), measured with autocannon: requests, errors and
 * latencies per page type. Then the database stops under a smaller load and starts again: 503 within
 * 2 s meanwhile, /healthz reporting it, and the same process serving again by itself. Exits non-zero
 * on any error. `--outage` runs only the outage, `--no-outage` only the load. Not part of `npm test`.
 */
const SECONDS = Number(process.env.BENCH_LOAD_SECONDS ?? 60);
const CONNECTIONS = Number(process.env.BENCH_LOAD_CONNECTIONS ?? 50);
/** Two people in five are students. */
const STUDENTS = Math.round(CONNECTIONS * 0.4);
const TIMEOUT_SECONDS = Number(process.env.BENCH_LOAD_TIMEOUT ?? 10);
const OUTAGE_CONNECTIONS = Number(process.env.BENCH_OUTAGE_CONNECTIONS ?? 10);
const OUTAGE_SECONDS = Number(process.env.BENCH_OUTAGE_SECONDS ?? 10);
const runLoadPhase = !process.argv.includes('--outage');
const runOutagePhase = !process.argv.includes('--no-outage');

const server = await openServer();
const admin = createKnex(server.serverUrl, { poolMax: 1 });
const databaseUrl = await createBenchDatabase(admin, server);
const knex = createKnex(databaseUrl, { poolMax: 4 });
const cas = await startFakeCas();
let application: ChildProcess | undefined;
let failed = false;
try {
  const config = loadConfig({ NODE_ENV: 'development', AUTH_MODE: 'demo', LOG_LEVEL: 'silent', SESSION_SECRET: 'benchmark-secret-long-enough-for-sessions' });
  const academicYear = await seedBenchDatabase(knex, config, server);
  // Signed in through the real CAS code, so that any student of the large data set can come.
  const started = await startAppProcess(databaseUrl, (baseUrl) => ({
    AUTH_MODE: 'cas',
    CAS_BASE_URL: cas.baseUrl,
    PUBLIC_BASE_URL: baseUrl,
    ADMIN_LOGINS: 'admin',
  }));
  application = started.child;
  const { baseUrl } = started;

  say(`\nSigning ${CONNECTIONS} people in (${STUDENTS} students, each with a draft of their own; ${CONNECTIONS - STUDENTS} staff)`);
  const people = await planPeople({ knex, baseUrl, cas, academicYear, students: STUDENTS, staff: CONNECTIONS - STUDENTS });

  if (runLoadPhase) {
    say(
      `\n${CONNECTIONS} concurrent people for ${SECONDS} s through HTTP to the application's own process (errors: unexpected status or no answer within ${TIMEOUT_SECONDS} s)`,
    );
    const load = startLoad({ baseUrl, people, seconds: SECONDS, timeoutSeconds: TIMEOUT_SECONDS });
    await load.done;
    const errors = report(load.records, SECONDS);
    say(errors === 0 ? '  zero errors' : `  ${errors} ERRORS`);
    failed ||= errors > 0;
  }

  if (runOutagePhase) {
    say(`\nDatabase outage under the load of ${OUTAGE_CONNECTIONS} people`);
    if (!server.embedded) {
      say('  skipped: with DATABASE_URL the script cannot stop the server itself. Stop and start it by hand during `npm run bench:load` and watch /healthz.');
    } else {
      // Half students, half staff, so that both pages and form posts meet the outage.
      const mixed = [...people.slice(0, Math.ceil(OUTAGE_CONNECTIONS / 2)), ...people.slice(STUDENTS, STUDENTS + Math.floor(OUTAGE_CONNECTIONS / 2))];
      const failures = await runOutage({ baseUrl, people: mixed, database: server.embedded, outageSeconds: OUTAGE_SECONDS, timeoutSeconds: TIMEOUT_SECONDS });
      for (const failure of failures) say(`  FAILED: ${failure}`);
      if (failures.length === 0) say('  503 within 2 s during the outage, and recovery without restart');
      failed ||= failures.length > 0;
    }
  }
} finally {
  if (application && !(await stopAppProcess(application))) {
    say('FAILED: the application did not stop within 15 s of SIGTERM');
    failed = true;
  }
  await cas.close();
  await knex.destroy();
  await closeServer(admin, server);
}
if (failed) process.exitCode = 1;
