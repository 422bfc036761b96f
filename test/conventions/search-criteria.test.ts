import type TestAgent from 'supertest/lib/agent.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { academicYearOf, todayInFrance } from '../../src/rules/academic-year.ts';
import { addDays } from '../../src/rules/calendar.ts';
import { csrfTokenFrom, startTestApp, type TestApp } from '../support/test-app.ts';
import { expectRedirect } from './support.ts';

/**
 * The convention search of /conventions, through HTTP as gest.sciences (WRITE on "UFR
 * Sciences et techniques"): every criterion alone, then combined, against a fixture whose expected
 * results are known; the criteria remembered in the session, the reset, and the criteria typed in error.
 *
 * The demo conventions of the Sciences centre are moved to the IUT centre first, so that the
 * conventions gest.sciences sees are exactly those of the fixture below (c1…c8; c9 is a draft a
 * student is still writing, which staff never see). A convention of UFR Droit matching most criteria
 * (d1) checks that no criterion reaches past the centre.
 */

const today = todayInFrance();
const day = (offset: number) => addDays(today, offset);
const YEAR = academicYearOf(today, { month: 9, day: 1 });
const LAST_YEAR = `${Number(YEAR.slice(0, 4)) - 1}-${YEAR.slice(0, 4)}`;

type Key = 'c1' | 'c2' | 'c3' | 'c4' | 'c5' | 'c6' | 'c7' | 'c8' | 'c9' | 'd1';
const VISIBLE: Key[] = ['c1', 'c2', 'c3', 'c4', 'c5', 'c6', 'c7', 'c8'];
/** Every visible convention but some. */
const allBut = (...keys: Key[]) => VISIBLE.filter((key) => !keys.includes(key));

/** The students of the fixture, with their enrolment (faculty, step). M1ECO (UFR Droit) is managed by Sciences here. */
const STUDENTS = {
  sA: { student_number: '31000001', login: 'search.a', last_name: 'Lambert', first_name: 'Élodie', faculty: 'SCI', step: 'L3INFO' },
  sB: { student_number: '31000002', login: 'search.b', last_name: 'Dupont', first_name: 'Marc', faculty: 'SCI', step: 'M1BIO' },
  sC: { student_number: '31000003', login: 'search.c', last_name: 'Zéphir', first_name: 'Anaïs', faculty: 'SCI', step: 'M2INFO' },
  sD: { student_number: '31000004', login: 'search.d', last_name: 'Dupontel', first_name: 'Albert', faculty: 'DEG', step: 'M1ECO' },
} as const;

const HOSTS = {
  H1: {
    name: 'Société Alpha Numérique',
    siret: '11122233300015',
    naf_code: '62.01Z',
    legal_status_code: 'SAS',
    host_type_code: '3',
    headcount_code: '12',
    postal_code: '44000',
    town: 'Nantes',
    country_code: 'FR',
  },
  H1b: {
    name: 'Société Alpha Numérique Lyon',
    siret: '11122233300023',
    naf_code: '62.01Z',
    legal_status_code: 'SAS',
    host_type_code: '3',
    headcount_code: '41',
    postal_code: '69003',
    town: 'Lyon',
    country_code: 'FR',
  },
  H2: {
    name: 'Hôpital Saint-Éloi',
    siret: '26340000100018',
    naf_code: '86.10Z',
    legal_status_code: 'EPA',
    host_type_code: '1',
    headcount_code: '22',
    postal_code: '34000',
    town: 'Montpellier',
    country_code: 'FR',
  },
  H3: {
    name: 'Berlin Labs GmbH',
    siret: null,
    naf_code: '72.19Z',
    legal_status_code: 'AUTRE',
    host_type_code: '6',
    headcount_code: null,
    postal_code: '10115',
    town: 'Berlin',
    country_code: 'DE',
  },
  H4: {
    name: 'Mairie de Saint-Denis',
    siret: '21974411000018',
    naf_code: '84.11Z',
    legal_status_code: 'CT',
    host_type_code: '1',
    headcount_code: '32',
    postal_code: '97400',
    town: 'Saint-Denis',
    country_code: 'FR',
  },
} as const;

interface Fixture {
  student: keyof typeof STUDENTS | 'etu.droit1';
  year: string;
  status: 'draft' | 'submitted' | 'pedagogically_validated' | 'validated' | 'refused' | 'cancelled';
  enteredByStaff?: boolean;
  type: string;
  kind: string;
  theme: string;
  subject: string;
  start: string;
  end: string;
  days: number;
  gratification: boolean | null;
  workingTime: string;
  language: string;
  country: string;
  host: keyof typeof HOSTS;
  supervisor: 'prof.martin' | 'prof.petit' | 'prof.durand' | null;
  offer?: number;
}

