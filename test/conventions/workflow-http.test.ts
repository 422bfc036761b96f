import type TestAgent from 'supertest/lib/agent.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadActor } from '../../src/access/actor.ts';
import { validationDashboard } from '../../src/conventions/validation/service.ts';
import { addDays } from '../../src/rules/calendar.ts';
import { todayInFrance } from '../../src/rules/academic-year.ts';
import { csrfTokenFrom, startTestApp, type TestApp } from '../support/test-app.ts';
import { completeWizard, expectRedirect, postStep, versionOf } from './support.ts';
import { insertable } from '../support/insertable.ts';

/**
 * The validation workflow through HTTP (docs/domain.md): who may take which action, the refusal and
 * its reason, the history, two staff acting at once, the bulk validation and the home page's lists.
 * UFR Sciences (the demo's) requires the pedagogical validation; the tests turn it off where needed.
 */
const ACTORS = ['etu.sciences1', 'etu.sciences2', 'prof.martin', 'prof.durand', 'lect.sciences', 'gest.sciences', 'gest.droit', 'admin'] as const;
type ActorName = (typeof ACTORS)[number];
type Expected = Record<ActorName, number>;
// Columns: owner, other student, supervising teacher, other teacher, READ of Sciences, WRITE of Sciences,
// WRITE of Droit, super-admin. 302 = done; 403 = sees it but may not; 404 = does not see it; 409 = not in this state.
const codes = (...values: number[]): Expected => Object.fromEntries(ACTORS.map((actor, index) => [actor, values[index]!])) as Expected;

const MATRIX: { action: string; from: string; reason?: string; expected: Expected; to: string }[] = [
  { action: 'validate_pedagogically', from: 'submitted', expected: codes(403, 404, 302, 404, 403, 302, 404, 302), to: 'pedagogically_validated' },
  { action: 'validate', from: 'pedagogically_validated', expected: codes(403, 404, 403, 404, 403, 302, 404, 302), to: 'validated' },
  // The centre requires the pedagogical validation first: nobody may skip it.
  { action: 'validate', from: 'submitted', expected: codes(409, 404, 409, 404, 409, 409, 404, 409), to: 'validated' },
  { action: 'refuse', from: 'submitted', reason: 'Missions à préciser.', expected: codes(403, 404, 403, 404, 403, 302, 404, 302), to: 'refused' },
  { action: 'refuse', from: 'pedagogically_validated', reason: 'Missions à préciser.', expected: codes(403, 404, 403, 404, 403, 302, 404, 302), to: 'refused' },
  { action: 'resubmit', from: 'refused', expected: codes(302, 404, 403, 404, 403, 302, 404, 302), to: 'submitted' },
  { action: 'withdraw', from: 'validated', expected: codes(403, 404, 403, 404, 403, 302, 404, 302), to: 'pedagogically_validated' },
  { action: 'withdraw', from: 'pedagogically_validated', expected: codes(403, 404, 302, 404, 403, 302, 404, 302), to: 'submitted' },
  { action: 'cancel', from: 'submitted', expected: codes(302, 404, 403, 404, 403, 403, 404, 403), to: 'cancelled' },
  { action: 'resubmit', from: 'cancelled', expected: codes(409, 404, 409, 404, 409, 409, 404, 409), to: 'submitted' },
];

