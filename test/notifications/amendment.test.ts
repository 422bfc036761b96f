import type TestAgent from 'supertest/lib/agent.js';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/logger.ts';
import { deliverDue } from '../../src/notifications/sender.ts';
import { addDays } from '../../src/rules/calendar.ts';
import { csrfTokenFrom, startTestApp, type TestApp } from '../support/test-app.ts';
import { startSmtpServer, type TestSmtpServer } from './support.ts';

/**
 * Notification of a validated amendment: queued in the validation's transaction (validation of
 * a submitted amendment, or creation validated at once), to the student and the supervising teacher, in
 * French, with the amendment's number and a link to its page; nothing for an amendment only submitted.
 */
interface Row {
  kind: string;
  recipient: string;
  subject: string;
  text_body: string;
  link: string | null;
  created_by: string;
}

const BASE_URL = 'http://conventio.test';

describe('notification of a validated amendment', () => {
  let app: TestApp;
  let smtp: TestSmtpServer;
  let staff: TestAgent;
  let student: TestAgent;
  let number: number;
  let conventionId: number;
  let endDate: string;
  let recipients: string[];

  beforeAll(async () => {
    [app, smtp] = await Promise.all([startTestApp(), startSmtpServer()]);
    const row = await app
      .knex('convention as c')
      .join('student as s', 's.id', 'c.student_id')
      .where({ 's.login': 'etu.droit1', 'c.status': 'validated' })
      .first('c.id', 'c.number', 'c.end_date', 'c.supervisor_teacher_id', 's.email');
    number = row.number;
    conventionId = row.id;
    endDate = row.end_date;
    const teacher = await app.knex('teacher').where({ id: row.supervisor_teacher_id }).first('email');
    expect(teacher?.email).toBeTruthy();
    recipients = [row.email, teacher.email].sort();
    staff = await app.signIn('gest.droit');
    student = await app.signIn('etu.droit1');
  });
  afterAll(async () => {
    await smtp.close();
    await app.close();
  });
  beforeEach(async () => {
    await app.knex('notification').delete();
    smtp.messages.length = 0;
  });

  const base = () => `/conventions/${number}/amendments`;
  const rows = async () => (await app.knex('notification').where({ convention_id: conventionId }).orderBy('recipient').select()) as Row[];

  async function send(agent: TestAgent, path: string, fields: Record<string, string>) {
    const token = await csrfTokenFrom(agent, '/');
    return agent
      .post(path)
      .type('form')
      .send({ _csrf: token, ...fields });
  }

  it('nothing while the amendment is only submitted; the student and the supervisor once it is validated', async () => {
    const created = await send(student, `${base()}/new`, {
      kind: 'changes',
      reason: 'Prolongation demandée par l’organisme.',
      change_dates: 'on',
      start_date: (await app.knex('convention').where({ id: conventionId }).first('start_date')).start_date,
      end_date: addDays(endDate, 7),
      confirmed: 'on',
    });
    expect(created.status, created.text.slice(0, 1500)).toBe(302);
    expect(await rows()).toEqual([]);

    const page = await staff.get(`${base()}/1`);
    const version = /name="version" value="(\d+)"/.exec(page.text)![1]!;
    const validated = await send(staff, `${base()}/1/validate`, { version });
    expect(validated.status).toBe(302);

    const queued = await rows();
    expect(queued.map((row) => row.recipient)).toEqual(recipients);
    for (const row of queued) {
      expect(row).toMatchObject({ kind: 'amendment_validated', created_by: 'gest.droit', link: `/conventions/${number}/amendments/1` });
      expect(row.subject).toBe(`Avenant n° 1 à la convention de stage n° ${number} validé`);
      expect(row.text_body).toMatch(
        /^Bonjour,\n\nL’avenant n° 1 à la convention de stage n° \d+ de Inès Garcia a été validé par le centre de gestion UFR Droit et économie\./,
      );
      expect(row.text_body).toContain('Motif de l’avenant : Prolongation demandée par l’organisme.');
      expect(row.text_body).not.toMatch(/undefined|null|\{\w+\}/);
    }

    // Delivered on a real SMTP server, with the absolute link to the amendment's page.
    const report = await deliverDue(app.knex, smtp.transport(), new Date(), {
      from: 'Conventio <conventio@univ-demo.fr>',
      baseUrl: BASE_URL,
      logger: createLogger('silent'),
    });
    expect(report).toEqual({ sent: 2, retried: 0, failed: 0 });
    expect(
      smtp.messages
        .map((mail) => mail.to)
        .flat()
        .sort(),
    ).toEqual(recipients);
    expect(smtp.messages[0]!.text).toContain(`Consulter l’avenant : ${BASE_URL}/conventions/${number}/amendments/1\n`);
  });

  it('a creation validated at once by WRITE staff notifies too', async () => {
    const created = await send(staff, `${base()}/new`, {
      kind: 'changes',
      reason: 'Précision du sujet',
      subject: 'Veille juridique (avenant)',
      validate_now: 'on',
      confirmed: 'on',
    });
    expect(created.status).toBe(302);
    const queued = await rows();
    expect(queued.map((row) => row.recipient)).toEqual(recipients);
    expect(queued[0]).toMatchObject({ kind: 'amendment_validated', link: `/conventions/${number}/amendments/2` });
    expect(queued[0]!.subject).toBe(`Avenant n° 2 à la convention de stage n° ${number} validé`);
  });

  it('a refused validation (stale version) queues nothing: the notification belongs to the transaction', async () => {
    const created = await send(student, `${base()}/new`, {
      kind: 'changes',
      reason: 'Autre précision',
      other: 'Horaires aménagés le vendredi.',
      confirmed: 'on',
    });
    expect(created.status).toBe(302);
    const stale = await send(staff, `${base()}/3/validate`, { version: '999' });
    expect(stale.status).toBe(409);
    expect(await rows()).toEqual([]);
  });

  it('the database accepts the new kind and still refuses an unknown one', async () => {
    const row = { recipient: 'a@b.fr', subject: 's', text_body: 't' };
    await expect(app.knex('notification').insert({ ...row, kind: 'unknown_kind' })).rejects.toThrow(/notification_kind_known/);
    await app.knex('notification').insert({ ...row, kind: 'amendment_validated' });
  });
});
