import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import nodemailer from 'nodemailer';
import type { Knex } from 'knex';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';
import { freePort } from '../support/ports.ts';
import { loadConfig } from '../../src/config.ts';
import { createLogger } from '../../src/logger.ts';
import { queueNotifications } from '../../src/notifications/queue.ts';
import { deliverDue, startNotificationWorker, FIRST_RETRY_DELAY_MS, MAX_ATTEMPTS, type DeliveryOptions } from '../../src/notifications/sender.ts';
import { demoConvention, startSmtpServer, type TestSmtpServer } from './support.ts';

interface Row {
  id: number;
  recipient: string;
  status: string;
  attempts: number;
  next_attempt_at: Date;
  last_error: string | null;
  sent_at: Date | null;
}

const BASE_URL = 'http://conventio.test';
const options: DeliveryOptions = { from: 'Conventio <conventio@univ-demo.fr>', baseUrl: BASE_URL, logger: createLogger('silent') };

let database: TestDatabase;
let knex: Knex;
let smtp: TestSmtpServer;

beforeAll(async () => {
  [database, smtp] = await Promise.all([createTestDatabase(), startSmtpServer()]);
  knex = database.knex;
});
afterAll(async () => {
  await smtp.close();
  await database.drop();
});
beforeEach(async () => {
  await knex('notification').delete();
  smtp.messages.length = 0;
  smtp.refuse = false;
});

async function rows(): Promise<Row[]> {
  return (await knex('notification').orderBy('id').select('id', 'recipient', 'status', 'attempts', 'next_attempt_at', 'last_error', 'sent_at')) as Row[];
}

async function queueRefusal(): Promise<number> {
  const convention = await demoConvention(knex, 'etu.droit1', 'refused');
  await knex.transaction((trx) =>
    queueNotifications(trx, {
      kind: 'refused',
      conventionId: convention.id,
      actorLogin: 'gest.droit',
      reason: 'Dates incompatibles avec le calendrier de la formation.',
    }),
  );
  return convention.number;
}

