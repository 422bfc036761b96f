import type { Knex } from 'knex';
import type { FakeCas } from '../../test/support/fake-cas.ts';
import { loadActor } from '../../src/access/actor.ts';
import { EXPORT_COLUMNS } from '../../src/exports/columns.ts';
import { signInWithCas } from './sign-in.ts';
import type { Person, Step } from './load-runner.ts';
import { say } from './output.ts';

/**
 * Who the load test's connections are, each signed in through the real CAS code: students of the
 * large data set (their list, one of their conventions, the wizard's pages and a step saved on a draft
 * of their own) and staff of the demo centres and the super-admin (advanced searches, convention
 * pages, PDFs, small CSV exports).
 */
const STAFF_LOGINS = ['gest.sciences', 'lect.sciences', 'resp.sciences', 'gest.droit', 'admin'];
const EXPORT_COLUMN_KEYS = EXPORT_COLUMNS.slice(0, 12)
  .map((column) => column.key)
  .join(',');
const TOKEN = /name="_csrf" value="([^"]+)"/;
const VERSION = /name="version" value="(\d+)"/;

export interface LoadPlanOptions {
  knex: Knex;
  baseUrl: string;
  cas: FakeCas;
  academicYear: string;
  students: number;
  staff: number;
}

export async function planPeople(options: LoadPlanOptions): Promise<Person[]> {
  const students = await studentPeople(options);
  const staff = await staffPeople(options);
  return [...students, ...staff];
}

async function studentPeople({ knex, baseUrl, cas, students }: LoadPlanOptions): Promise<Person[]> {
  if (students === 0) return [];
  // Students of the large data set who already have a convention to look at.
  const rows = (await knex
    .select('s.login', 'e.id as enrolment_id', knex.raw('min(c.number) AS number'))
    .from('student as s')
    .join('enrolment as e', 'e.student_id', 's.id')
    .join('convention as c', 'c.student_id', 's.id')
    .where('s.login', 'like', 'bench.etu%')
    .whereNotNull('c.number')
    .groupBy('s.login', 'e.id')
    .orderBy('s.login')
    .limit(students)) as { login: string; enrolment_id: number; number: number }[];
  if (rows.length < students) throw new Error(`only ${rows.length} students with a convention for ${students} student connections`);
  const cpamOffice = (await knex('reference_item').where({ list: 'cpamOffices' }).orderBy('position').first('code')).code as string;

  return Promise.all(
    rows.map(async (row, index) => {
      const cookie = await signInWithCas(baseUrl, cas, row.login);
      const fields = studentStep(row.enrolment_id, cpamOffice, index);
      const draft = await createDraft(baseUrl, cookie, fields);
      const steps: Step[] = [
        { kind: 'student: their conventions (list)', path: '/conventions', expect: 200 },
        { kind: 'student: their convention page', path: `/conventions/${row.number}`, expect: 200 },
        {
          kind: 'student: wizard step page',
          path: [`${draft}/student`, '/conventions/new/student', `${draft}/host`],
          expect: 200,
          capture(body, captured) {
            const version = VERSION.exec(body)?.[1];
            const token = TOKEN.exec(body)?.[1];
            if (version && token) Object.assign(captured, { version, token });
          },
        },
        {
          kind: 'student: wizard step saved (POST)',
          path: `${draft}/student`,
          expect: 302,
          form: (captured) => (captured.version ? { _csrf: captured.token!, version: captured.version, ...fields } : null),
        },
        { kind: 'student: wizard step page', path: `${draft}/host`, expect: 200 },
      ];
      return { cookie, steps };
    }),
  );
}

function studentStep(enrolmentId: number, cpamOffice: string, index: number): Record<string, string> {
  return {
    enrolment_id: String(enrolmentId),
    student_address: `${index + 1} rue des Écoles`,
    student_postal_code: '75005',
    student_town: 'Paris',
    student_country: 'FR',
    student_phone: '01 23 45 67 89',
    student_mobile_phone: '',
    student_personal_email: `etudiant${index}@example.org`,
    social_security_affiliation: 'ASSETUDIANT',
    health_insurance_scheme: 'CPAM',
    cpam_office: cpamOffice,
  };
}

