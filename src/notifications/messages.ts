import { notifications } from '../i18n/fr/notifications.ts';

/**
 * The French texts of the notifications, read from their catalogue directly: messages are written inside
 * other modules' transactions and by the worker, away from any request and its translator.
 */
type Catalogue = typeof notifications;

export function message(pick: (catalogue: Catalogue) => string, parameters: Record<string, string | number> = {}): string {
  return pick(notifications).replace(/\{(\w+)\}/g, (_, name: string) => String(parameters[name] ?? `{${name}}`));
}

/** The address people reach the application at: the configured public one, or this machine's. */
export function publicBaseUrl(config: { publicBaseUrl: string | undefined; port: number }): string {
  return (config.publicBaseUrl ?? `http://localhost:${config.port}`).replace(/\/+$/, '');
}

/** The text of a message as sent: its body, then the link to the page (made absolute), then the signature. */
export function fullText(row: { text_body: string; link: string | null }, baseUrl: string): string {
  const parts = [row.text_body.trimEnd()];
  if (row.link)
    parts.push(message((c) => (/\/amendments\/\d+$/.test(row.link!) ? c.mail.amendmentLink : c.mail.link), { url: absoluteLink(row.link, baseUrl) }));
  parts.push(message((c) => c.mail.signature));
  return `${parts.join('\n\n')}\n`;
}

export function absoluteLink(link: string, baseUrl: string): string {
  return /^https?:\/\//.test(link) ? link : `${baseUrl.replace(/\/+$/, '')}${link.startsWith('/') ? '' : '/'}${link}`;
}
