import http from 'node:http';
import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';

/**
 * A CAS server for the tests: `/login` redirects back with a ticket for the login chosen by the test,
 * `/p3/serviceValidate` and `/serviceValidate` answer as a real CAS 3.0 / 2.0 server does. Tickets stay
 * valid after use here, so that the tests prove the application itself refuses a replayed ticket.
 */
export interface FakeCas {
  baseUrl: string;
  issueTicket(login: string, service: string): string;
  /** Makes the server answer 500 to validations, as a CAS in trouble does. */
  setBroken(broken: boolean): void;
  validations: number;
  close(): Promise<void>;
}

const escapeXml = (value: string) => value.replace(/[<>&'"]/g, (character) => `&#${character.charCodeAt(0)};`);

export async function startFakeCas(attributes: (login: string) => Record<string, string> = () => ({})): Promise<FakeCas> {
  const tickets = new Map<string, { login: string; service: string }>();
  let broken = false;
  const state = { validations: 0 };

  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://cas.test');
    if (url.pathname === '/login') {
      const service = url.searchParams.get('service') ?? '';
      const login = url.searchParams.get('username');
      if (!login) {
        res.writeHead(200, { 'content-type': 'text/html' }).end('<form>CAS login</form>');
        return;
      }
      const ticket = fake.issueTicket(login, service);
      res.writeHead(302, { location: `${service}${service.includes('?') ? '&' : '?'}ticket=${ticket}` }).end();
      return;
    }
    if (url.pathname === '/p3/serviceValidate' || url.pathname === '/serviceValidate') {
      state.validations += 1;
      if (broken) {
        res.writeHead(500).end('CAS en panne');
        return;
      }
      const issued = tickets.get(url.searchParams.get('ticket') ?? '');
      res.writeHead(200, { 'content-type': 'application/xml' });
      if (!issued || issued.service !== url.searchParams.get('service')) {
        res.end(
          `<cas:serviceResponse xmlns:cas="http://www.yale.edu/tp/cas"><cas:authenticationFailure code="INVALID_TICKET">Ticket inconnu</cas:authenticationFailure></cas:serviceResponse>`,
        );
        return;
      }
      const attributeXml =
        url.pathname === '/p3/serviceValidate'
          ? `<cas:attributes>${Object.entries(attributes(issued.login))
              .map(([name, value]) => `<cas:${name}>${escapeXml(value)}</cas:${name}>`)
              .join('')}</cas:attributes>`
          : '';
      res.end(
        `<cas:serviceResponse xmlns:cas="http://www.yale.edu/tp/cas"><cas:authenticationSuccess><cas:user>${escapeXml(issued.login)}</cas:user>${attributeXml}</cas:authenticationSuccess></cas:serviceResponse>`,
      );
      return;
    }
    res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  const fake: FakeCas = {
    baseUrl: `http://127.0.0.1:${port}/cas`,
    issueTicket(login, service) {
      const ticket = `ST-${randomBytes(12).toString('hex')}`;
      tickets.set(ticket, { login, service });
      return ticket;
    },
    setBroken(value) {
      broken = value;
    },
    get validations() {
      return state.validations;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
  // The CAS lives under /cas like most university CAS servers.
  const handler = server.listeners('request')[0] as http.RequestListener;
  server.removeAllListeners('request');
  server.on('request', (req, res) => {
    req.url = (req.url ?? '/').replace(/^\/cas(?=\/)/, '');
    handler(req, res);
  });
  return fake;
}
