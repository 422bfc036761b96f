import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Knex } from 'knex';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';
import { queueNotifications } from '../../src/notifications/queue.ts';
import { demoConvention, optIn } from './support.ts';

interface Row {
  kind: string;
  convention_id: number;
  recipient: string;
  subject: string;
  text_body: string;
  link: string | null;
  status: string;
  attempts: number;
  created_by: string;
}

let database: TestDatabase;
let knex: Knex;

beforeAll(async () => {
  database = await createTestDatabase();
  knex = database.knex;
});
afterAll(async () => {
  await database.drop();
});
beforeEach(async () => {
  await knex('notification').delete();
  await knex('centre_member').update({ notify: false });
});

async function rows(): Promise<Row[]> {
  return (await knex('notification').orderBy('recipient').select()) as Row[];
}

describe('recipients of each event, on the demo data', () => {
  it('a submission goes to the supervising teacher only while nobody of the centre has opted in', async () => {
    const convention = await demoConvention(knex, 'etu.sciences1', 'submitted');
    await queueNotifications(knex, { kind: 'submitted', conventionId: convention.id, actorLogin: 'etu.sciences1' });
    const queued = await rows();
    expect(queued.map((row) => row.recipient)).toEqual(['jeanne.martin@univ-demo.fr']);
    expect(queued[0]).toMatchObject({
      kind: 'submitted',
      convention_id: convention.id,
      status: 'queued',
      attempts: 0,
      created_by: 'etu.sciences1',
      link: `/conventions/${convention.number}`,
    });
  });

  it('a submission goes to the members of the convention’s centre who opted in, and to the supervisor', async () => {
    const convention = await demoConvention(knex, 'etu.sciences1', 'submitted');
    // Opted in: two members of UFR Sciences, and members of other centres who must not receive it.
    await optIn(knex, ['resp.sciences', 'lect.sciences', 'gest.droit', 'agent.stages']);
    await queueNotifications(knex, { kind: 'submitted', conventionId: convention.id, actorLogin: 'etu.sciences1' });
    expect((await rows()).map((row) => row.recipient)).toEqual(['jeanne.martin@univ-demo.fr', 'luc.lecteur@univ-demo.fr', 'remi.responsable@univ-demo.fr']);
  });

  it('a change by the student goes to the same people: members who opted in and the supervisor', async () => {
    const convention = await demoConvention(knex, 'etu.sciences2', 'pedagogically_validated');
    await optIn(knex, ['gest.sciences']);
    await queueNotifications(knex, { kind: 'changed_by_student', conventionId: convention.id, actorLogin: 'etu.sciences2' });
    const queued = await rows();
    expect(queued.map((row) => row.recipient)).toEqual(['nadia.petit@univ-demo.fr', 'sophie.gestionnaire@univ-demo.fr']);
    expect(queued[0]!.subject).toBe(`Convention n° ${convention.number} modifiée par Thomas Nguyen`);
    expect(queued[0]!.text_body).toContain('modifiée par l’étudiant');
  });

  it('a member who opted out again receives nothing; an address is never queued twice', async () => {
    const convention = await demoConvention(knex, 'etu.droit1', 'refused');
    await optIn(knex, ['gest.droit']);
    await optIn(knex, ['gest.droit'], false);
    // A member whose address is the supervisor's, in other letter cases.
    await knex('staff').where({ login: 'gest.droit' }).update({ email: 'Pierre.Durand@univ-demo.fr' });
    await optIn(knex, ['gest.droit']);
    await queueNotifications(knex, { kind: 'submitted', conventionId: convention.id, actorLogin: 'etu.droit1' });
    expect((await rows()).map((row) => row.recipient.toLowerCase())).toEqual(['pierre.durand@univ-demo.fr']);
    await knex('staff').where({ login: 'gest.droit' }).update({ email: 'denis.gestionnaire@univ-demo.fr' });
  });

  it('a validation goes to the student only, whoever opted in', async () => {
    const convention = await demoConvention(knex, 'etu.droit1', 'validated');
    await optIn(knex, ['gest.droit']);
    await queueNotifications(knex, { kind: 'validated', conventionId: convention.id, actorLogin: 'gest.droit' });
    const queued = await rows();
    expect(queued.map((row) => row.recipient)).toEqual(['ines.garcia@etu.univ-demo.fr']);
    expect(queued[0]!.subject).toBe(`Votre convention de stage n° ${convention.number} est validée`);
    expect(queued[0]!.text_body).toContain('a été validée par le centre de gestion UFR Droit et économie');
  });

  it('a refusal goes to the student with its reason', async () => {
    const convention = await demoConvention(knex, 'etu.droit1', 'refused');
    await queueNotifications(knex, { kind: 'refused', conventionId: convention.id, actorLogin: 'gest.droit', reason: 'Le tuteur n’est pas renseigné.' });
    const queued = await rows();
    expect(queued.map((row) => row.recipient)).toEqual(['ines.garcia@etu.univ-demo.fr']);
    expect(queued[0]!.subject).toBe(`Votre convention de stage n° ${convention.number} a été refusée`);
    expect(queued[0]!.text_body).toContain('Motif du refus : Le tuteur n’est pas renseigné.');
  });

  it('no supervisor and nobody opted in: nothing is queued; a student without address neither', async () => {
    const convention = await demoConvention(knex, 'etu.sciences1', 'submitted');
    await knex('convention').where({ id: convention.id }).update({ supervisor_teacher_id: null });
    await queueNotifications(knex, { kind: 'submitted', conventionId: convention.id, actorLogin: 'etu.sciences1' });
    await knex('student').where({ login: 'etu.sciences1' }).update({ email: null, personal_email: null });
    await queueNotifications(knex, { kind: 'validated', conventionId: convention.id, actorLogin: 'gest.sciences' });
    expect(await rows()).toEqual([]);
  });
});

describe('texts', () => {
  it('a submission names the student, the centre, the person who submitted, the internship and its dates, in French', async () => {
    const convention = await demoConvention(knex, 'etu.sciences2', 'pedagogically_validated');
    await queueNotifications(knex, { kind: 'submitted', conventionId: convention.id, actorLogin: 'gest.sciences' });
    const [row] = await rows();
    expect(row!.subject).toBe(`Convention n° ${convention.number} déposée par Thomas Nguyen`);
    expect(row!.text_body).toMatch(
      /^Bonjour,\n\nLa convention de stage n° \d+ de Thomas Nguyen \(centre de gestion : UFR Sciences et techniques\) vient d’être déposée par Sophie Gestionnaire\./,
    );
    expect(row!.text_body).toContain('Stage : Étude de la biodiversité d’un site industriel');
    expect(row!.text_body).toContain('Organisme d’accueil : ');
    expect(row!.text_body).toMatch(/Période : du \d{2}\/\d{2}\/\d{4} au \d{2}\/\d{2}\/\d{4}/);
    expect(row!.text_body).not.toMatch(/undefined|null|\{\w+\}/);
  });
});

describe('transactions', () => {
  it('the rows are part of the caller’s transaction: a rollback leaves none', async () => {
    const convention = await demoConvention(knex, 'etu.droit1', 'validated');
    await expect(
      knex.transaction(async (trx) => {
        await queueNotifications(trx, { kind: 'validated', conventionId: convention.id, actorLogin: 'gest.droit' });
        expect(await trx('notification').count({ n: '*' }).first()).toEqual({ n: 1 });
        throw new Error('rolled back');
      }),
    ).rejects.toThrow('rolled back');
    expect(await rows()).toEqual([]);
  });
});
