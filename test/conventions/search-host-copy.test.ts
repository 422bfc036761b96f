import type TestAgent from 'supertest/lib/agent.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/test-app.ts';
import { hostForm, postForm, siretFrom } from '../hosts/support.ts';

/**
 * The convention search finds hosts by name and town in a copy of them that the database keeps on each
 * convention (docs/schema.md, derived columns): a host edited in the directory is found at once by its
 * new name and town, and no longer by the old ones, validated conventions included, and sorts under its
 * new name; a host created is found as soon as a convention names it.
 */
function numbersOn(html: string): number[] {
  return [...html.matchAll(/<th scope="row"><a href="\/conventions\/(\d+)">/g)].map((match) => Number(match[1]));
}

describe('the search by host name and town follows the host directory', () => {
  let app: TestApp;
  let staff: TestAgent;
  let number: number;
  let hostId: number;
  /** The Sciences conventions of the host (not drafts): what gest.sciences finds by its name. */
  let ofTheHost: number[];
  const found = async (query: string) => numbersOn((await staff.get(`/conventions?search=1&${query}`).expect(200)).text).sort((a, b) => a - b);

  beforeAll(async () => {
    app = await startTestApp();
    staff = await app.signIn('gest.sciences');
    const convention = (await app
      .knex('convention as c')
      .join('centre as ce', 'ce.id', 'c.centre_id')
      .where({ 'ce.name': 'UFR Sciences et techniques', 'c.status': 'submitted' })
      .first('c.number', 'c.host_id')) as { number: number; host_id: number };
    number = convention.number;
    hostId = convention.host_id;
    ofTheHost = (await app
      .knex('convention as c')
      .join('centre as ce', 'ce.id', 'c.centre_id')
      .where({ 'ce.name': 'UFR Sciences et techniques', 'c.host_id': hostId })
      .whereNot('c.status', 'draft')
      .orderBy('c.number')
      .pluck('c.number')) as number[];
  });
  afterAll(() => app.close());

  it('finds a convention by the new name and town of its host, not by the old ones', async () => {
    const before = (await app.knex('host').where({ id: hostId }).first('name', 'town', 'version')) as { name: string; town: string; version: number };
    expect(await found(`hostName=${encodeURIComponent(before.name)}`)).toContain(number);
    await postForm(
      staff,
      `/hosts/${hostId}/edit`,
      hostForm({ name: 'Zéphyrine Industries', siret: siretFrom('8100000000001'), postal_code: '29000', town: 'Quimper', version: String(before.version) }),
      302,
    );
    expect(await found('hostName=zephyrine')).toEqual(ofTheHost);
    expect(await found('town=QUIMPER&hostName=industries')).toEqual(ofTheHost);
    expect(await found(`hostName=${encodeURIComponent(before.name)}`)).not.toContain(number);
    expect(await found(`town=${encodeURIComponent(before.town)}`)).not.toContain(number);
  });

  it('follows the host on its validated conventions, and sorts them under its new name', async () => {
    // The demo's validated conventions are those of the law faculty.
    const lawStaff = await app.signIn('gest.droit');
    const lawCentre = app.knex('centre').select('id').where({ name: 'UFR Droit et économie' });
    const validated = (await app.knex('convention').whereIn('centre_id', lawCentre).where({ status: 'validated' }).first('number', 'host_id')) as {
      number: number;
      host_id: number;
    };
    const host = (await app.knex('host').where({ id: validated.host_id }).first('version')) as { version: number };
    await postForm(
      lawStaff,
      `/hosts/${validated.host_id}/edit`,
      hostForm({ name: 'Aaaa Première Société', siret: siretFrom('8100000000003'), town: 'Vannes', postal_code: '56000', version: String(host.version) }),
      302,
    );
    const lawFound = async (query: string) => numbersOn((await lawStaff.get(`/conventions?search=1&${query}`).expect(200)).text);
    expect(await lawFound('hostName=premiere+societe&town=vannes')).toContain(validated.number);
    const ofTheHost = (await app
      .knex('convention')
      .whereIn('centre_id', lawCentre)
      .where({ host_id: validated.host_id })
      .whereNot('status', 'draft')
      .pluck('number')) as number[];
    expect((await lawFound('sort=host&direction=asc'))[0]).toBe(Math.min(...ofTheHost));
  });

  it('keeps the copies those of the host, whatever is written to the convention', async () => {
    const convention = (await app.knex('convention').whereNot({ status: 'validated' }).whereNotNull('host_id').first('id', 'host_id')) as {
      id: number;
      host_id: number;
    };
    await app.knex('convention').where({ id: convention.id }).update({ host_name_search: 'nope', host_town_search: 'nope' });
    const host = (await app.knex('host').where({ id: convention.host_id }).first('name_search', 'town_search')) as { name_search: string; town_search: string };
    expect(await app.knex('convention').where({ id: convention.id }).first('host_name_search', 'host_town_search')).toEqual({
      host_name_search: host.name_search,
      host_town_search: host.town_search,
    });
  });

  it('finds a convention moved to a host just created', async () => {
    await postForm(staff, '/hosts', hostForm({ name: 'Yuzu Conseil', siret: siretFrom('8100000000002'), town: 'Brest', postal_code: '29200' }), 302);
    const created = (await app.knex('host').where({ name: 'Yuzu Conseil' }).first('id')) as { id: number };
    await app.knex('convention').where({ number }).update({ host_id: created.id });
    expect(await found('hostName=yuzu&town=brest')).toEqual([number]);
  });
});