describe('delivery on a real SMTP server', () => {
  it('sends a queued notification with its recipient, French subject and text, and the absolute link', async () => {
    const number = await queueRefusal();
    const report = await deliverDue(knex, smtp.transport(), new Date(), options);
    expect(report).toEqual({ sent: 1, retried: 0, failed: 0 });

    expect(smtp.messages).toHaveLength(1);
    const [mail] = smtp.messages;
    expect(mail!.to).toEqual(['ines.garcia@etu.univ-demo.fr']);
    expect(mail!.from).toBe('conventio@univ-demo.fr');
    expect(mail!.subject).toBe(`Votre convention de stage n° ${number} a été refusée`);
    expect(mail!.text).toContain('Bonjour,');
    expect(mail!.text).toContain('Motif du refus : Dates incompatibles avec le calendrier de la formation.');
    expect(mail!.text).toContain(`Consulter la convention : ${BASE_URL}/conventions/${number}\n`);
    expect(mail!.text).toContain('Conventio, gestion des conventions de stage.');

    const [row] = await rows();
    expect(row).toMatchObject({ status: 'sent', attempts: 1, last_error: null });
    expect(row!.sent_at).toBeInstanceOf(Date);
    // Sent once: another round finds nothing to do.
    expect(await deliverDue(knex, smtp.transport(), new Date(), options)).toEqual({ sent: 0, retried: 0, failed: 0 });
    expect(smtp.messages).toHaveLength(1);
  });

  it('sends every recipient of a submission its own message', async () => {
    const convention = await demoConvention(knex, 'etu.sciences1', 'submitted');
    await knex('centre_member')
      .whereIn('staff_id', knex('staff').where({ login: 'gest.sciences' }).select('id'))
      .update({ notify: true });
    await queueNotifications(knex, { kind: 'submitted', conventionId: convention.id, actorLogin: 'etu.sciences1' });
    await knex('centre_member').update({ notify: false });
    expect(await deliverDue(knex, smtp.transport(), new Date(), options)).toEqual({ sent: 2, retried: 0, failed: 0 });
    expect(smtp.messages.map((mail) => mail.to.join()).sort()).toEqual(['jeanne.martin@univ-demo.fr', 'sophie.gestionnaire@univ-demo.fr']);
    for (const mail of smtp.messages) {
      expect(mail.subject).toBe(`Convention n° ${convention.number} déposée par Léa Moreau`);
      expect(mail.text).toContain(`${BASE_URL}/conventions/${convention.number}`);
    }
  });

  it('a refusing server: the row waits for a later attempt (exponential back-off), nothing throws, a later run delivers it', async () => {
    await queueRefusal();
    smtp.refuse = true;
    const start = new Date();
    expect(await deliverDue(knex, smtp.transport(), start, options)).toEqual({ sent: 0, retried: 1, failed: 0 });
    let [row] = await rows();
    expect(row).toMatchObject({ status: 'queued', attempts: 1, sent_at: null });
    expect(row!.last_error).toMatch(/450/);
    expect(row!.next_attempt_at.getTime()).toBe(start.getTime() + FIRST_RETRY_DELAY_MS);

    // Not due yet: left alone.
    expect(await deliverDue(knex, smtp.transport(), new Date(start.getTime() + FIRST_RETRY_DELAY_MS - 1000), options)).toEqual({
      sent: 0,
      retried: 0,
      failed: 0,
    });

    // Second failure: twice the delay.
    const second = new Date(start.getTime() + FIRST_RETRY_DELAY_MS);
    expect(await deliverDue(knex, smtp.transport(), second, options)).toEqual({ sent: 0, retried: 1, failed: 0 });
    [row] = await rows();
    expect(row).toMatchObject({ status: 'queued', attempts: 2 });
    expect(row!.next_attempt_at.getTime()).toBe(second.getTime() + 2 * FIRST_RETRY_DELAY_MS);

    smtp.refuse = false;
    expect(await deliverDue(knex, smtp.transport(), new Date(second.getTime() + 2 * FIRST_RETRY_DELAY_MS), options)).toEqual({
      sent: 1,
      retried: 0,
      failed: 0,
    });
    [row] = await rows();
    expect(row).toMatchObject({ status: 'sent', attempts: 3, last_error: null });
    expect(smtp.messages).toHaveLength(1);
  });

  it('a closed port: retried later, then delivered once the server answers', async () => {
    await queueRefusal();
    const closed = nodemailer.createTransport({ host: '127.0.0.1', port: await freePort(), secure: false, ignoreTLS: true, connectionTimeout: 2000 });
    const start = new Date();
    expect(await deliverDue(knex, closed, start, options)).toEqual({ sent: 0, retried: 1, failed: 0 });
    closed.close();
    const [row] = await rows();
    expect(row).toMatchObject({ status: 'queued', attempts: 1 });
    expect(row!.last_error).toMatch(/ECONNREFUSED|connect/i);
    expect(await deliverDue(knex, smtp.transport(), new Date(start.getTime() + FIRST_RETRY_DELAY_MS), options)).toEqual({ sent: 1, retried: 0, failed: 0 });
    expect(smtp.messages).toHaveLength(1);
  });

  it('gives up after the last attempt: the row is marked failed and never tried again', async () => {
    await queueRefusal();
    await knex('notification').update({ attempts: MAX_ATTEMPTS - 1 });
    smtp.refuse = true;
    const now = new Date();
    expect(await deliverDue(knex, smtp.transport(), now, options)).toEqual({ sent: 0, retried: 0, failed: 1 });
    expect((await rows())[0]).toMatchObject({ status: 'failed', attempts: MAX_ATTEMPTS });
    smtp.refuse = false;
    expect(await deliverDue(knex, smtp.transport(), new Date(now.getTime() + 365 * 24 * 3600_000), options)).toEqual({ sent: 0, retried: 0, failed: 0 });
  });

  it('two workers at once never send the same message twice (FOR UPDATE SKIP LOCKED)', async () => {
    const convention = await demoConvention(knex, 'etu.droit1', 'validated');
    for (let index = 0; index < 5; index += 1) await queueNotifications(knex, { kind: 'validated', conventionId: convention.id, actorLogin: 'gest.droit' });
    const reports = await Promise.all([
      deliverDue(knex, smtp.transport(), new Date(), { ...options, batchSize: 3 }),
      deliverDue(knex, smtp.transport(), new Date(), { ...options, batchSize: 3 }),
    ]);
    const sent = reports.reduce((total, report) => total + report.sent, 0);
    expect(sent).toBeLessThanOrEqual(5);
    await deliverDue(knex, smtp.transport(), new Date(), options);
    expect(smtp.messages).toHaveLength(5);
    expect((await rows()).every((row) => row.status === 'sent' && row.attempts === 1)).toBe(true);
  });
});

describe('the worker', () => {
  function config(environment: Record<string, string>) {
    return loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', ...environment });
  }

  it('polls the outbox and sends through the configured SMTP server; stop() ends it', async () => {
    await queueRefusal();
    const stop = startNotificationWorker({
      knex,
      config: config({
        AUTH_MODE: 'cas',
        CAS_BASE_URL: 'http://cas.test',
        PUBLIC_BASE_URL: BASE_URL,
        SMTP_HOST: '127.0.0.1',
        SMTP_PORT: String(smtp.port),
        MAIL_FROM: 'stages@univ-demo.fr',
      }),
      logger: createLogger('silent'),
      intervalMs: 50,
    });
    try {
      await expect.poll(() => smtp.messages.length, { timeout: 10000 }).toBe(1);
    } finally {
      await stop();
    }
    expect(smtp.messages[0]!.from).toBe('stages@univ-demo.fr');
    expect(smtp.messages[0]!.text).toContain(`${BASE_URL}/conventions/`);
    expect((await rows())[0]!.status).toBe('sent');
  });

  it('in demo mode sends nothing: the messages stay queued for the outbox page', async () => {
    await queueRefusal();
    const stop = startNotificationWorker({
      knex,
      config: config({ AUTH_MODE: 'demo', SMTP_HOST: '127.0.0.1', SMTP_PORT: String(smtp.port) }),
      logger: createLogger('silent'),
      intervalMs: 50,
    });
    await new Promise((resolve) => setTimeout(resolve, 300));
    await stop();
    expect(smtp.messages).toHaveLength(0);
    expect((await rows())[0]).toMatchObject({ status: 'queued', attempts: 0 });
  });
});