/** The fixture: what each convention is, so what each search must find. */
const FIXTURE: Record<Key, Fixture> = {
  // In progress, ending today.
  c1: {
    student: 'sA',
    year: YEAR,
    status: 'submitted',
    type: 'FI',
    kind: 'OBL',
    theme: '1',
    subject: 'Développement d’une application mobile',
    start: day(-10),
    end: day(0),
    days: 5,
    gratification: true,
    workingTime: 'TCOMP',
    language: 'fr',
    country: 'FR',
    host: 'H1',
    supervisor: 'prof.martin',
    offer: 501,
  },
  // Ended long ago; amended below (its subject gains "et prévisions").
  c2: {
    student: 'sA',
    year: LAST_YEAR,
    status: 'validated',
    type: 'FI',
    kind: 'CONS',
    theme: '11',
    subject: 'Analyse statistique des ventes',
    start: day(-200),
    end: day(-120),
    days: 4,
    gratification: false,
    workingTime: 'TPART',
    language: 'fr',
    country: 'FR',
    host: 'H1b',
    supervisor: 'prof.petit',
  },
  // Starts in exactly one week.
  c3: {
    student: 'sB',
    year: YEAR,
    status: 'pedagogically_validated',
    type: 'FC',
    kind: 'OBL',
    theme: '10',
    subject: 'Étude épidémiologique hospitalière',
    start: day(7),
    end: day(60),
    days: 5,
    gratification: true,
    workingTime: 'TCOMP',
    language: 'fr',
    country: 'FR',
    host: 'H2',
    supervisor: 'prof.petit',
  },
  // Starts in exactly two weeks, abroad, gratification not said.
  c4: {
    student: 'sB',
    year: YEAR,
    status: 'refused',
    type: 'FI',
    kind: 'REOR',
    theme: '1',
    subject: 'Biologie marine et données',
    start: day(14),
    end: day(40),
    days: 3,
    gratification: null,
    workingTime: 'TPART',
    language: 'en',
    country: 'DE',
    host: 'H3',
    supervisor: null,
  },
  // Starts within the month, abroad.
  c5: {
    student: 'sC',
    year: YEAR,
    status: 'cancelled',
    type: 'CS',
    kind: 'CES',
    theme: '3',
    subject: 'Commerce international et logistique',
    start: day(25),
    end: day(80),
    days: 2.5,
    gratification: true,
    workingTime: 'TCOMP',
    language: 'es',
    country: 'ES',
    host: 'H3',
    supervisor: 'prof.martin',
  },
  // Later, in La Réunion: a French overseas département, not abroad.
  c6: {
    student: 'sC',
    year: YEAR,
    status: 'validated',
    type: 'FI',
    kind: 'OBL',
    theme: '11',
    subject: 'Développement d’un entrepôt de données',
    start: day(60),
    end: day(150),
    days: 5,
    gratification: true,
    workingTime: 'TCOMP',
    language: 'fr',
    country: 'RE',
    host: 'H4',
    supervisor: 'prof.martin',
    offer: 502,
  },
  // Ended yesterday.
  c7: {
    student: 'sD',
    year: YEAR,
    status: 'submitted',
    type: 'FI',
    kind: 'OBL',
    theme: '8',
    subject: 'Audit économique des collectivités',
    start: day(-30),
    end: day(-1),
    days: 1,
    gratification: false,
    workingTime: 'TCOMP',
    language: 'fr',
    country: 'FR',
    host: 'H4',
    supervisor: 'prof.durand',
  },
  // A draft entered by staff: the centre's staff see it.
  c8: {
    student: 'sA',
    year: YEAR,
    status: 'draft',
    enteredByStaff: true,
    type: 'FI',
    kind: 'OBL',
    theme: '8',
    subject: 'Brouillon saisi par le service',
    start: day(100),
    end: day(130),
    days: 5,
    gratification: true,
    workingTime: 'TCOMP',
    language: 'fr',
    country: 'FR',
    host: 'H1',
    supervisor: null,
  },
  // A draft the student is writing: never seen by staff, whatever the criteria.
  c9: {
    student: 'sB',
    year: YEAR,
    status: 'draft',
    type: 'FI',
    kind: 'OBL',
    theme: '1',
    subject: 'Développement privé de l’étudiant',
    start: day(5),
    end: day(40),
    days: 5,
    gratification: true,
    workingTime: 'TCOMP',
    language: 'fr',
    country: 'FR',
    host: 'H1',
    supervisor: 'prof.martin',
    offer: 501,
  },
  // UFR Droit: like c1 in every way but its centre.
  d1: {
    student: 'etu.droit1',
    year: YEAR,
    status: 'submitted',
    type: 'FI',
    kind: 'OBL',
    theme: '1',
    subject: 'Développement d’une application mobile',
    start: day(-10),
    end: day(0),
    days: 5,
    gratification: true,
    workingTime: 'TCOMP',
    language: 'fr',
    country: 'FR',
    host: 'H1',
    supervisor: 'prof.martin',
    offer: 501,
  },
};

