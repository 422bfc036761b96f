import nodemailer, { type Transporter } from 'nodemailer';
import type { Knex } from 'knex';
import type { Config } from '../config.ts';
import type { Logger } from '../logger.ts';
import { fullText, publicBaseUrl } from './messages.ts';

/**
 * Delivery of the outbox. A batch of due messages is claimed in a short transaction (FOR UPDATE SKIP LOCKED,
 * so that two workers never take the same message) by pushing their next attempt a lease away; each is then
 * sent outside any transaction, and marked sent, or given a later attempt with exponential back-off, or
 * failed for good after MAX_ATTEMPTS. Nothing here throws: failures are logged and retried.
 */
export const MAX_ATTEMPTS = 8;
/** The first retry waits a minute, then 2, 4, 8… minutes, at most six hours. */
export const FIRST_RETRY_DELAY_MS = 60_000;
const MAX_RETRY_DELAY_MS = 6 * 3600_000;
/** A message claimed by a worker that died while sending it is tried again after this delay. */
const LEASE_MS = 5 * 60_000;
const BATCH_SIZE = 20;

export interface DeliveryOptions {
  from: string;
  /** Prefixes the pages' links: `PUBLIC_BASE_URL`, or http://localhost:PORT. */
  baseUrl: string;
  logger?: Logger;
  batchSize?: number;
  maxAttempts?: number;
}

export interface DeliveryReport {
  sent: number;
  retried: number;
  failed: number;
}

interface ClaimedRow {
  id: number;
  recipient: string;
  subject: string;
  text_body: string;
  link: string | null;
  attempts: number;
}

export function retryDelayMs(attempts: number): number {
  return Math.min(FIRST_RETRY_DELAY_MS * 2 ** Math.max(0, attempts - 1), MAX_RETRY_DELAY_MS);
}

/** The SMTP transport of the configuration, or undefined when no server is configured. */
export function createSmtpTransport(config: Config): Transporter | undefined {
  if (!config.smtp.host) return undefined;
  return nodemailer.createTransport({
    host: config.smtp.host,
    port: config.smtp.port,
    secure: config.smtp.secure,
    auth: config.smtp.user ? { user: config.smtp.user, pass: config.smtp.password ?? '' } : undefined,
    connectionTimeout: 10_000,
    greetingTimeout: 10_000,
    socketTimeout: 30_000,
  });
}

function errorText(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).slice(0, 1000);
}

async function claimDue(knex: Knex, now: Date, batchSize: number): Promise<ClaimedRow[]> {
  return knex.transaction(async (trx) => {
    const due = (await trx('notification')
      .where('status', 'queued')
      .where('next_attempt_at', '<=', now)
      .orderBy('next_attempt_at')
      .orderBy('id')
      .limit(batchSize)
      .forUpdate()
      .skipLocked()
      .select('id', 'recipient', 'subject', 'text_body', 'link', 'attempts')) as ClaimedRow[];
    if (due.length === 0) return [];
    await trx('notification')
      .whereIn(
        'id',
        due.map((row) => row.id),
      )
      .update({ attempts: trx.raw('attempts + 1'), next_attempt_at: new Date(now.getTime() + LEASE_MS) });
    return due.map((row) => ({ ...row, attempts: row.attempts + 1 }));
  });
}

/** Sends the queued messages that are due at `now`; returns what happened to them. */
export async function deliverDue(knex: Knex, transport: Transporter, now: Date, options: DeliveryOptions): Promise<DeliveryReport> {
  const report: DeliveryReport = { sent: 0, retried: 0, failed: 0 };
  const maxAttempts = options.maxAttempts ?? MAX_ATTEMPTS;
  let claimed: ClaimedRow[];
  try {
    claimed = await claimDue(knex, now, options.batchSize ?? BATCH_SIZE);
  } catch (error) {
    options.logger?.error({ err: error }, 'notifications: cannot read the outbox');
    return report;
  }
  for (const row of claimed) {
    try {
      await transport.sendMail({ from: options.from, to: row.recipient, subject: row.subject, text: fullText(row, options.baseUrl) });
    } catch (error) {
      const giveUp = row.attempts >= maxAttempts;
      const nextAttemptAt = new Date(now.getTime() + retryDelayMs(row.attempts));
      options.logger?.warn(
        { notificationId: row.id, recipient: row.recipient, attempts: row.attempts, err: errorText(error), ...(giveUp ? {} : { nextAttemptAt }) },
        giveUp ? 'notification failed: no more attempts' : 'notification not sent: will retry',
      );
      await knex('notification')
        .where({ id: row.id })
        .update(giveUp ? { status: 'failed', last_error: errorText(error) } : { last_error: errorText(error), next_attempt_at: nextAttemptAt })
        .catch((updateError: unknown) => options.logger?.error({ err: updateError, notificationId: row.id }, 'notifications: cannot record a failure'));
      if (giveUp) report.failed += 1;
      else report.retried += 1;
      continue;
    }
    await knex('notification')
      .where({ id: row.id })
      .update({ status: 'sent', sent_at: new Date(), last_error: null })
      .catch((updateError: unknown) => options.logger?.error({ err: updateError, notificationId: row.id }, 'notifications: sent but not recorded'));
    report.sent += 1;
  }
  return report;
}

export interface NotificationWorkerOptions {
  knex: Knex;
  config: Config;
  logger: Logger;
  /** Time between two looks at the outbox; 5 s unless told. */
  intervalMs?: number;
  /** A transport of one's own (tests); otherwise the SMTP one of the configuration. */
  transport?: Transporter;
}

/**
 * Polls the outbox and sends what is due; returns a function that stops it (and waits for the batch in
 * progress). In demo mode, or without SMTP_HOST, nothing is sent: the messages stay in /admin/outbox.
 */
export function startNotificationWorker(options: NotificationWorkerOptions): () => Promise<void> {
  const { knex, config, logger } = options;
  if (config.auth.mode === 'demo' && !options.transport) {
    logger.info('notifications: demo mode, messages are kept in /admin/outbox and not sent');
    return async () => undefined;
  }
  const transport = options.transport ?? createSmtpTransport(config);
  if (!transport) {
    logger.warn('notifications: SMTP_HOST is not set, messages are kept in /admin/outbox and not sent');
    return async () => undefined;
  }
  const deliveryOptions: DeliveryOptions = { from: config.smtp.from, baseUrl: publicBaseUrl(config), logger };
  const intervalMs = options.intervalMs ?? 5000;
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> = Promise.resolve();

  const tick = () => {
    running = (async () => {
      try {
        // A full batch means more may be waiting: go on at once.
        let report: DeliveryReport;
        do {
          report = await deliverDue(knex, transport, new Date(), deliveryOptions);
        } while (!stopped && report.sent + report.retried + report.failed >= (deliveryOptions.batchSize ?? BATCH_SIZE));
      } catch (error) {
        logger.error({ err: error }, 'notifications: delivery round failed');
      }
      if (!stopped) {
        timer = setTimeout(tick, intervalMs);
        timer.unref();
      }
    })();
  };
  timer = setTimeout(tick, 0);
  timer.unref();

  return async () => {
    stopped = true;
    if (timer) clearTimeout(timer);
    await running;
    if (!options.transport) transport.close();
  };
}
