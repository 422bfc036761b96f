import type TestAgent from 'supertest/lib/agent.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { todayInFrance } from '../../src/rules/academic-year.ts';
import { addDays } from '../../src/rules/calendar.ts';
import { csrfTokenFrom, startTestApp, type TestApp } from '../support/test-app.ts';
import { expectRedirect } from './support.ts';

/**
 * The scope of the convention search (docs/domain.md): a staff member only ever sees the
 * conventions of their centres (not the drafts students are writing), a teacher those they
 * supervise, a student their own, the super-admin all — whatever the criteria, sort or page typed in
 * the address bar. Each person's whole list is compared with their scope, then every crafted query
 * string must answer without a server error and show no row outside it.
 *
 * Besides the demo conventions: a validated Sciences convention whose supervisor prof.martin was
 * replaced by prof.durand through a validated amendment, a Droit convention supervised by
 * prof.martin, a draft entered by Sciences staff, a student's draft naming prof.martin, and one
 * convention each for the IUT and the institution's centre.
 */
const ACTORS = [
  'gest.sciences',
  'lect.sciences',
  'resp.sciences',
  'gest.droit',
  'gest.iut',
  'agent.stages',
  'prof.martin',
  'prof.durand',
  'prof.petit',
  'etu.sciences1',
  'etu.sciences2',
  'etu.droit1',
  'admin',
] as const;
type ActorName = (typeof ACTORS)[number];

interface ConventionFacts {
  id: number;
  number: number | null;
  status: string;
  centre_id: number;
  entered_by_staff: boolean;
  student_id: number;
  supervisor_teacher_id: number | null;
  effective_supervisor_teacher_id: number | null;
}

const today = todayInFrance();