describe('validation workflow', () => {
  let app: TestApp;
  const agents = new Map<ActorName, TestAgent>();
  let template: number;

  beforeAll(async () => {
    app = await startTestApp();
    for (const actor of ACTORS) agents.set(actor, await app.signIn(actor));
    template = (await completeWizard(agents.get('etu.sciences1')!, app.knex, { login: 'etu.sciences1', create: true, supervisor: 'prof.martin' })).number!;
  });
  afterAll(() => app.close());

  /** A copy of the wizard's convention in the given state (its own number), to act on. */
  async function conventionIn(status: string, overrides: Record<string, unknown> = {}): Promise<number> {
    const { id: _id, ...row } = await insertable(app.knex, 'convention', await app.knex('convention').where({ number: template }).first());
    const number = ((await app.knex.raw("SELECT nextval('convention_number_seq')::int AS number")) as { rows: { number: number }[] }).rows[0]!.number;
    await app.knex('convention').insert({ ...row, number, status, version: 1, ...overrides });
    return number;
  }

  const stateOf = async (number: number) =>
    (await app.knex('convention').where({ number }).first('status', 'version', 'id')) as { status: string; version: number; id: number };

  async function act(actor: ActorName, number: number, action: string, fields: Record<string, string> = {}) {
    const agent = agents.get(actor)!;
    const token = await csrfTokenFrom(agent, '/');
    const version = String((await stateOf(number)).version);
    return agent
      .post(`/conventions/${number}/validation/${action}`)
      .type('form')
      .send({ _csrf: token, version, ...fields });
  }

  for (const row of MATRIX) {
    it.each(ACTORS)(`${row.action} from ${row.from}: %s`, async (actor) => {
      const number = await conventionIn(row.from);
      const before = await app.knex('convention_transition').count({ count: '*' }).first();
      const response = await act(actor, number, row.action, row.reason ? { reason: row.reason } : {});
      expect(response.status, `${actor} ${row.action}: ${response.text.slice(0, 300)}`).toBe(row.expected[actor]);
      const after = await stateOf(number);
      if (response.status === 302) {
        expect(response.headers.location).toBe(`/conventions/${number}/validation`);
        expect(after.status).toBe(row.to);
        const transition = await app.knex('convention_transition').where({ convention_id: after.id }).orderBy('id', 'desc').first();
        expect(transition).toMatchObject({ action: row.action, from_status: row.from, to_status: row.to, actor_login: actor, reason: row.reason ?? null });
        const audit = await app
          .knex('audit_log')
          .where({ entity: 'convention', entity_id: String(after.id), action: `convention.workflow.${row.action}` })
          .first();
        expect(audit?.actor_login).toBe(actor);
      } else {
        expect(after).toEqual({ ...after, status: row.from, version: 1 });
        expect(await app.knex('convention_transition').count({ count: '*' }).first()).toEqual(before);
        if (response.status === 409) expect(response.text).toContain('Cette action n’est pas possible dans l’état actuel de la convention.');
        if (response.status === 403) expect(response.text).toContain('Vous n’avez pas le droit d’effectuer cette action sur cette convention.');
      }
    });
  }

  it('validates directly when the centre does not require the pedagogical validation, and withdraws to submitted', async () => {
    const sciences = (await app.knex('convention').where({ number: template }).first('centre_id')).centre_id as number;
    await app.knex('centre').where({ id: sciences }).update({ pedagogical_validation_required: false });
    try {
      const number = await conventionIn('submitted');
      expect((await act('prof.martin', number, 'validate_pedagogically')).status).toBe(409);
      expectRedirect(await act('gest.sciences', number, 'validate'), `/conventions/${number}/validation`);
      expect((await stateOf(number)).status).toBe('validated');
      // The read-only trigger still lets the withdrawal change the state.
      expectRedirect(await act('gest.sciences', number, 'withdraw'));
      expect((await stateOf(number)).status).toBe('submitted');
    } finally {
      await app.knex('centre').where({ id: sciences }).update({ pedagogical_validation_required: true });
    }
  });

  it('shows each person the actions open to them, with the tabs Validation and Historique', async () => {
    const number = await conventionIn('submitted');
    const teacher = await agents.get('prof.martin')!.get(`/conventions/${number}/validation`);
    expect(teacher.status).toBe(200);
    expect(teacher.text).toContain('Valider pédagogiquement');
    expect(teacher.text).not.toContain('Refuser la convention');
    expect(teacher.text).toMatch(/<a href="\/conventions\/\d+\/validation" aria-current="page">Validation<\/a>/);
    expect(teacher.text).toContain(`href="/conventions/${number}/history"`);
    const staff = await agents.get('gest.sciences')!.get(`/conventions/${number}/validation`);
    expect(staff.text).toContain('Valider pédagogiquement');
    expect(staff.text).toContain('Refuser la convention');
    expect(staff.text).toContain('name="reason"');
    const reader = await agents.get('lect.sciences')!.get(`/conventions/${number}/validation`);
    expect(reader.status).toBe(200);
    expect(reader.text).toContain('Aucune action de validation ne vous est ouverte');
    expect(reader.text).not.toContain('/validation/');
    expect((await agents.get('gest.droit')!.get(`/conventions/${number}/validation`)).status).toBe(404);
    expect((await agents.get('etu.sciences2')!.get(`/conventions/${number}/history`)).status).toBe(404);
    const summary = await agents.get('etu.sciences1')!.get(`/conventions/${number}`);
    expect(summary.text).toContain(`href="/conventions/${number}/validation"`);
  });

  it('refuses a refusal without a reason, shows the reason to the student, who corrects and resubmits', async () => {
    const number = await conventionIn('submitted');
    const empty = await act('gest.sciences', number, 'refuse', { reason: '   ' });
    expect(empty.status).toBe(422);
    expect(empty.text).toContain('Indiquez le motif du refus : il sera communiqué à l’étudiant.');
    expect((await stateOf(number)).status).toBe('submitted');

    const reason = 'Les dates ne correspondent pas au calendrier de la formation.';
    expectRedirect(await act('gest.sciences', number, 'refuse', { reason }));
    expect((await stateOf(number)).status).toBe('refused');

    const student = agents.get('etu.sciences1')!;
    const page = await student.get(`/conventions/${number}`);
    expect(page.text).toContain('Convention refusée');
    expect(page.text).toContain(reason);
    expect((await student.get(`/conventions/${number}/validation`)).text).toContain(reason);

    // A refused convention is editable by its student, then resubmitted.
    const base = `/conventions/${number}`;
    expectRedirect(
      await postStep(student, base, 'supervisor', {
        supervisor_teacher_id: String((await app.knex('teacher').where({ login: 'prof.martin' }).first('id')).id),
      }),
      `${base}/supervisor`,
    );
    expectRedirect(await act('etu.sciences1', number, 'resubmit'));
    expect((await stateOf(number)).status).toBe('submitted');
    expect((await student.get(`/conventions/${number}`)).text).not.toContain('Convention refusée');
  });

  it('shows the history: who, when, why', async () => {
    const number = await conventionIn('submitted');
    expectRedirect(await act('prof.martin', number, 'validate_pedagogically'));
    expectRedirect(await act('gest.sciences', number, 'refuse', { reason: 'Tuteur à confirmer.' }));
    const page = await agents.get('etu.sciences1')!.get(`/conventions/${number}/history`);
    expect(page.status).toBe(200);
    expect(page.text).toMatch(/<a href="\/conventions\/\d+\/history" aria-current="page">Historique<\/a>/);
    expect(page.text).toContain('Valider pédagogiquement');
    expect(page.text).toContain('Refuser la convention');
    expect(page.text).toContain('(prof.martin)');
    expect(page.text).toContain('(gest.sciences)');
    expect(page.text).toContain('Tuteur à confirmer.');
    expect(page.text).toContain('Créée, en attente de validation → Validée pédagogiquement');
    expect(page.text).toMatch(/<time datetime="\d{4}-\d\d-\d\dT/);
    // The wizard's creation is the first line of its history.
    const created = await agents.get('etu.sciences1')!.get(`/conventions/${template}/history`);
    expect(created.text).toContain('Création');
    expect(created.text).toContain('(etu.sciences1)');
  });

  it('lets exactly one of two staff validating at once succeed; the other gets a clear message', async () => {
    const number = await conventionIn('pedagogically_validated');
    const version = String((await stateOf(number)).version);
    const [first, second] = await Promise.all(
      (['gest.sciences', 'admin'] as const).map(async (actor) => ({ agent: agents.get(actor)!, token: await csrfTokenFrom(agents.get(actor)!, '/') })),
    );
    const responses = await Promise.all(
      [first!, second!].map(({ agent, token }) => agent.post(`/conventions/${number}/validation/validate`).type('form').send({ _csrf: token, version })),
    );
    expect(responses.map((response) => response.status).sort()).toEqual([302, 409]);
    const loser = responses.find((response) => response.status === 409)!;
    expect(loser.text).toContain('Quelqu’un d’autre a agi sur cette convention pendant que vous la consultiez');
    expect(await stateOf(number)).toMatchObject({ status: 'validated', version: 2 });
    const transitions = await app.knex('convention_transition').where({ convention_id: (await stateOf(number)).id, action: 'validate' });
    expect(transitions).toHaveLength(1);
  });

  it('refuses a form opened before someone else acted (stale version)', async () => {
    const number = await conventionIn('submitted');
    const version = await versionOf(agents.get('gest.sciences')!, `/conventions/${number}/validation`);
    expectRedirect(await act('prof.martin', number, 'validate_pedagogically'));
    const token = await csrfTokenFrom(agents.get('gest.sciences')!, '/');
    const stale = await agents
      .get('gest.sciences')!
      .post(`/conventions/${number}/validation/refuse`)
      .type('form')
      .send({ _csrf: token, version, reason: 'Trop tard' });
    expect(stale.status).toBe(409);
    expect((await stateOf(number)).status).toBe('pedagogically_validated');
  });

  it('refuses a forged action or version, and a post without its CSRF token', async () => {
    const number = await conventionIn('submitted');
    const agent = agents.get('gest.sciences')!;
    const token = await csrfTokenFrom(agent, '/');
    expect((await agent.post(`/conventions/${number}/validation/teleport`).type('form').send({ _csrf: token, version: '1' })).status).toBe(400);
    expect((await agent.post(`/conventions/${number}/validation/refuse`).type('form').send({ _csrf: token, reason: 'x' })).status).toBe(400);
    expect((await agent.post(`/conventions/${number}/validation/refuse`).type('form').send({ version: '1', reason: 'x' })).status).toBe(403);
    expect((await stateOf(number)).status).toBe('submitted');
  });

  it('validates in bulk those whose state allows it and reports the others', async () => {
    const ready = await conventionIn('pedagogically_validated');
    const ready2 = await conventionIn('pedagogically_validated');
    const waiting = await conventionIn('submitted');
    const done = await conventionIn('validated');
    const droit = (
      await app
        .knex('convention as c')
        .join('centre as ce', 'ce.id', 'c.centre_id')
        .where('ce.name', 'UFR Droit et économie')
        .whereNotNull('c.number')
        .whereNot('c.status', 'validated')
        .first('c.number')
    ).number as number;
    const agent = agents.get('gest.sciences')!;
    const list = await agent.get('/conventions');
    expect(list.text).toContain('action="/conventions/bulk-validation"');
    expect(list.text).toContain(`name="numbers" value="${ready}"`);
    expect((await agents.get('lect.sciences')!.get('/conventions')).text).not.toContain('bulk-validation');
    const token = await csrfTokenFrom(agent, '/conventions');
    const response = await agent
      .post('/conventions/bulk-validation')
      .type('form')
      .send(`_csrf=${encodeURIComponent(token)}&numbers=${ready}&numbers=${waiting}&numbers=${done}&numbers=${droit}&numbers=${ready2}`);
    expect(response.status).toBe(200);
    expect(response.text).toContain(`Conventions validées (2) : n° ${Math.min(ready, ready2)}, n° ${Math.max(ready, ready2)}.`);
    expect(response.text).toContain('Son état ne permet pas la validation administrative');
    expect(response.text).toContain('Convention introuvable ou hors de vos centres de gestion.');
    expect((await stateOf(ready)).status).toBe('validated');
    expect((await stateOf(ready2)).status).toBe('validated');
    expect((await stateOf(waiting)).status).toBe('submitted');
    expect((await app.knex('convention').where({ number: droit }).first('status')).status).not.toBe('validated');
    // A student's bulk validation validates nothing.
    const studentToken = await csrfTokenFrom(agents.get('etu.sciences1')!, '/');
    const other = await conventionIn('pedagogically_validated');
    const refused = await agents
      .get('etu.sciences1')!
      .post('/conventions/bulk-validation')
      .type('form')
      .send({ _csrf: studentToken, numbers: String(other) });
    expect(refused.status).toBe(200);
    expect(refused.text).toContain('Vous n’avez pas le droit de valider les conventions de ce centre de gestion.');
    expect((await stateOf(other)).status).toBe('pedagogically_validated');
  });

  it('lists, for the home page, what waits for my validation and what starts soon without being validated', async () => {
    const today = todayInFrance();
    const soon = await conventionIn('submitted', { start_date: addDays(today, 3), end_date: addDays(today, 60) });
    const later = await conventionIn('pedagogically_validated', { start_date: addDays(today, 100), end_date: addDays(today, 160) });
    const validatedSoon = await conventionIn('validated', { start_date: addDays(today, 2), end_date: addDays(today, 60) });
    const numbers = (rows: { number: number }[]) => rows.map((row) => row.number);

    const staff = await validationDashboard(app.knex, (await loadActor(app.knex, 'gest.sciences', []))!, today);
    expect(numbers(staff.awaitingMyValidation)).toEqual(expect.arrayContaining([soon, later]));
    expect(numbers(staff.startingSoon)).toContain(soon);
    expect(numbers(staff.startingSoon)).not.toContain(later);
    expect(numbers([...staff.awaitingMyValidation, ...staff.startingSoon])).not.toContain(validatedSoon);

    const teacher = await validationDashboard(app.knex, (await loadActor(app.knex, 'prof.martin', []))!, today);
    expect(numbers(teacher.awaitingMyValidation)).toContain(soon);
    expect(numbers(teacher.awaitingMyValidation)).not.toContain(later);

    const reader = await validationDashboard(app.knex, (await loadActor(app.knex, 'lect.sciences', []))!, today);
    expect(reader.awaitingMyValidation).toEqual([]);
    expect(numbers(reader.startingSoon)).toContain(soon);

    const otherCentre = await validationDashboard(app.knex, (await loadActor(app.knex, 'gest.droit', []))!, today);
    expect(numbers([...otherCentre.awaitingMyValidation, ...otherCentre.startingSoon])).not.toContain(soon);
  });

  it('keeps the demo conventions’ history, and a direct update of a validated convention is still refused', async () => {
    const demo = await app.knex('convention').where({ status: 'refused', created_by: 'demo' }).first('id');
    const refusal = await app.knex('convention_transition').where({ convention_id: demo.id, action: 'refuse' }).first();
    expect(refusal.reason).toBeTruthy();
    const validated = await conventionIn('validated');
    await expect(app.knex('convention').where({ number: validated }).update({ subject: 'Changé' })).rejects.toThrow(/validated/);
    await expect(app.knex('convention_transition').where({ convention_id: demo.id }).update({ reason: 'x' })).rejects.toThrow(/append-only/);
  });
});