/** The student's own draft, started through the wizard's first step; returns its address. */
async function createDraft(baseUrl: string, cookie: string, fields: Record<string, string>): Promise<string> {
  const form = await fetch(`${baseUrl}/conventions/new/student`, { headers: { cookie } });
  const token = TOKEN.exec(await form.text())?.[1];
  if (!token) throw new Error(`no wizard form for a student (${form.status})`);
  const created = await fetch(`${baseUrl}/conventions/new/student`, {
    method: 'POST',
    headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ _csrf: token, ...fields }),
    redirect: 'manual',
  });
  const location = created.headers.get('location') ?? '';
  const draft = /^\/conventions\/drafts\/\d+/.exec(location)?.[0];
  if (created.status !== 302 || !draft) {
    const summary = /id="error-summary">([\s\S]*?)<\/div>/
      .exec(await created.text())?.[1]
      ?.replace(/<(?!a )[^>]+>/g, ' ')
      .replace(/\s+/g, ' ');
    throw new Error(`draft not created (${created.status}): ${summary ?? ''}`);
  }
  return draft;
}

async function staffPeople({ knex, baseUrl, cas, academicYear, staff }: LoadPlanOptions): Promise<Person[]> {
  const startYear = Number(academicYear.slice(0, 4));
  const plans = await Promise.all(STAFF_LOGINS.map((login) => staffPlan(knex, baseUrl, cas, login, startYear, academicYear)));
  return Promise.all(
    Array.from({ length: staff }, async (_unused, index) => {
      const plan = plans[index % plans.length]!;
      return { cookie: await signInWithCas(baseUrl, cas, plan.login), steps: plan.steps };
    }),
  );
}

async function staffPlan(
  knex: Knex,
  baseUrl: string,
  cas: FakeCas,
  login: string,
  startYear: number,
  academicYear: string,
): Promise<{ login: string; steps: Step[] }> {
  const actor = (await loadActor(knex, login, ['admin']))!;
  const centres = actor.memberships.map((membership) => membership.centreId);
  const numbers = (await knex('convention')
    .where('status', 'validated')
    .modify((query) => {
      if (!actor.superAdmin) query.whereIn('centre_id', centres);
    })
    .whereRaw('number % 37 = 0')
    .orderBy('number')
    .limit(20)
    .pluck('number')) as number[];
  if (numbers.length === 0) throw new Error(`no validated convention for ${login}`);
  const searches = [
    `/conventions?search=1&academicYear=${academicYear}&hostName=societe&gratification=yes&sort=student&direction=asc`,
    `/conventions?search=1&period=between&from=${startYear}-10-01&to=${startYear}-12-31`,
    `/conventions?search=1&period=in_progress&status=validated`,
    `/conventions?search=1&subject=analyse+paie&academicYear=${startYear - 1}-${startYear}`,
    `/conventions?search=1&conventionType=FC&status=not_validated&sort=start`,
    `/conventions?search=1&town=lyon&period=ended&sort=host&direction=asc`,
  ];
  const exports = await smallExports(baseUrl, await signInWithCas(baseUrl, cas, login), login);
  return {
    login,
    steps: [
      { kind: 'staff: advanced search', path: searches, expect: 200 },
      { kind: 'staff: convention page', path: numbers.map((number) => `/conventions/${number}`), expect: 200 },
      { kind: 'staff: advanced search', path: [...searches].reverse(), expect: 200 },
      { kind: 'staff: convention page', path: [...numbers].reverse().map((number) => `/conventions/${number}`), expect: 200 },
      { kind: 'staff: convention PDF', path: numbers.map((number) => `/conventions/${number}/convention.pdf?lang=fr`), expect: 200 },
      { kind: 'staff: small CSV export (~100 rows)', path: exports, expect: 200 },
    ],
  };
}

/**
 * Searches of hosts' postal codes (three first digits) whose CSV export holds about 100 rows for this
 * person, found by exporting them once: the count is the application's own, scoping included.
 */
async function smallExports(baseUrl: string, cookie: string, login: string): Promise<string[]> {
  const prefixes = ['750', '310', '690', '130', '330', '440', '590', '350', '670', '060', '210', '800'];
  const found: { path: string; rows: number }[] = [];
  for (const prefix of prefixes) {
    const path = `/conventions/export.csv?postalCode=${prefix}&columns=${EXPORT_COLUMN_KEYS}`;
    const response = await fetch(`${baseUrl}${path}`, { headers: { cookie } });
    if (response.status !== 200) throw new Error(`export for ${login}: HTTP ${response.status}`);
    found.push({ path, rows: (await response.text()).trim().split('\n').length - 1 });
  }
  found.sort((a, b) => Math.abs(a.rows - 100) - Math.abs(b.rows - 100));
  const chosen = found.slice(0, 3);
  say(`  ${login}: exports of ${chosen.map((candidate) => candidate.rows).join(', ')} rows`);
  return chosen.map((candidate) => candidate.path);
}
