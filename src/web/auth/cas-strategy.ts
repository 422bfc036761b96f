import { Strategy } from 'passport-strategy';
import { XMLParser } from 'fast-xml-parser';
import type { Request } from 'express';

/**
 * CAS 2.0 / 3.0 service-ticket validation, written in the project because the published passport
 * strategies do not run on Express 5. A ticket is claimed before it is validated, so that it can never
 * be used twice, even if the CAS server would accept it again.
 */
export interface CasUser {
  login: string;
  attributes: Record<string, string | string[]>;
}

export interface CasStrategyOptions {
  baseUrl: string;
  version: '2.0' | '3.0';
  serviceUrl: string;
  /** Records the ticket as used; resolves false if it had already been seen. */
  claimTicket(ticket: string): Promise<boolean>;
  timeoutMs?: number;
}

export class CasUnavailableError extends Error {}

const parser = new XMLParser({ removeNSPrefix: true, ignoreAttributes: true, parseTagValue: false, trimValues: true });

export function parseServiceResponse(xml: string): { user: CasUser } | { failure: string } {
  const document = parser.parse(xml) as {
    serviceResponse?: {
      authenticationSuccess?: { user?: unknown; attributes?: Record<string, unknown> };
      authenticationFailure?: unknown;
    };
  };
  const response = document.serviceResponse;
  const success = response?.authenticationSuccess;
  if (success && typeof success.user === 'string' && success.user.trim() !== '') {
    const attributes: CasUser['attributes'] = {};
    for (const [name, value] of Object.entries(success.attributes ?? {})) {
      attributes[name] = Array.isArray(value) ? value.map(String) : String(value);
    }
    return { user: { login: success.user.trim(), attributes } };
  }
  return { failure: typeof response?.authenticationFailure === 'string' ? response.authenticationFailure : 'réponse CAS invalide' };
}

export class CasStrategy extends Strategy {
  name = 'cas';

  constructor(private readonly options: CasStrategyOptions) {
    super();
  }

  override authenticate(req: Request): void {
    const ticket = typeof req.query.ticket === 'string' ? req.query.ticket : undefined;
    if (!ticket) {
      this.redirect(`${this.options.baseUrl}/login?service=${encodeURIComponent(this.options.serviceUrl)}`);
      return;
    }
    this.validate(ticket).then(
      (outcome) => ('user' in outcome ? this.success(outcome.user) : this.fail({ message: outcome.failure }, 401)),
      (error: unknown) => this.error(error instanceof Error ? error : new Error(String(error))),
    );
  }

  private async validate(ticket: string): Promise<{ user: CasUser } | { failure: string }> {
    if (!/^[\w.-]{1,256}$/.test(ticket)) return { failure: 'ticket mal formé' };
    if (!(await this.options.claimTicket(ticket))) return { failure: 'ticket déjà utilisé' };
    const path = this.options.version === '3.0' ? 'p3/serviceValidate' : 'serviceValidate';
    const url = `${this.options.baseUrl}/${path}?service=${encodeURIComponent(this.options.serviceUrl)}&ticket=${encodeURIComponent(ticket)}`;
    let response: Response;
    try {
      response = await fetch(url, { signal: AbortSignal.timeout(this.options.timeoutMs ?? 5000) });
    } catch (error) {
      throw new CasUnavailableError(`CAS injoignable : ${error instanceof Error ? error.message : String(error)}`);
    }
    if (!response.ok) throw new CasUnavailableError(`CAS a répondu ${response.status}`);
    return parseServiceResponse(await response.text());
  }
}
