import type TestAgent from 'supertest/lib/agent.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAmendment, validateAmendment, withdrawAmendment } from '../../src/conventions/amendments/service.ts';
import { amendmentFormSchema } from '../../src/conventions/amendments/schemas.ts';
import { loadActor, type Actor } from '../../src/access/actor.ts';
import { todayInFrance } from '../../src/rules/academic-year.ts';
import { addDays, formatFrenchDate } from '../../src/rules/calendar.ts';
import { csrfTokenFrom, startTestApp, type TestApp } from '../support/test-app.ts';
import { completeWizard, expectRedirect, internshipFields, postStep } from './support.ts';

/**
 * The search reads effective values (docs/domain.md): after a validated amendment, the convention
 * is found by its new dates, subject, gratification and supervisor, and no longer by the old ones;
 * withdrawing the amendment's validation gives the original values back. A termination shortens the
 * internship for the period criteria. The database keeps a validated convention's own columns
 * read-only and writes its effective columns itself, from the convention and its validated amendments;
 * a convention not validated has its effective values follow its own as the wizard saves them.
 */
const today = todayInFrance();
const day = (offset: number) => addDays(today, offset);

const ORIGINAL = { subject: 'Inventaire des collections botaniques', start: day(10), end: day(37) };
const AMENDED = { subject: 'Numérisation de l’herbier universitaire', start: day(90), end: day(117) };