/** What the list shows: the rows' conventions (number, or draft id) and the total of the caption. */
function rowsOf(html: string): { links: string[]; total: number } {
  const links = [...html.matchAll(/<tr>\s*<th scope="row"><a href="([^"]+)">/g)].map((match) => match[1]!);
  const caption = /<caption>Conventions \((\d+)\)<\/caption>/.exec(html);
  if (!caption) expect(html).toContain('Aucune convention.');
  return { links, total: caption ? Number(caption[1]) : 0 };
}

describe('the convention search, criterion by criterion', () => {
  let app: TestApp;
  let staff: TestAgent;
  /** The address of each convention's row in the list → its key. */
  const keyOf = new Map<string, Key>();
  const numberOf = {} as Record<Key, number | null>;
  /** The number of the offer called 501 or 502 in the fixture. */
  let offerNumber: (offer: number) => number;

  /** The keys of the conventions a search shows (one page: the fixture is smaller than a page), sorted. */
  async function found(query: string, agent: TestAgent = staff): Promise<Key[]> {
    const response = await agent.get(`/conventions?search=1&${query}`);
    expect(response.status, `${query}: ${response.text.slice(0, 500)}`).toBe(200);
    const { links, total } = rowsOf(response.text);
    expect(total, query).toBe(links.length);
    return links.map((link) => keyOf.get(link) ?? (`unknown ${link}` as Key)).sort();
  }

  async function expectFound(query: string, expected: Key[]) {
    expect(await found(query), query).toEqual([...expected].sort());
  }

  beforeAll(async () => {
    app = await startTestApp();
    const knex = app.knex;
    const centre = async (name: string) => (await knex('centre').where({ name }).first('id')).id as number;
    const [sciences, droit, iut] = [await centre('UFR Sciences et techniques'), await centre('UFR Droit et économie'), await centre('IUT')];
    // The demo's Sciences conventions leave the centre: gest.sciences then sees the fixture only.
    await knex('convention').where({ centre_id: sciences }).update({ centre_id: iut });
    await knex('centre_criterion').insert({ centre_id: sciences, kind: 'step', code: 'M1ECO' });

    const enrolments = new Map<string, { studentId: number; byYear: Map<string, number> }>();
    for (const [key, { faculty, step, ...student }] of Object.entries(STUDENTS)) {
      const [{ id }] = await knex('student').insert(student).returning('id');
      const byYear = new Map<string, number>();
      for (const year of [YEAR, LAST_YEAR]) {
        const [enrolment] = await knex('enrolment').insert({ student_id: id, academic_year: year, faculty_code: faculty, step_code: step }).returning('id');
        byYear.set(year, enrolment.id);
      }
      enrolments.set(key, { studentId: id, byYear });
    }
    const droitStudent = await knex('enrolment as e')
      .join('student as s', 's.id', 'e.student_id')
      .where('s.login', 'etu.droit1')
      .first('e.id', 's.id as student_id');
    enrolments.set('etu.droit1', { studentId: droitStudent.student_id, byYear: new Map([[YEAR, droitStudent.id]]) });

    const hostIds = new Map<string, number>();
    for (const [key, host] of Object.entries(HOSTS)) {
      const [{ id }] = await knex('host')
        .insert({ ...host, address: '1 rue de l’Essai', created_by: 'test', updated_by: 'test' })
        .returning('id');
      hostIds.set(key, id);
    }
    // The offers the conventions answer (convention.offer_id is a foreign key to offer).
    const offerIds = new Map<number, number>();
    for (const offer of [501, 502]) {
      const [row] = await knex('offer')
        .insert({
          centre_id: sciences,
          host_id: hostIds.get('H1'),
          kind: 'link',
          link_url: 'https://example.org/offre',
          offer_type: 'STAGE',
          title: `Offre ${offer}`,
          academic_year: YEAR,
          created_by: 'test',
          updated_by: 'test',
        })
        .returning('id');
      offerIds.set(offer, row.id);
    }
    offerNumber = (offer: number) => offerIds.get(offer)!;
    const teachers = new Map<string, number>((await knex('teacher').select('login', 'id')).map((row: { login: string; id: number }) => [row.login, row.id]));

    for (const [key, fixture] of Object.entries(FIXTURE) as [Key, Fixture][]) {
      const enrolment = enrolments.get(fixture.student)!;
      const number = fixture.status === 'draft' ? null : ((await knex.raw("SELECT nextval('convention_number_seq')::int AS number")).rows[0].number as number);
      const [{ id }] = await knex('convention')
        .insert({
          number,
          status: fixture.status,
          student_id: enrolment.studentId,
          enrolment_id: enrolment.byYear.get(fixture.year) ?? enrolment.byYear.get(YEAR),
          centre_id: key === 'd1' ? droit : sciences,
          academic_year: fixture.year,
          entered_by_staff: fixture.enteredByStaff ?? false,
          offer_id: fixture.offer ? offerNumber(fixture.offer) : null,
          host_id: hostIds.get(fixture.host),
          supervisor_teacher_id: fixture.supervisor ? teachers.get(fixture.supervisor) : null,
          social_security_affiliation: 'ASSETUDIANT',
          convention_type: fixture.type,
          internship_kind: fixture.kind,
          theme: fixture.theme,
          subject: fixture.subject,
          start_date: fixture.start,
          end_date: fixture.end,
          days_per_week: fixture.days,
          hours_per_week: 7 * fixture.days,
          working_time: fixture.workingTime,
          gratification: fixture.gratification,
          gratification_amount_cents: fixture.gratification ? 450 : null,
          gratification_per: fixture.gratification ? 'hour' : null,
          gratification_basis: fixture.gratification ? 'NET' : null,
          print_language: fixture.language,
          internship_country: fixture.country,
          total_presence_minutes: 6000,
          created_by: 'test',
          updated_by: 'test',
        })
        .returning('id');
      numberOf[key] = number;
      keyOf.set(number === null ? `/conventions/drafts/${id}/summary` : `/conventions/${number}`, key);
    }

    staff = await app.signIn('gest.sciences');
    // c2 gets a validated amendment through the real amendment pages: its subject becomes "… et prévisions".
    const token = await csrfTokenFrom(staff, '/');
    const created = await staff.post(`/conventions/${numberOf.c2}/amendments/new`).type('form').send({
      _csrf: token,
      kind: 'changes',
      reason: 'Le sujet est élargi.',
      subject: 'Analyse statistique des ventes et prévisions',
      validate_now: 'on',
      confirmed: 'on',
    });
    expectRedirect(created, `/conventions/${numberOf.c2}/amendments/1`);
  });
  afterAll(() => app?.close());

  it('without criteria, shows every convention of the centre and the drafts its staff entered, never a student’s draft nor another centre’s', async () => {
    await expectFound('', VISIBLE);
    const list = await staff.get('/conventions?reset=1').redirects(1);
    expect(list.status).toBe(200);
    expect(
      rowsOf(list.text)
        .links.map((link) => keyOf.get(link))
        .sort(),
    ).toEqual(VISIBLE);
  });

  describe('simple search', () => {
    it('by convention number', async () => {
      await expectFound(`number=${numberOf.c3}`, ['c3']);
      await expectFound(`number=${numberOf.c6}`, ['c6']);
      await expectFound('number=999999', []);
      await expectFound(`number=${numberOf.d1}`, []);
    });

    it('by academic year', async () => {
      await expectFound(`academicYear=${YEAR}`, allBut('c2'));
      await expectFound(`academicYear=${LAST_YEAR}`, ['c2']);
      await expectFound('academicYear=2001-2002', []);
    });

    it('by student number, exactly', async () => {
      await expectFound('studentNumber=31000002', ['c3', 'c4']);
      await expectFound('studentNumber=%2031000004%20', ['c7']);
      await expectFound('studentNumber=3100000', []);
      await expectFound('studentNumber=22100003', []); // etu.droit1, of UFR Droit
    });

    it('by last name: any part, accents and case ignored', async () => {
      await expectFound('lastName=dupont', ['c3', 'c4', 'c7']);
      await expectFound('lastName=DUPONTEL', ['c7']);
      await expectFound('lastName=lambert', ['c1', 'c2', 'c8']);
      await expectFound('lastName=zephir', ['c5', 'c6']);
      await expectFound('lastName=Z%C3%89PHIR', ['c5', 'c6']);
      await expectFound('lastName=garcia', []); // etu.droit1
      // The first name is not the last name.
      await expectFound('lastName=marc', []);
    });

    it('by first name: any part, accents and case ignored', async () => {
      await expectFound('firstName=elodie', ['c1', 'c2', 'c8']);
      await expectFound('firstName=%C3%89LODIE', ['c1', 'c2', 'c8']);
      await expectFound('firstName=ana%C3%AFs', ['c5', 'c6']);
      await expectFound('firstName=lambert', []);
    });

    it('takes %, _ and \\ literally', async () => {
      await expectFound('lastName=%25', []);
      await expectFound('lastName=_', []);
      await expectFound('subject=%5C', []);
      await expectFound('hostName=%25', []);
    });
  });

  describe('advanced search', () => {
    it('by subject: every word, anywhere, accents and case ignored, on the effective subject', async () => {
      await expectFound('subject=d%C3%A9veloppement', ['c1', 'c6']);
      await expectFound('subject=DEVELOPPEMENT%20donnees', ['c6']);
      await expectFound('subject=donn%C3%A9es', ['c4', 'c6']);
      await expectFound('subject=etude', ['c3']);
      await expectFound('subject=%C3%89TUDE%20%C3%A9pid%C3%A9miologique', ['c3']);
      await expectFound('subject=pr%C3%A9visions', ['c2']); // the amendment's subject
      await expectFound('subject=brouillon', ['c8']);
      await expectFound('subject=priv%C3%A9', []);
    });

    it('by convention type, internship kind and theme', async () => {
      await expectFound('conventionType=FI', ['c1', 'c2', 'c4', 'c6', 'c7', 'c8']);
      await expectFound('conventionType=FC', ['c3']);
      await expectFound('conventionType=CS', ['c5']);
      await expectFound('internshipKind=OBL', ['c1', 'c3', 'c6', 'c7', 'c8']);
      await expectFound('internshipKind=CONS', ['c2']);
      await expectFound('internshipKind=REOR', ['c4']);
      await expectFound('internshipKind=CES', ['c5']);
      await expectFound('theme=1', ['c1', 'c4']);
      await expectFound('theme=11', ['c2', 'c6']);
      await expectFound('theme=8', ['c7', 'c8']);
      await expectFound('theme=2', []);
    });

    it('by days per week', async () => {
      await expectFound('daysPerWeek=5', ['c1', 'c3', 'c6', 'c8']);
      await expectFound('daysPerWeek=4', ['c2']);
      await expectFound('daysPerWeek=3', ['c4']);
      await expectFound('daysPerWeek=2.5', ['c5']);
      await expectFound('daysPerWeek=1', ['c7']);
      await expectFound('daysPerWeek=6', []);
    });

    it('by gratification: yes, or no (not paid or not said)', async () => {
      await expectFound('gratification=yes', ['c1', 'c3', 'c5', 'c6', 'c8']);
      await expectFound('gratification=no', ['c2', 'c4', 'c7']);
    });

    it('by working time and print language', async () => {
      await expectFound('workingTime=TPART', ['c2', 'c4']);
      await expectFound('workingTime=TCOMP', allBut('c2', 'c4'));
      await expectFound('printLanguage=en', ['c4']);
      await expectFound('printLanguage=es', ['c5']);
      await expectFound('printLanguage=fr', ['c1', 'c2', 'c3', 'c6', 'c7', 'c8']);
      await expectFound('printLanguage=de', []);
    });

    it('by status: validated, not validated, or each state', async () => {
      await expectFound('status=validated', ['c2', 'c6']);
      await expectFound('status=not_validated', allBut('c2', 'c6'));
      await expectFound('status=submitted', ['c1', 'c7']);
      await expectFound('status=pedagogically_validated', ['c3']);
      await expectFound('status=refused', ['c4']);
      await expectFound('status=cancelled', ['c5']);
      await expectFound('status=draft', ['c8']);
      await expectFound('status=', VISIBLE);
    });

    it('by period relative to today, limits included', async () => {
      await expectFound('period=in_progress', ['c1']);
      await expectFound('period=starting_1w', ['c3']);
      await expectFound('period=starting_2w', ['c3', 'c4']);
      await expectFound('period=starting_1m', ['c3', 'c4', 'c5']);
      await expectFound('period=ended', ['c2', 'c7']);
    });

    it('between two dates: the internships that overlap the period, even by one day', async () => {
      await expectFound(`period=between&from=${day(20)}&to=${day(30)}`, ['c3', 'c4', 'c5']);
      await expectFound(`period=between&from=${day(60)}&to=${day(60)}`, ['c3', 'c5', 'c6']);
      await expectFound(`period=between&from=${day(61)}`, ['c5', 'c6', 'c8']);
      await expectFound(`period=between&to=${day(-1)}`, ['c1', 'c2', 'c7']);
      // Typed by hand in the French format.
      const [year, month, date] = day(61).split('-');
      await expectFound(`period=between&from=${date}%2F${month}%2F${year}`, ['c5', 'c6', 'c8']);
    });

    it('between two dates typed without choosing "between", and with another period', async () => {
      await expectFound(`from=${day(20)}&to=${day(30)}`, ['c3', 'c4', 'c5']);
      await expectFound(`period=ended&from=${day(-40)}`, ['c7']);
    });

    it('by faculties and study steps (multi-selects; both lists must match)', async () => {
      await expectFound('faculty=SCI', allBut('c7'));
      await expectFound('faculty=DEG', ['c7']);
      await expectFound('faculty=SCI&faculty=DEG', VISIBLE);
      await expectFound('step=L3INFO', ['c1', 'c2', 'c8']);
      await expectFound('step=L3INFO&step=M1BIO', ['c1', 'c2', 'c3', 'c4', 'c8']);
      await expectFound('faculty=SCI&step=M2INFO', ['c5', 'c6']);
      await expectFound('faculty=SCI&step=M1ECO', []);
      await expectFound('faculty=LLSH', []);
    });

    it('by academic supervisor (the effective one)', async () => {
      await expectFound('supervisor=martin', ['c1', 'c5', 'c6']);
      await expectFound('supervisor=PETIT', ['c2', 'c3']);
      await expectFound('supervisor=durand', ['c7']);
      await expectFound('supervisor=jeanne', ['c1', 'c5', 'c6']);
      await expectFound('supervisor=personne', []);
    });

    it('by host name, SIRET or SIREN, town, postal code', async () => {
      await expectFound('hostName=alpha', ['c1', 'c2', 'c8']);
      await expectFound('hostName=hopital%20saint-eloi', ['c3']);
      await expectFound('hostName=%C3%89LOI', ['c3']);
      await expectFound('hostName=gmbh', ['c4', 'c5']);
      await expectFound('siret=111222333', ['c1', 'c2', 'c8']);
      await expectFound('siret=11122233300015', ['c1', 'c8']);
      await expectFound('siret=111%20222%20333%2000023', ['c2']);
      await expectFound('siret=2222', []);
      await expectFound('town=nantes', ['c1', 'c8']);
      await expectFound('town=SAINT', ['c6', 'c7']);
      await expectFound('postalCode=44', ['c1', 'c8']);
      await expectFound('postalCode=974', ['c6', 'c7']);
      await expectFound('postalCode=10115', ['c4', 'c5']);
    });

    it('by country of the internship, and the internships abroad only (French overseas territories are not abroad)', async () => {
      await expectFound('country=DE', ['c4']);
      await expectFound('country=ES', ['c5']);
      await expectFound('country=RE', ['c6']);
      await expectFound('country=FR', ['c1', 'c2', 'c3', 'c7', 'c8']);
      await expectFound('foreignOnly=1', ['c4', 'c5']);
    });

    it('by host type, legal status, headcount band and NAF section', async () => {
      await expectFound('hostType=1', ['c3', 'c6', 'c7']);
      await expectFound('hostType=3', ['c1', 'c2', 'c8']);
      await expectFound('hostType=6', ['c4', 'c5']);
      await expectFound('legalStatus=SAS', ['c1', 'c2', 'c8']);
      await expectFound('legalStatus=CT', ['c6', 'c7']);
      await expectFound('legalStatus=EPA', ['c3']);
      await expectFound('headcount=12', ['c1', 'c8']);
      await expectFound('headcount=41', ['c2']);
      await expectFound('headcount=32', ['c6', 'c7']);
      await expectFound('nafSection=J', ['c1', 'c2', 'c8']);
      await expectFound('nafSection=Q', ['c3']);
      await expectFound('nafSection=M', ['c4', 'c5']);
      await expectFound('nafSection=O', ['c6', 'c7']);
      await expectFound('nafSection=A', []);
    });

    it('by offer number, and with or without a validated amendment', async () => {
      await expectFound(`offerNumber=${offerNumber(501)}`, ['c1']);
      await expectFound(`offerNumber=${offerNumber(502)}`, ['c6']);
      await expectFound('offerNumber=999999', []);
      await expectFound('amendments=yes', ['c2']);
      await expectFound('amendments=no', allBut('c2'));
    });
  });

  describe('combined criteria', () => {
    it('keeps the conventions that match every criterion', async () => {
      await expectFound('status=validated&gratification=yes', ['c6']);
      await expectFound('faculty=SCI&period=starting_1m&gratification=yes', ['c3', 'c5']);
      await expectFound(`lastName=lambert&academicYear=${YEAR}`, ['c1', 'c8']);
      await expectFound('hostName=alpha&status=not_validated&daysPerWeek=5', ['c1', 'c8']);
      await expectFound('foreignOnly=1&printLanguage=en', ['c4']);
      await expectFound('subject=d%C3%A9veloppement&supervisor=martin&amendments=no', ['c1', 'c6']);
      await expectFound('nafSection=O&period=ended', ['c7']);
      await expectFound('conventionType=FI&internshipKind=OBL&theme=1&workingTime=TCOMP', ['c1']);
      await expectFound('lastName=dupont&firstName=albert', ['c7']);
      await expectFound('status=refused&foreignOnly=1&country=ES', []);
    });

    it('finds one convention with every criterion of the form filled in', async () => {
      const query = new URLSearchParams({
        number: String(numberOf.c3),
        academicYear: YEAR,
        studentNumber: '31000002',
        lastName: 'dupont',
        firstName: 'marc',
        subject: 'épidémiologique',
        conventionType: 'FC',
        internshipKind: 'OBL',
        theme: '10',
        daysPerWeek: '5',
        gratification: 'yes',
        workingTime: 'TCOMP',
        printLanguage: 'fr',
        status: 'pedagogically_validated',
        period: 'starting_1w',
        faculty: 'SCI',
        step: 'M1BIO',
        supervisor: 'petit',
        hostName: 'saint-éloi',
        siret: '263400001',
        town: 'montpellier',
        postalCode: '34',
        country: 'FR',
        hostType: '1',
        legalStatus: 'EPA',
        headcount: '22',
        nafSection: 'Q',
        amendments: 'no',
      });
      await expectFound(query.toString(), ['c3']);
      // One criterion changed: nothing.
      query.set('headcount', '21');
      await expectFound(query.toString(), []);
    });
  });

  describe('the page of results', () => {
    it('shows the effective values of an amended convention, with its amendments counted', async () => {
      const page = await staff.get(`/conventions?search=1&number=${numberOf.c2}`).expect(200);
      expect(page.text).toContain('Analyse statistique des ventes et prévisions');
      expect(page.text).toContain('1 avenant(s)');
    });

    it('keeps the advanced search open when one of its criteria is used, closed otherwise', async () => {
      expect((await staff.get('/conventions?search=1&lastName=dupont').expect(200)).text).toMatch(/<details class="search-form__advanced">/);
      expect((await staff.get('/conventions?search=1&town=nantes').expect(200)).text).toMatch(/<details class="search-form__advanced" open>/);
    });

    // Hosts by name without accents nor case (Berlin, Hôpital, Mairie, Société… then …Lyon), then by convention.
    it('sorts by host name, the same with criteria on hosts as without', async () => {
      const listed = async (query: string) => rowsOf((await staff.get(`/conventions?search=1&${query}`).expect(200)).text).links.map((link) => keyOf.get(link));
      expect(await listed('sort=host&direction=asc')).toEqual(['c4', 'c5', 'c3', 'c6', 'c7', 'c1', 'c8', 'c2']);
      expect(await listed('sort=host&direction=desc')).toEqual(['c2', 'c8', 'c1', 'c7', 'c6', 'c3', 'c5', 'c4']);
      expect(await listed('hostName=l&sort=host&direction=asc')).toEqual(['c4', 'c5', 'c3', 'c1', 'c8', 'c2']);
      expect(await listed('hostName=saint&sort=host&direction=desc')).toEqual(['c7', 'c6', 'c3']);
    });
  });

  describe('criteria remembered during the session', () => {
    it('shows the last search again on /conventions, with the form filled in', async () => {
      const agent = await app.signIn('gest.sciences');
      await agent.get('/conventions?search=1&lastName=dupont&faculty=SCI&faculty=DEG&status=not_validated&sort=student&direction=asc').expect(200);
      // Back to the list from the menu, or from a convention.
      await agent.get(`/conventions/${numberOf.c3}`).expect(200);
      const again = await agent.get('/conventions').expect(200);
      expect(rowsOf(again.text).links.map((link) => keyOf.get(link))).toEqual(['c3', 'c4', 'c7']);
      expect(again.text).toMatch(/<input type="text" id="field-lastName" name="lastName" value="dupont"/);
      expect(again.text).toMatch(/<option value="SCI" selected>/);
      expect(again.text).toMatch(/<option value="DEG" selected>/);
      expect(again.text).toMatch(/<option value="not_validated" selected>/);
      expect(again.text).toMatch(/<th scope="col" aria-sort="ascending"><a href="[^"]*sort=student/);
      // The next page keeps the criteria too.
      expect(rowsOf((await agent.get('/conventions?page=1').expect(200)).text).links).toHaveLength(3);
      // Another person's session is not touched.
      expect(await found('')).toEqual(VISIBLE);
    });

    it('forgets the criteria when the form is submitted emptied', async () => {
      const agent = await app.signIn('gest.sciences');
      await agent.get('/conventions?search=1&lastName=dupont').expect(200);
      const emptied = await agent.get('/conventions?search=1&number=&lastName=&faculty=&period=').expect(200);
      expect(rowsOf(emptied.text).links).toHaveLength(VISIBLE.length);
      const again = await agent.get('/conventions').expect(200);
      expect(rowsOf(again.text).links).toHaveLength(VISIBLE.length);
      expect(again.text).toMatch(/<input type="text" id="field-lastName" name="lastName" value=""/);
    });

    it('forgets them with the reset button, which goes back to the whole list', async () => {
      const agent = await app.signIn('gest.sciences');
      const search = await agent.get('/conventions?search=1&town=nantes').expect(200);
      expect(search.text).toContain('href="/conventions?reset=1"');
      const reset = await agent.get('/conventions?reset=1');
      expect(reset.status).toBe(303);
      expect(reset.headers.location).toBe('/conventions');
      const list = await agent.get('/conventions').expect(200);
      expect(rowsOf(list.text).links).toHaveLength(VISIBLE.length);
      expect(list.text).toMatch(/<input type="text" id="field-town" name="town" value=""/);
    });

    it('a link with criteria but no form submission shows them without replacing the remembered ones', async () => {
      const agent = await app.signIn('gest.sciences');
      await agent.get('/conventions?search=1&town=nantes').expect(200);
      expect(
        rowsOf((await agent.get('/conventions?status=validated').expect(200)).text)
          .links.map((link) => keyOf.get(link))
          .sort(),
      ).toEqual(['c2', 'c6']);
      expect(
        rowsOf((await agent.get('/conventions').expect(200)).text)
          .links.map((link) => keyOf.get(link))
          .sort(),
      ).toEqual(['c1', 'c8']);
    });
  });

  describe('criteria typed in error', () => {
    it('answers 400 with the French message next to the field, the typed value kept, the criterion not applied', async () => {
      const response = await staff.get('/conventions?search=1&number=12a&town=nantes');
      expect(response.status).toBe(400);
      expect(response.text).toMatch(
        /<input type="text" id="field-number" name="number" value="12a" maxlength="9" autocomplete="off" aria-invalid="true" aria-describedby="field-number-error">/,
      );
      expect(response.text).toContain('<p class="field__error" id="field-number-error">Un numéro de convention ne contient que des chiffres.</p>');
      // The summary of errors links to the field.
      expect(response.text).toContain('<a href="#field-number">Un numéro de convention ne contient que des chiffres.</a>');
      // The other criteria still apply.
      expect(
        rowsOf(response.text)
          .links.map((link) => keyOf.get(link))
          .sort(),
      ).toEqual(['c1', 'c8']);
    });

    it('shows the message of an impossible date, and of a period ending before it starts', async () => {
      const impossible = await staff.get('/conventions?search=1&period=between&from=2027-02-30&to=2027-03-31');
      expect(impossible.status).toBe(400);
      expect(impossible.text).toMatch(/id="field-from" name="from" value="2027-02-30"[^>]*aria-invalid="true"/);
      expect(impossible.text).toContain('<p class="field__error" id="field-from-error">Date invalide (jj/mm/aaaa).</p>');
      // The advanced search is open, so that the message is seen.
      expect(impossible.text).toMatch(/<details class="search-form__advanced" open>/);

      const reversed = await staff.get(`/conventions?search=1&period=between&from=${day(30)}&to=${day(20)}`);
      expect(reversed.status).toBe(400);
      expect(reversed.text).toContain('<p class="field__error" id="field-to-error">La date de fin de la période précède sa date de début.</p>');
      const missing = await staff.get('/conventions?search=1&period=between');
      expect(missing.status).toBe(400);
      expect(missing.text).toContain('<p class="field__error" id="field-from-error">Indiquez au moins une des deux dates.</p>');
    });

    it('escapes what was typed', async () => {
      const response = await staff.get(`/conventions?search=1&academicYear=${encodeURIComponent('"><script>alert(1)</script>')}`);
      expect(response.status).toBe(400);
      expect(response.text).not.toContain('<script>alert(1)</script>');
      expect(response.text).toContain('value="&#34;&gt;&lt;script&gt;alert(1)&lt;/script&gt;"');
      expect(response.text).toContain('Année universitaire au format 2026-2027.');
    });

    it('ignores a forged list value without an error', async () => {
      const response = await staff.get('/conventions?search=1&status=deleted&conventionType=%27%20OR%201%3D1&nafSection=Z&daysPerWeek=9');
      expect(response.status).toBe(200);
      expect(rowsOf(response.text).links).toHaveLength(VISIBLE.length);
    });
  });
});
