import type TestAgent from 'supertest/lib/agent.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays, formatFrenchDate } from '../../src/rules/calendar.ts';
import { csrfTokenFrom, startTestApp, type TestApp } from '../support/test-app.ts';
import { expectRedirect } from './support.ts';

/**
 * Amendments through HTTP (docs/domain.md): creation with its confirmation, validation, effective
 * values on the convention page, the refusals of the form, the read-only validated amendment (pages and
 * trigger), the withdrawal of the latest, the rights of each kind of person and the workflow hook.
 * The demo's validated convention of etu.droit1 (UFR Droit, managed by gest.droit) is the subject.
 */
const ACTORS = ['etu.droit1', 'etu.sciences1', 'gest.droit', 'gest.sciences', 'lect.sciences', 'admin', 'prof.durand'] as const;
type ActorName = (typeof ACTORS)[number];

describe('amendments', () => {
  let app: TestApp;
  const agents = new Map<ActorName, TestAgent>();
  let number: number;
  let conventionId: number;
  let original: { start_date: string; end_date: string; subject: string; service_id: number; host_id: number; centre_id: number };

  beforeAll(async () => {
    app = await startTestApp();
    const row = await app
      .knex('convention as c')
      .join('student as s', 's.id', 'c.student_id')
      .where({ 's.login': 'etu.droit1', 'c.status': 'validated' })
      .first('c.*');
    number = row.number;
    conventionId = row.id;
    original = row;
    // lect.sciences reads the Droit centre too: a READ member who sees the convention but may not amend it.
    const staff = await app.knex('staff').where({ login: 'lect.sciences' }).first('id');
    await app.knex('centre_member').insert({ centre_id: row.centre_id, staff_id: staff.id, access_right: 'READ', created_by: 'test' });
    for (const actor of ACTORS) agents.set(actor, await app.signIn(actor));
  });
  afterAll(() => app.close());

  const base = () => `/conventions/${number}/amendments`;

  async function send(actor: ActorName, path: string, fields: Record<string, string>) {
    const agent = agents.get(actor)!;
    const token = await csrfTokenFrom(agent, '/');
    return agent
      .post(path)
      .type('form')
      .send({ _csrf: token, ...fields });
  }

  const amendmentRow = (n: number) => app.knex('amendment').where({ convention_id: conventionId, number: n }).first();

  const datesChange = (endDate: string) => ({
    kind: 'changes',
    reason: 'Prolongation demandée par l’organisme.',
    change_dates: 'on',
    start_date: original.start_date,
    end_date: endDate,
  });

  it('creates a dates amendment after a confirmation, validates it, and shows the effective dates', async () => {
    const newEnd = addDays(original.end_date, 7);
    const list = await agents.get('gest.droit')!.get(base());
    expect(list.status).toBe(200);
    expect(list.text).toContain('Avenants');

    const preview = await send('gest.droit', `${base()}/new`, datesChange(newEnd));
    expect(preview.status, preview.text.slice(0, 2000)).toBe(200);
    expect(preview.text).toContain('Vérifiez l’avenant avant de le créer');
    expect(preview.text).toContain(formatFrenchDate(newEnd));
    expect(await app.knex('amendment').where({ convention_id: conventionId }).count({ count: '*' }).first()).toEqual({ count: 0 });

    const created = await send('gest.droit', `${base()}/new`, { ...datesChange(newEnd), confirmed: 'on' });
    expectRedirect(created, `${base()}/1`);
    const amendment = await amendmentRow(1);
    expect(amendment).toMatchObject({ status: 'submitted', kind: 'changes', end_date: newEnd, created_by: 'gest.droit' });
    expect(amendment.total_presence_minutes).toBeGreaterThan(0);
    expect(
      await app
        .knex('audit_log')
        .where({ entity: 'amendment', entity_id: String(amendment.id), action: 'amendment.create' })
        .first(),
    ).toBeTruthy();

    const page = await agents.get('gest.droit')!.get(`${base()}/1`);
    const version = /name="version" value="(\d+)"/.exec(page.text)![1]!;
    expectRedirect(await send('gest.droit', `${base()}/1/validate`, { version }), `${base()}/1`);
    expect(await amendmentRow(1)).toMatchObject({ status: 'validated', validated_by: 'gest.droit' });
    expect(
      await app
        .knex('audit_log')
        .where({ entity: 'amendment', entity_id: String(amendment.id), action: 'amendment.validate' })
        .first(),
    ).toBeTruthy();

    const conventionPage = await agents.get('etu.droit1')!.get(`/conventions/${number}`);
    expect(conventionPage.status).toBe(200);
    expect(conventionPage.text).toContain('Valeurs en vigueur');
    expect(conventionPage.text).toContain(formatFrenchDate(newEnd));
    expect(conventionPage.text).toContain(formatFrenchDate(original.end_date));
    // The convention row itself keeps its original values.
    expect((await app.knex('convention').where({ id: conventionId }).first('end_date')).end_date).toBe(original.end_date);
  });

  it('refuses a change equal to the current effective value, with a message next to the field', async () => {
    const effectiveEnd = (await amendmentRow(1)).end_date as string;
    const sameDates = await send('etu.droit1', `${base()}/new`, { ...datesChange(effectiveEnd), confirmed: 'on' });
    expect(sameDates.status).toBe(422);
    expect(sameDates.text).toContain('identique à la valeur actuelle');
    expect(sameDates.text).toMatch(/id="field-start_date-error"/);

    const sameSubject = await send('etu.droit1', `${base()}/new`, { kind: 'changes', reason: 'Sujet', subject: original.subject, confirmed: 'on' });
    expect(sameSubject.status).toBe(422);
    expect(sameSubject.text).toMatch(/id="field-subject-error"[^>]*>Cette valeur est identique/);

    const nothing = await send('etu.droit1', `${base()}/new`, { kind: 'changes', reason: 'Rien', confirmed: 'on' });
    expect(nothing.status).toBe(422);
    const noReason = await send('etu.droit1', `${base()}/new`, { kind: 'changes', reason: '', other: 'x', confirmed: 'on' });
    expect(noReason.status).toBe(422);
    expect(await app.knex('amendment').where({ convention_id: conventionId }).count({ count: '*' }).first()).toEqual({ count: 1 });
  });

  it('refuses a new place without a new tutor, and a termination outside the period', async () => {
    const [service] = await app
      .knex('host_service')
      .insert({ host_id: original.host_id, name: 'Service juridique (avenant)', created_by: 'test', updated_by: 'test' })
      .returning('id');
    const response = await send('etu.droit1', `${base()}/new`, {
      kind: 'changes',
      reason: 'Changement de service',
      service_id: String(service.id),
      confirmed: 'on',
    });
    expect(response.status).toBe(422);
    expect(response.text).toContain('demande un nouveau tuteur');
    expect(response.text).toMatch(/id="field-tutor_id-error"/);

    const outside = await send('etu.droit1', `${base()}/new`, {
      kind: 'termination',
      reason: 'Fin anticipée',
      termination_date: addDays(original.end_date, 30),
      confirmed: 'on',
    });
    expect(outside.status).toBe(422);
    expect(outside.text).toMatch(/id="field-termination_date-error"/);
  });

  it('keeps a validated amendment read-only: pages refuse, the database trigger refuses', async () => {
    const amendment = await amendmentRow(1);
    const edit = await send('gest.droit', `${base()}/1`, { ...datesChange(addDays(original.end_date, 14)), version: String(amendment.version) });
    expect(edit.status).toBe(403);
    const removal = await send('gest.droit', `${base()}/1/delete`, { version: String(amendment.version) });
    expect(removal.status).toBe(403);
    await expect(app.knex('amendment').where({ id: amendment.id }).update({ reason: 'changé' })).rejects.toThrow(/validated: it cannot be changed/);
    await expect(app.knex('amendment').where({ id: amendment.id }).delete()).rejects.toThrow(/cannot be deleted/);
    expect(await amendmentRow(1)).toEqual(amendment);
  });

  it('blocks withdrawing the convention’s validation while a validated amendment exists', async () => {
    const { version } = await app.knex('convention').where({ id: conventionId }).first('version');
    const response = await send('gest.droit', `/conventions/${number}/validation/withdraw`, { version: String(version) });
    expect(response.status).toBe(409);
    expect((await app.knex('convention').where({ id: conventionId }).first('status')).status).toBe('validated');
  });

  it('lets WRITE staff validate at once, withdraw only the latest validated amendment, then delete it', async () => {
    const created = await send('gest.droit', `${base()}/new`, {
      kind: 'changes',
      reason: 'Précision du sujet',
      subject: 'Veille juridique et rédaction de notes',
      validate_now: 'on',
      confirmed: 'on',
    });
    expectRedirect(created, `${base()}/2`);
    const second = await amendmentRow(2);
    expect(second).toMatchObject({ status: 'validated', validated_by: 'gest.droit' });
    const page = await agents.get('etu.droit1')!.get(`/conventions/${number}`);
    expect(page.text).toContain('Veille juridique et rédaction de notes');

    const first = await amendmentRow(1);
    const notLatest = await send('gest.droit', `${base()}/1/withdraw`, { version: String(first.version) });
    expect(notLatest.status).toBe(422);
    expect((await amendmentRow(1)).status).toBe('validated');

    const byStudent = await send('etu.droit1', `${base()}/2/withdraw`, { version: String(second.version) });
    expect(byStudent.status).toBe(403);
    expectRedirect(await send('gest.droit', `${base()}/2/withdraw`, { version: String(second.version) }), `${base()}/2`);
    const withdrawn = await amendmentRow(2);
    expect(withdrawn).toMatchObject({ status: 'submitted', validated_at: null, subject: 'Veille juridique et rédaction de notes' });
    expect(
      await app
        .knex('audit_log')
        .where({ entity: 'amendment', entity_id: String(second.id), action: 'amendment.withdraw' })
        .first(),
    ).toBeTruthy();

    // Submitted again, it may be edited and deleted by its owner student.
    const edited = await send('etu.droit1', `${base()}/2`, {
      kind: 'changes',
      reason: 'Précision du sujet',
      subject: 'Veille juridique appliquée',
      version: String(withdrawn.version),
    });
    expectRedirect(edited, `${base()}/2`);
    expect((await amendmentRow(2)).subject).toBe('Veille juridique appliquée');
    expectRedirect(await send('etu.droit1', `${base()}/2/delete`, { version: String((await amendmentRow(2)).version) }), base());
    expect(await amendmentRow(2)).toBeUndefined();
  });

  describe('rights of each kind of person', () => {
    // list, create, validate: 200/302 allowed, 403 sees the convention but may not, 404 does not see it.
    const EXPECTED: Record<ActorName, { list: number; create: number; validate: number }> = {
      'etu.droit1': { list: 200, create: 302, validate: 403 },
      'etu.sciences1': { list: 404, create: 404, validate: 404 },
      'gest.droit': { list: 200, create: 302, validate: 302 },
      'gest.sciences': { list: 404, create: 404, validate: 404 },
      'lect.sciences': { list: 200, create: 403, validate: 403 },
      admin: { list: 200, create: 302, validate: 302 },
      'prof.durand': { list: 200, create: 403, validate: 403 },
    };

    it.each(ACTORS)('%s', async (actor) => {
      const expected = EXPECTED[actor];
      expect((await agents.get(actor)!.get(base())).status).toBe(expected.list);
      expect((await agents.get(actor)!.get(`${base()}/new`)).status).toBe(expected.list === 200 ? (expected.create === 302 ? 200 : 403) : 404);
      const before = await app.knex('amendment').where({ convention_id: conventionId }).count({ count: '*' }).first();
      const created = await send(actor, `${base()}/new`, {
        kind: 'changes',
        reason: `Avenant de ${actor}`,
        other: `Horaires précisés par ${actor}`,
        confirmed: 'on',
      });
      expect(created.status, created.text.slice(0, 500)).toBe(expected.create);
      if (created.status !== 302) expect(await app.knex('amendment').where({ convention_id: conventionId }).count({ count: '*' }).first()).toEqual(before);

      // A submitted amendment of the owner, to validate.
      const mine = await send('etu.droit1', `${base()}/new`, { kind: 'changes', reason: `Pour ${actor}`, other: `À valider par ${actor}`, confirmed: 'on' });
      const n = Number(expectRedirect(mine).split('/').pop());
      const row = await amendmentRow(n);
      const validated = await send(actor, `${base()}/${n}/validate`, { version: String(row.version) });
      expect(validated.status).toBe(expected.validate);
      expect((await amendmentRow(n)).status).toBe(expected.validate === 302 ? 'validated' : 'submitted');
    });
  });
});