describe('the search on effective values', () => {
  let app: TestApp;
  let staff: TestAgent;
  let actor: Actor;
  /** A validated Sciences convention, unpaid, 4 weeks from day 10, supervised by prof.martin. */
  let number: number;
  let id: number;
  /** A validated Sciences convention in progress (day −20 to day +20), paid, terminated below. */
  let running: number;
  /** A Sciences convention of the same student starting on day 50, between the original and the amended start. */
  let pivot: number;

  /** The numbers a search shows. */
  async function found(query: string): Promise<number[]> {
    const response = await staff.get(`/conventions?search=1&${query}`);
    expect(response.status, query).toBe(200);
    return [...response.text.matchAll(/<tr>\s*<th scope="row"><a href="\/conventions\/(\d+)">/g)].map((match) => Number(match[1]));
  }

  /** Expects the convention found by the first searches and not by the others. */
  async function expectFoundBy(target: number, by: string[], notBy: string[]) {
    for (const query of by) expect(await found(query), `found by ${query}`).toContain(target);
    for (const query of notBy) expect(await found(query), `not found by ${query}`).not.toContain(target);
  }

  const originalSearches = [
    'subject=botaniques',
    'period=starting_2w',
    `period=between&from=${day(20)}&to=${day(25)}`,
    'gratification=no',
    'supervisor=martin',
    'amendments=no',
  ];
  const amendedSearches = ['subject=herbier', `period=between&from=${day(85)}&to=${day(95)}`, 'gratification=yes', 'amendments=yes'];

  beforeAll(async () => {
    app = await startTestApp();
    const knex = app.knex;
    actor = (await loadActor(knex, 'gest.sciences', ['admin']))!;
    const sciences = (await knex('centre').where({ name: 'UFR Sciences et techniques' }).first('id')).id;
    const martin = (await knex('teacher').where({ login: 'prof.martin' }).first('id')).id;
    const [student] = await knex('student')
      .insert({ login: 'effective.a', student_number: '33000001', last_name: 'Vasseur', first_name: 'Inès' })
      .returning('id');
    const [enrolment] = await knex('enrolment')
      .insert({ student_id: student.id, academic_year: '2026-2027', faculty_code: 'SCI', step_code: 'M1BIO' })
      .returning('id');
    const [host] = await knex('host')
      .insert({
        name: 'Jardin botanique de Nancy',
        siret: '19540000000017',
        naf_code: '91.04Z',
        country_code: 'FR',
        postal_code: '54000',
        town: 'Nancy',
        created_by: 'test',
        updated_by: 'test',
      })
      .returning('id');
    const insert = async (columns: Record<string, unknown>) => {
      const next = (await knex.raw("SELECT nextval('convention_number_seq')::int AS number")).rows[0].number as number;
      const [row] = await knex('convention')
        .insert({
          number: next,
          status: 'validated',
          student_id: student.id,
          enrolment_id: enrolment.id,
          centre_id: sciences,
          academic_year: '2026-2027',
          host_id: host.id,
          supervisor_teacher_id: martin,
          days_per_week: 5,
          hours_per_week: 35,
          working_time: 'TCOMP',
          gratification: false,
          total_presence_minutes: 8400,
          social_security_affiliation: 'ASSETUDIANT',
          internship_country: 'FR',
          created_by: 'test',
          updated_by: 'test',
          ...columns,
        })
        .returning('id');
      return { number: next, id: row.id as number };
    };
    ({ number, id } = await insert({ subject: ORIGINAL.subject, start_date: ORIGINAL.start, end_date: ORIGINAL.end }));
    ({ number: running } = await insert({
      subject: 'Suivi phénologique',
      start_date: day(-20),
      end_date: day(20),
      supervisor_teacher_id: null,
      // Paid: the student's hours in this host pass 308 h with it.
      gratification: true,
      gratification_amount_cents: 500,
      gratification_per: 'hour',
      gratification_basis: 'NET',
    }));
    ({ number: pivot } = await insert({
      status: 'submitted',
      subject: 'Relevés de terrain',
      start_date: day(50),
      end_date: day(55),
      supervisor_teacher_id: null,
    }));
    staff = await app.signIn('gest.sciences');
  });
  afterAll(() => app?.close());

  it('finds a convention by its own values while it has no validated amendment', async () => {
    await expectFoundBy(number, originalSearches, amendedSearches);
    expect(await found('lastName=vasseur&sort=start&direction=asc')).toEqual([running, number, pivot]);
  });

  it('after a validated amendment (dates, subject, gratification), finds it by the new values only', async () => {
    const token = await csrfTokenFrom(staff, '/');
    const created = await staff.post(`/conventions/${number}/amendments/new`).type('form').send({
      _csrf: token,
      kind: 'changes',
      reason: 'Le projet est reporté et précisé ; l’organisme gratifie le stage.',
      change_dates: 'on',
      start_date: AMENDED.start,
      end_date: AMENDED.end,
      subject: AMENDED.subject,
      change_gratification: 'on',
      gratification: 'yes',
      gratification_amount: '5.00',
      gratification_per: 'hour',
      gratification_basis: 'NET',
      validate_now: 'on',
      confirmed: 'on',
    });
    expectRedirect(created, `/conventions/${number}/amendments/1`);
    await expectFoundBy(
      number,
      [...amendedSearches, 'supervisor=martin'],
      ['subject=botaniques', 'period=starting_2w', `period=between&from=${day(20)}&to=${day(25)}`, 'gratification=no', 'amendments=no'],
    );

    // The list shows the effective values, and says the convention is amended.
    const page = (await staff.get(`/conventions?search=1&number=${number}`).expect(200)).text;
    expect(page).toContain(AMENDED.subject);
    expect(page).not.toContain(ORIGINAL.subject);
    expect(page).toContain(`du ${formatFrenchDate(AMENDED.start)} au ${formatFrenchDate(AMENDED.end)}`);
    expect(page).toContain('1 avenant(s)');
    // The sort by start date uses the effective date too: it now starts after the pivot.
    expect(await found('lastName=vasseur&sort=start&direction=asc')).toEqual([running, pivot, number]);
    // The convention's own row keeps its original values.
    expect(await app.knex('convention').where({ id }).first('subject', 'start_date', 'gratification')).toEqual({
      subject: ORIGINAL.subject,
      start_date: ORIGINAL.start,
      gratification: false,
    });
  });

  it('after a second amendment changing the supervisor (created and validated by the service), finds it by the new supervisor', async () => {
    const petit = (await app.knex('teacher').where({ login: 'prof.petit' }).first('id')).id;
    const form = amendmentFormSchema.parse({ kind: 'changes', reason: 'Changement d’enseignant référent.', supervisor_teacher_id: String(petit) });
    const context = { actor, requestId: 'search-effective' };
    const amendmentNumber = await createAmendment(app.knex, context, number, form);
    expect(amendmentNumber).toBe(2);
    // Submitted, not validated: nothing changes yet.
    await expectFoundBy(number, ['supervisor=martin'], ['supervisor=petit']);
    const { version } = await app.knex('amendment').where({ convention_id: id, number: 2 }).first('version');
    await validateAmendment(app.knex, context, number, 2, version);
    await expectFoundBy(number, ['supervisor=petit', 'subject=herbier'], ['supervisor=martin']);
    expect((await staff.get(`/conventions?search=1&number=${number}`)).text).toContain('2 avenant(s)');
  });

  it('withdrawing the validations gives the previous values back, one amendment at a time', async () => {
    // The latest first, through the amendment page.
    const second = await app.knex('amendment').where({ convention_id: id, number: 2 }).first('version');
    const token = await csrfTokenFrom(staff, '/');
    expectRedirect(
      await staff
        .post(`/conventions/${number}/amendments/2/withdraw`)
        .type('form')
        .send({ _csrf: token, version: String(second.version) }),
      `/conventions/${number}/amendments/2`,
    );
    await expectFoundBy(number, ['supervisor=martin', ...amendedSearches], ['supervisor=petit']);

    // Then the first, by the service: no validated amendment is left.
    const first = await app.knex('amendment').where({ convention_id: id, number: 1 }).first('version');
    await withdrawAmendment(app.knex, { actor, requestId: 'search-effective' }, number, 1, first.version);
    await expectFoundBy(number, originalSearches, amendedSearches);
    expect(
      await app.knex('convention').where({ id }).first('validated_amendment_count', 'effective_subject', 'effective_start_date', 'effective_gratification'),
    ).toEqual({
      validated_amendment_count: 0,
      effective_subject: ORIGINAL.subject,
      effective_start_date: ORIGINAL.start,
      effective_gratification: false,
    });
  });

  it('a termination ends the internship for the period criteria', async () => {
    await expectFoundBy(running, ['period=in_progress', `period=between&from=${day(5)}&to=${day(10)}`], ['period=ended']);
    const form = amendmentFormSchema.parse({
      kind: 'termination',
      reason: 'Fin anticipée à la demande de l’étudiante.',
      termination_date: day(-1),
      validate_now: 'on',
    });
    await createAmendment(app.knex, { actor, requestId: 'search-effective' }, running, form);
    await expectFoundBy(
      running,
      ['period=ended', 'amendments=yes', `period=between&from=${day(-5)}&to=${day(-1)}`],
      ['period=in_progress', `period=between&from=${day(5)}&to=${day(10)}`],
    );
  });

  it('the database refuses a change of a validated convention’s own columns, and writes its effective columns itself', async () => {
    const knex = app.knex;
    await expect(knex('convention').where({ id }).update({ subject: 'Changé sans avenant' })).rejects.toThrow(/validated: it is changed only by amendments/);
    await expect(
      knex('convention')
        .where({ id })
        .update({ start_date: day(11) }),
    ).rejects.toThrow(/validated: it is changed only by amendments/);
    await expect(knex('convention').where({ id }).update({ effective_subject: 'Changé', subject: 'Changé' })).rejects.toThrow(/changed only by amendments/);
    await expect(knex('convention').where({ id }).delete()).rejects.toThrow(/cannot be deleted/);

    // With a validated amendment, a value written directly gives way to what the amendments make of the convention.
    const terminated = await knex('convention').where({ number: running }).first('id', 'effective_end_date', 'validated_amendment_count');
    expect(terminated).toMatchObject({ effective_end_date: day(-1), validated_amendment_count: 1 });
    await knex('convention')
      .where({ id: terminated.id })
      .update({ effective_subject: 'Écrit par la main', effective_end_date: day(-2), validated_amendment_count: 0 });
    expect(await knex('convention').where({ id: terminated.id }).first('effective_subject', 'effective_end_date', 'validated_amendment_count')).toEqual({
      effective_subject: 'Suivi phénologique',
      effective_end_date: day(-1),
      validated_amendment_count: 1,
    });
    expect(await found('subject=main')).toEqual([]);

    // Without a validated amendment, the effective values stay the convention's own.
    await knex('convention').where({ id }).update({ effective_subject: 'Écrit à la main' });
    expect((await knex('convention').where({ id }).first('effective_subject')).effective_subject).toBe(ORIGINAL.subject);
  });

  it('a convention not yet validated is found by the values the wizard saves', async () => {
    const student = await app.signIn('etu.sciences1');
    const { number: created } = await completeWizard(student, app.knex, { login: 'etu.sciences1', create: true });
    const base = `/conventions/${created}`;
    expect(await found(`number=${created}&subject=outil`)).toEqual([created]);
    expectRedirect(
      await postStep(
        staff,
        base,
        'internship',
        internshipFields({ subject: 'Refonte du portail documentaire', start_date: '2027-04-05', end_date: '2027-06-25' }),
      ),
      `${base}/internship/confirm`,
    );
    expectRedirect(await postStep(staff, base, 'internship/confirm', {}), `${base}/internship`);
    expect(await found(`number=${created}&subject=portail`)).toEqual([created]);
    expect(await found(`number=${created}&subject=outil`)).toEqual([]);
    expect(await found(`number=${created}&period=between&from=2027-06-20&to=2027-06-30`)).toEqual([created]);
    expect(await found(`number=${created}&period=between&from=2027-03-01&to=2027-03-31`)).toEqual([]);
  });
});