describe('the scope of the convention search', () => {
  let app: TestApp;
  const agents = new Map<ActorName, TestAgent>();
  let conventions: ConventionFacts[];
  /** For each person: the conventions they must see, and those they may see (a teacher: the former or the new supervisor). */
  const scope = new Map<ActorName, { must: Set<number>; may: Set<number> }>();
  const centres = new Map<string, number>();
  let amendedNumber: number;
  let teacherIds: Map<string, number>;

  beforeAll(async () => {
    app = await startTestApp();
    const knex = app.knex;
    for (const row of (await knex('centre').select('id', 'name')) as { id: number; name: string }[]) centres.set(row.name, row.id);
    teacherIds = new Map((await knex('teacher').select('login', 'id')).map((row: { login: string; id: number }) => [row.login, row.id]));
    const host = await knex('host').where({ name: 'Laboratoire Océan Bleu' }).first('id');
    const enrolment = async (login: string) =>
      knex('enrolment as e').join('student as s', 's.id', 'e.student_id').where('s.login', login).first('e.id', 'e.student_id', 'e.academic_year');

    const insert = async (login: string, centre: string, columns: Record<string, unknown>) => {
      const e = await enrolment(login);
      const status = (columns.status as string | undefined) ?? 'submitted';
      const number = status === 'draft' ? null : (await knex.raw("SELECT nextval('convention_number_seq')::int AS number")).rows[0].number;
      await knex('convention').insert({
        number,
        status,
        student_id: e.student_id,
        enrolment_id: e.id,
        centre_id: centres.get(centre),
        academic_year: e.academic_year,
        host_id: host.id,
        start_date: addDays(today, 40),
        end_date: addDays(today, 60),
        days_per_week: 5,
        hours_per_week: 35,
        total_presence_minutes: 6000,
        social_security_affiliation: 'ASSETUDIANT',
        subject: 'Stage du périmètre',
        created_by: 'test',
        updated_by: 'test',
        ...columns,
      });
      return number as number | null;
    };
    amendedNumber = (await insert('etu.sciences2', 'UFR Sciences et techniques', {
      status: 'validated',
      supervisor_teacher_id: teacherIds.get('prof.martin'),
      subject: 'Encadrant changé par avenant',
    }))!;
    await insert('etu.droit1', 'UFR Droit et économie', { supervisor_teacher_id: teacherIds.get('prof.martin'), subject: 'Droit, encadré par Martin' });
    await insert('etu.sciences1', 'UFR Sciences et techniques', { status: 'draft', entered_by_staff: true, subject: 'Brouillon du service' });
    await insert('etu.sciences1', 'UFR Sciences et techniques', {
      status: 'draft',
      supervisor_teacher_id: teacherIds.get('prof.martin'),
      subject: 'Brouillon de l’étudiante',
    });
    // The IUT (a step centre) and the institution's centre (orphan enrolments) have theirs.
    await insert('etu.iut1', 'IUT', { status: 'pedagogically_validated', supervisor_teacher_id: teacherIds.get('prof.petit') });
    await insert('etu.lettres1', 'Université de démonstration', { status: 'refused' });

    for (const actor of ACTORS) agents.set(actor, await app.signIn(actor));

    // The supervisor changes through a validated amendment, in the real amendment pages.
    const staff = agents.get('gest.sciences')!;
    const created = await staff
      .post(`/conventions/${amendedNumber}/amendments/new`)
      .type('form')
      .send({
        _csrf: await csrfTokenFrom(staff, '/'),
        kind: 'changes',
        reason: 'L’enseignante part en détachement.',
        supervisor_teacher_id: String(teacherIds.get('prof.durand')),
        validate_now: 'on',
        confirmed: 'on',
      });
    expectRedirect(created, `/conventions/${amendedNumber}/amendments/1`);

    conventions = (await knex('convention').select(
      'id',
      'number',
      'status',
      'centre_id',
      'entered_by_staff',
      'student_id',
      'supervisor_teacher_id',
      'effective_supervisor_teacher_id',
    )) as ConventionFacts[];
    expect(conventions.find((row) => row.number === amendedNumber)).toMatchObject({
      supervisor_teacher_id: teacherIds.get('prof.martin'),
      effective_supervisor_teacher_id: teacherIds.get('prof.durand'),
    });

    // Each person's scope, from the directory and the memberships, as docs/domain.md states it.
    for (const actor of ACTORS) {
      const memberships = (await knex('centre_member as m').join('staff as p', 'p.id', 'm.staff_id').where('p.login', actor).pluck('m.centre_id')) as number[];
      const student = await knex('student').where({ login: actor }).first('id');
      const teacher = teacherIds.get(actor);
      const must = new Set<number>();
      const may = new Set<number>();
      for (const row of conventions) {
        const staffSees = memberships.includes(row.centre_id) && (row.status !== 'draft' || row.entered_by_staff);
        const studentSees = student !== undefined && row.student_id === student.id;
        const supervises = (id: number | null) => teacher !== undefined && id === teacher && row.status !== 'draft';
        if (actor === 'admin' || staffSees || studentSees || (supervises(row.supervisor_teacher_id) && supervises(row.effective_supervisor_teacher_id)))
          must.add(row.id);
        if (must.has(row.id) || supervises(row.supervisor_teacher_id) || supervises(row.effective_supervisor_teacher_id)) may.add(row.id);
      }
      scope.set(actor, { must, may });
    }
  });
  afterAll(() => app?.close());

  /** The conventions a list shows, on every page (following its own links), as ids. */
  async function shown(actor: ActorName, address: string): Promise<{ ids: number[]; statuses: number[] }> {
    const agent = agents.get(actor)!;
    const ids: number[] = [];
    const statuses: number[] = [];
    let next: string | null = address;
    while (next !== null) {
      const response = await agent.get(next);
      statuses.push(response.status);
      expect([200, 400], `${actor} ${next}: ${response.text.slice(0, 300)}`).toContain(response.status);
      for (const [, link] of response.text.matchAll(/<tr>\s*<th scope="row"><a href="([^"]+)">/g)) {
        const draft = /^\/conventions\/drafts\/(\d+)\/summary$/.exec(link!);
        const numbered = /^\/conventions\/(\d+)$/.exec(link!);
        const row = draft
          ? conventions.find((convention) => convention.id === Number(draft[1]))
          : conventions.find((convention) => convention.number === Number(numbered?.[1]));
        expect(row, `${actor} ${next}: row ${link}`).toBeDefined();
        ids.push(row!.id);
      }
      const following = /<a href="([^"]+)">Page suivante<\/a>/.exec(response.text);
      next = following ? following[1]!.replaceAll('&amp;', '&') : null;
      expect(statuses.length).toBeLessThan(20);
    }
    return { ids, statuses };
  }

  function expectWithinScope(actor: ActorName, address: string, ids: number[]) {
    const outside = ids.filter((id) => !scope.get(actor)!.may.has(id));
    expect(
      outside.map((id) => conventions.find((row) => row.id === id)?.number ?? `draft ${id}`),
      `${actor} ${address}: rows outside the scope`,
    ).toEqual([]);
    expect(new Set(ids).size, `${actor} ${address}: a row repeated`).toBe(ids.length);
  }

  it.each(ACTORS)('%s sees their whole scope, and nothing else, without criteria', async (actor) => {
    const { ids } = await shown(actor, '/conventions?search=1');
    expectWithinScope(actor, '/conventions', ids);
    for (const id of scope.get(actor)!.must)
      expect(ids, `${actor}: convention ${conventions.find((row) => row.id === id)?.number ?? `draft ${id}`} missing`).toContain(id);
    expect(ids.length).toBeGreaterThan(0);
  });

  it('gives the READ and WRITE staff of one centre the same list, and staff of another centre none of it', async () => {
    const sciences = (await shown('gest.sciences', '/conventions?search=1')).ids.sort();
    expect((await shown('lect.sciences', '/conventions?search=1')).ids.sort()).toEqual(sciences);
    expect((await shown('resp.sciences', '/conventions?search=1')).ids.sort()).toEqual(sciences);
    const droit = (await shown('gest.droit', '/conventions?search=1')).ids;
    expect(droit.filter((id) => sciences.includes(id))).toEqual([]);
  });

  /** Query strings typed in the address bar, to reach past the scope or break the page. */
  const crafted = (): string[] => [
    'faculty=SCI',
    'faculty=DEG',
    'faculty=SCI&faculty=DEG&faculty=IUT&faculty=LLSH',
    'step=L3DROIT&step=L3INFO&step=M1BIO&step=BUTINFO2',
    `centre_id=${centres.get('UFR Droit et économie')}&centre=${centres.get('UFR Sciences et techniques')}&centreId=${centres.get('IUT')}`,
    'status=draft',
    'status=validated',
    'status=not_validated',
    'status[]=draft',
    'page=99999999',
    'page=-5',
    'number[]=1',
    `number=1&number=${amendedNumber}`,
    'sort=id;drop%20table%20convention&direction=asc;--',
    'sort[]=host&direction[x]=asc',
    'studentNumber=22100003',
    'lastName=garcia',
    'lastName[]=moreau',
    'lastName=%25',
    'lastName=_',
    'subject=%25%20_',
    'supervisor=martin',
    'supervisor=durand',
    'amendments=yes',
    'faculty[]=SCI',
    'faculty[x]=DEG',
    'academicYear=2026-2027',
    'hostName=oc%C3%A9an',
    'period=between&from=2000-01-01&to=2100-12-31',
    'period=between&from=1900-01-01',
    'number=0',
    'number=2147483648',
    'number=999999999',
    'offerNumber=999999999',
    'siret=00000000000000',
    `number=${'9'.repeat(200)}`,
    `lastName=${'x'.repeat(5000)}`,
    'lastName=%00',
    'subject=%E2%80%AE',
  ];

  it.each(ACTORS)('%s: crafted query strings never show a row outside the scope, nor an error page', async (actor) => {
    for (const query of crafted()) {
      for (const address of [`/conventions?search=1&${query}`, `/conventions?${query}`]) {
        const { ids } = await shown(actor, address);
        expectWithinScope(actor, address, ids);
      }
    }
    // The last crafted search, remembered in the session, is read again within the scope.
    const { ids } = await shown(actor, '/conventions');
    expectWithinScope(actor, '/conventions (remembered)', ids);
  });

  it.each(ACTORS)('%s: a search by number finds a convention only within the scope', async (actor) => {
    for (const convention of conventions.filter((row) => row.number !== null)) {
      const { ids } = await shown(actor, `/conventions?search=1&number=${convention.number}`);
      if (scope.get(actor)!.must.has(convention.id)) expect(ids, `${actor} n° ${convention.number}`).toEqual([convention.id]);
      else if (!scope.get(actor)!.may.has(convention.id)) expect(ids, `${actor} n° ${convention.number}`).toEqual([]);
    }
  });

  it('shows another centre nothing of the faculties, steps or students of a centre', async () => {
    expect((await shown('gest.droit', '/conventions?search=1&faculty=SCI')).ids).toEqual([]);
    expect((await shown('gest.droit', '/conventions?search=1&step=L3INFO&step=M1BIO')).ids).toEqual([]);
    expect((await shown('gest.droit', '/conventions?search=1&lastName=moreau')).ids).toEqual([]);
    expect((await shown('gest.sciences', '/conventions?search=1&studentNumber=22100003')).ids).toEqual([]);
    expect((await shown('lect.sciences', '/conventions?search=1&faculty=DEG')).ids).toEqual([]);
    // A staff member never sees a draft a student is writing, even asking for drafts.
    const drafts = (await shown('gest.sciences', '/conventions?search=1&status=draft')).ids;
    expect(drafts.map((id) => conventions.find((row) => row.id === id)!.entered_by_staff)).toEqual([true]);
  });

  it('shows a student only their own conventions, drafts included, whatever they type', async () => {
    const own = async (login: string) => {
      const student = await app.knex('student').where({ login }).first('id');
      return conventions
        .filter((row) => row.student_id === student.id)
        .map((row) => row.id)
        .sort();
    };
    expect((await shown('etu.sciences1', '/conventions?search=1')).ids.sort()).toEqual(await own('etu.sciences1'));
    expect((await shown('etu.sciences1', '/conventions?search=1&lastName=garcia')).ids).toEqual([]);
    expect((await shown('etu.droit1', '/conventions?search=1&faculty=SCI&status=draft')).ids).toEqual([]);
    const drafts = (await shown('etu.sciences1', '/conventions?search=1&status=draft')).ids;
    expect(drafts.length).toBe(conventions.filter((row) => row.status === 'draft' && drafts.includes(row.id)).length);
    expect(drafts.length).toBeGreaterThanOrEqual(2);
    // The student's list has no search form.
    expect((await agents.get('etu.sciences1')!.get('/conventions')).text).not.toContain('name="faculty"');
  });

  it('shows a teacher the conventions they supervise, never a draft, and finds by the effective supervisor', async () => {
    const martin = (await shown('prof.martin', '/conventions?search=1')).ids;
    expect(martin.every((id) => conventions.find((row) => row.id === id)!.status !== 'draft')).toBe(true);
    // The Droit convention prof.martin supervises is in their list: a teacher's scope is not a centre.
    const droit = conventions.find(
      (row) => row.centre_id === centres.get('UFR Droit et économie') && row.supervisor_teacher_id === teacherIds.get('prof.martin'),
    )!;
    expect(martin).toContain(droit.id);
    expect((await shown('prof.durand', '/conventions?search=1&number=' + droit.number)).ids).toEqual([]);

    // The search by supervisor reads the effective supervisor (after the validated amendment).
    const amended = conventions.find((row) => row.number === amendedNumber)!;
    expect((await shown('gest.sciences', '/conventions?search=1&supervisor=durand')).ids).toEqual([amended.id]);
    expect((await shown('gest.sciences', '/conventions?search=1&supervisor=martin')).ids).not.toContain(amended.id);
    expect((await shown('admin', '/conventions?search=1&supervisor=martin')).ids.sort()).toEqual(
      conventions
        .filter((row) => row.effective_supervisor_teacher_id === teacherIds.get('prof.martin'))
        .map((row) => row.id)
        .sort(),
    );
  });
});
