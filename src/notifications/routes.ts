import { Router } from 'express';
import type { ModuleDependencies, AppModule } from '../web/module.ts';
import { requireSignIn, requireRole } from '../web/auth/actor-middleware.ts';
import { fullText, publicBaseUrl } from './messages.ts';
import { localeDateTimeFormat } from '../i18n/formats.ts';

const OUTBOX_SIZE = 200;
const dateTime = localeDateTimeFormat({ dateStyle: 'short', timeStyle: 'short', timeZone: 'Europe/Paris' });

interface OutboxRow {
  id: number;
  kind: string;
  recipient: string;
  subject: string;
  text_body: string;
  link: string | null;
  status: 'queued' | 'sent' | 'failed';
  attempts: number;
  next_attempt_at: Date;
  last_error: string | null;
  created_at: Date;
  sent_at: Date | null;
}

/** The outbox page (/admin/outbox), for super-admins only: in demo mode, where the messages are read. */
export function notificationsModule({ knex, config }: ModuleDependencies): AppModule {
  const router = Router();
  const baseUrl = publicBaseUrl(config);

  router.get('/admin/outbox', requireSignIn, requireRole('super_admin'), async (_req, res) => {
    const rows = (await knex('notification')
      .orderBy('created_at', 'desc')
      .orderBy('id', 'desc')
      .limit(OUTBOX_SIZE)
      .select(
        'id',
        'kind',
        'recipient',
        'subject',
        'text_body',
        'link',
        'status',
        'attempts',
        'next_attempt_at',
        'last_error',
        'created_at',
        'sent_at',
      )) as OutboxRow[];
    res.render('admin/outbox', {
      demo: config.auth.mode === 'demo',
      messages: rows.map((row) => ({
        id: row.id,
        recipient: row.recipient,
        subject: row.subject,
        status: row.status,
        attempts: row.attempts,
        lastError: row.last_error,
        nextAttemptAt: row.status === 'queued' && row.last_error ? dateTime.format(row.next_attempt_at) : null,
        createdAt: dateTime.format(row.created_at),
        text: fullText(row, baseUrl),
      })),
    });
  });

  return { router };
}
