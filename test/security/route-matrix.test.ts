import type { Response } from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listRoutes, routeKey } from '../../src/web/route-inventory.ts';
import { tinyPng } from '../centres/support.ts';
import { offerFields, postOffer } from '../offers/support.ts';
import { startTestApp, type TestApp } from '../support/test-app.ts';
import { expectations, MATRIX, type Context, type MatrixEntry } from './route-matrix.ts';
import { ACTOR_KINDS, Actors, fingerprint, formFields, resolveFixtures, send, type ActorKind, type Fields, type Fixtures } from './route-matrix-support.ts';

/**
 * Every route of the application answers every kind of actor as the matrix (route-matrix.ts) says,
 * with real sign-in and real CSRF tokens; a refused unsafe request leaves the database as it was.
 * A route added to the application without its line in the matrix makes the first test fail.
 */
const PDF = Buffer.from('%PDF-1.4\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n');

/** The address of an entry: its parameters from the entry, or the fixtures' record of that kind. */
function addressOf(
  route: string,
  entry: MatrixEntry,
  fx: Fixtures,
  own: Record<string, string | number>,
): { url: string; params: Record<string, string | number> } {
  const path = route.slice(route.indexOf(' ') + 1);
  const defaults: Record<string, string | number> = {
    number: fx.number,
    id: path.startsWith('/hosts') ? fx.hostId : path.startsWith('/offers') ? fx.offerId : path.startsWith('/centres') ? fx.centreId : fx.draftId,
    serviceId: fx.serviceId,
    contactId: fx.contactId,
    criterionId: fx.criterionId,
    memberId: fx.memberId,
    amendment: fx.amendment,
    secret: fx.secret,
  };
  const values = { ...defaults, ...entry.params?.(fx), ...own };
  const used: Record<string, string | number> = {};
  const filled = path.replace(/[:*](\w+)/g, (_match, name: string) => {
    if (values[name] === undefined) throw new Error(`${route}: no value for ${name}`);
    used[name] = values[name];
    return String(values[name]);
  });
  const query = entry.query?.(fx);
  return { url: query ? `${filled}?${query}` : filled, params: used };
}

/** A refusal: sign-in, an error, or an answer marked `=` (a page that changes nothing, such as a report of refusals). */
const refused = (expected: string) => expected === 'in' || expected.endsWith('=') || Number(expected) >= 400;
const statusOf = (expected: string) => expected.replace(/=$/, '');
/** What a refused page says: its error messages, or the start of its text. */
function reasons(response: Response): string {
  const messages = [...response.text.matchAll(/class="(?:field__error|notice notice--error)"[^>]*>([\s\S]*?)<\/(?:p|div|span)>/g)].map((match) =>
    match[1]!
      .replace(/<[^>]+>/g, '')
      .replace(/\s+/g, ' ')
      .trim(),
  );
  return messages.length > 0
    ? messages.join(' | ')
    : response.text
        .replace(/<[^>]+>/g, ' ')
        .replace(/\s+/g, ' ')
        .slice(0, 200);
}
const described = (response: Response) => `${response.status}${response.status === 302 || response.status === 303 ? ` → ${response.headers.location}` : ''}`;

describe('the authorisation matrix', () => {
  let app: TestApp;
  let fx: Fixtures;
  let context: Context;
  const actors: { current?: Actors } = {};

  beforeAll(async () => {
    app = await startTestApp({ environment: { LOG_LEVEL: 'error' } });
    const gestSciences = await app.signIn('gest.sciences');
    fx = await resolveFixtures(app, {
      gestSciences,
      logo: tinyPng(),
      offerWithFile: async (agent) => {
        const created = await postOffer(agent, app.knex, await offerFields(app.knex, { kind: 'file', title: 'Offre en pièce jointe' }), {
          bytes: PDF,
          name: 'offre.pdf',
        });
        return Number(/^\/offers\/(\d+)$/.exec(String(created.headers.location))?.[1]);
      },
    });
    context = { knex: app.knex, fx };
    actors.current = new Actors(app);
    await actors.current.signInAll(fx.secret);
  });
  afterAll(() => app.close());

  it('has exactly one entry per route of the application', () => {
    const inventory = listRoutes(app.app).map(routeKey);
    const missing = inventory.filter((route) => !(route in MATRIX));
    const stale = Object.keys(MATRIX).filter((route) => !inventory.includes(route));
    expect(missing, 'routes without an entry in test/security/route-matrix.ts').toEqual([]);
    expect(stale, 'entries of test/security/route-matrix.ts for routes that no longer exist').toEqual([]);
  });

  const ordered = Object.entries(MATRIX).sort(([, a], [, b]) => Number(a.last ?? false) - Number(b.last ?? false));
  for (const [route, entry] of ordered) {
    it(route, async () => {
      const expected = expectations(entry);
      const method = route.slice(0, route.indexOf(' '));
      const order = [...ACTOR_KINDS].sort((a, b) => Number(refused(expected[b])) - Number(refused(expected[a])));
      const answers: Partial<Record<ActorKind, string>> = {};
      const wrong: string[] = [];
      // The database as the last refused request left it, and the form it was sent: only reads happen until
      // the next refused request, so they are its starting point too (a write in between is blamed on it, never missed).
      let unchanged: { digest: Record<string, string>; shown: Fields } | null = null;

      for (const kind of order) {
        const succeeds = !refused(expected[kind]);
        const own = succeeds && entry.fresh ? await entry.fresh(context, kind) : {};
        const { url, params } = addressOf(route, entry, fx, own);
        let session = { agent: actors.current!.agent(kind), token: actors.current!.token(kind) };
        if (entry.ownSession) {
          session = await actors.current!.fresh(kind, fx.secret);
          unchanged = null;
        }
        let response: Response;
        if (method === 'GET') {
          response = await session.agent.get(url);
        } else {
          const shown: Fields =
            !succeeds && unchanged
              ? unchanged.shown
              : entry.form
                ? formFields(
                    (await actors.current!.agent('superAdmin').get(addressOf(`GET ${entry.form}`, { ...entry, query: undefined }, fx, own).url)).text,
                    url.split('?')[0]!,
                  )
                : {};
          const fields = { ...shown, ...(await entry.fields?.(context, kind, params)) };
          const before = succeeds ? null : (unchanged?.digest ?? (await fingerprint(app.knex)));
          response = await send(session.agent, session.token, url, fields, entry.files?.());
          if (before) {
            const after = await fingerprint(app.knex);
            const changed = Object.keys(before).filter((table) => before[table] !== after[table]);
            if (changed.length > 0) wrong.push(`${kind} was refused (${response.status}) but changed ${changed.join(', ')}`);
            unchanged = { digest: after, shown };
          } else {
            unchanged = null;
          }
        }
        const got = response.status === 302 && String(response.headers.location).startsWith('/auth/login') ? 'in' : String(response.status);
        answers[kind] = got;
        if (got !== statusOf(expected[kind]))
          wrong.push(`${kind}: expected ${expected[kind]}, got ${described(response)} ${response.status >= 400 ? reasons(response) : ''}`);
      }
      const observed = ACTOR_KINDS.map((kind) => answers[kind]).join(' ');
      expect(wrong.join('\n'), `${route}\n  expected ${entry.expect}\n  observed ${observed}`).toBe('');
    });
  }
});
