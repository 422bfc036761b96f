import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type TestAgent from 'supertest/lib/agent.js';
import { searchStaff } from '../../src/directory/staff-search.ts';
import { startTestApp, type TestApp } from '../support/test-app.ts';
import { centreTables, demoCentres, postForm, type DemoCentres } from './support.ts';

describe('staff directory search', () => {
  let testApp: TestApp;
  beforeAll(async () => {
    testApp = await startTestApp();
  });
  afterAll(() => testApp.close());

  const logins = async (criteria: Parameters<typeof searchStaff>[1]) => (await searchStaff(testApp.knex, criteria)).people.map((person) => person.login);

  it('finds part of a last name whatever its accents and case', async () => {
    for (const lastName of ['lefevre', 'LEFÈVRE', 'Lefèv', 'efe', 'lefévre']) expect(await logins({ lastName }), lastName).toEqual(['agent.stages']);
    expect(await logins({ lastName: 'gestion' })).toEqual(['gest.droit', 'gest.sciences']);
  });

  it('narrows by first name and department, in the same way', async () => {
    expect(await logins({ lastName: 'gestionnaire', firstName: 'SOPH' })).toEqual(['gest.sciences']);
    expect(await logins({ lastName: 'gestionnaire', department: 'scolarite droit' })).toEqual(['gest.droit']);
    expect(await logins({ lastName: 'lefevre', firstName: 'helene', department: 'bureau' })).toEqual(['agent.stages']);
    expect(await logins({ lastName: 'lefevre', firstName: 'marie' })).toEqual([]);
  });

  it('matches the last name only, and takes % and _ literally', async () => {
    expect(await logins({ lastName: 'helene' })).toEqual([]);
    expect(await logins({ lastName: '%' })).toEqual([]);
    expect(await logins({ lastName: '_' })).toEqual([]);
  });

  it('returns at most the limit, saying that more matched', async () => {
    await testApp
      .knex('staff')
      .insert(Array.from({ length: 5 }, (_, index) => ({ login: `homonyme${index}`, last_name: 'Homonyme', first_name: `Prénom${index}` })));
    const found = await searchStaff(testApp.knex, { lastName: 'homonyme' }, 3);
    expect(found.people.map((person) => person.login)).toEqual(['homonyme0', 'homonyme1', 'homonyme2']);
    expect(found.truncated).toBe(true);
    expect((await searchStaff(testApp.knex, { lastName: 'homonyme' }, 5)).truncated).toBe(false);
  });
});

/** The anchors the error summary links to, each checked to name an element of the page. */
function summaryLinks(html: string): string[] {
  const summary = /id="error-summary">([\s\S]*?)<\/div>/.exec(html)?.[1];
  expect(summary, 'an error summary').toBeDefined();
  const ids = new Set([...html.matchAll(/\sid="([^"]+)"/g)].map((match) => match[1]));
  const targets = [...summary!.matchAll(/href="#([^"]*)"/g)].map((match) => match[1]!);
  for (const target of targets) expect(ids.has(target), `the summary links to #${target}, which the page does not have`).toBe(true);
  return targets;
}

describe('members of a centre', () => {
  let testApp: TestApp;
  let centres: DemoCentres;
  let responsible: TestAgent;
  let helene: number;

  beforeAll(async () => {
    testApp = await startTestApp();
    centres = await demoCentres(testApp.knex);
    responsible = await testApp.signIn('resp.sciences');
    helene = (await testApp.knex('staff').where({ login: 'agent.stages' }).first('id')).id;
  });
  afterAll(() => testApp.close());

  const members = (centreId: number) => testApp.knex('centre_member').where({ centre_id: centreId });
  const membersPath = () => `/centres/${centres.sciences}/members`;

  it('lists the members with their right to every member of the centre', async () => {
    const page = await (await testApp.signIn('lect.sciences')).get(membersPath()).expect(200);
    expect(page.text).toContain('<h1>Personnel rattaché — UFR Sciences et techniques</h1>');
    for (const name of ['Rémi Responsable', 'Sophie Gestionnaire', 'Luc Lecteur']) expect(page.text).toContain(`<th scope="row">${name}</th>`);
    expect(page.text).toContain('<td>Administration</td>');
    expect(page.text).toContain('<th scope="col">Reçoit les notifications par e-mail</th>');
    expect(page.text).not.toContain('action="/centres/');
    expect(page.text).not.toContain('Denis Gestionnaire');
  });

  it('searches the directory from the page, accent- and case-insensitive', async () => {
    const page = await responsible.get(`${membersPath()}?lastName=lefevre&firstName=&department=`).expect(200);
    expect(page.text).toContain('<caption>Personnels trouvés dans l’annuaire</caption>');
    expect(page.text).toContain('<th scope="row">Hélène Lefèvre</th>');
    expect(page.text).toContain(`<input type="hidden" name="staff_id" value="${helene}">`);
    expect(page.text).toContain('value="lefevre"');

    const none = await responsible.get(`${membersPath()}?lastName=personne`).expect(200);
    expect(none.text).toContain('Aucune personne de l’annuaire ne correspond à cette recherche.');
  });

  it('requires the last name to search', async () => {
    const page = await responsible.get(`${membersPath()}?lastName=&firstName=Sophie`).expect(422);
    expect(page.text).toContain('id="field-lastName-error">Ce champ est obligatoire.<');
    expect(page.text).toContain('value="Sophie"');
  });

  it('offers the notification flag, unchecked, to every candidate', async () => {
    const page = await responsible.get(`${membersPath()}?lastName=lefevre`).expect(200);
    expect(page.text).toContain(`<input type="checkbox" id="candidate-${helene}-notify" name="notify" form="candidate-${helene}">`);
    expect(page.text).toContain(`<label for="candidate-${helene}-notify" class="visually-hidden">Hélène Lefèvre reçoit les notifications par e-mail</label>`);
  });

  it('attaches a person with a right, the contact and the notification flags, and records it', async () => {
    await postForm(responsible, membersPath(), { staff_id: String(helene), access_right: 'WRITE', appears_on_conventions: 'on', notify: 'on' }, 302);
    const member = await members(centres.sciences).where({ staff_id: helene }).first();
    expect(member).toMatchObject({ access_right: 'WRITE', appears_on_conventions: true, notify: true, created_by: 'resp.sciences' });
    const page = await responsible.get(`${membersPath()}?lastName=lefevre`).expect(200);
    expect(page.text).toContain('Hélène Lefèvre est rattaché au centre.');
    expect(page.text).toContain('Déjà rattaché');
    const entry = await testApp
      .knex('audit_log')
      .where({ action: 'centre_member.create', entity_id: String(member.id) })
      .first();
    expect(entry).toMatchObject({ actor_login: 'resp.sciences', entity: 'centre_member' });
    expect(entry.after).toEqual({
      centre_id: centres.sciences,
      staff_id: helene,
      login: 'agent.stages',
      access_right: 'WRITE',
      appears_on_conventions: true,
      notify: true,
    });

    // The right takes effect at once: the new member opens the centre.
    await (await testApp.signIn('agent.stages')).get(`/centres/${centres.sciences}`).expect(200);
  });

  it('refuses to attach a person twice, or somebody the directory does not know, changing nothing', async () => {
    const before = await centreTables(testApp.knex);
    const twice = await postForm(responsible, membersPath(), { staff_id: String(helene), access_right: 'READ' }, 409);
    expect(twice.text).toContain('Cette personne est déjà rattachée à ce centre.');
    const unknown = await postForm(responsible, membersPath(), { staff_id: '999999', access_right: 'READ' }, 422);
    expect(unknown.text).toContain('Cette personne ne figure pas dans l’annuaire des personnels.');
    const forged = await postForm(responsible, membersPath(), { staff_id: 'abc', access_right: 'READ' }, 422);
    expect(forged.text).toContain('Choisissez une personne parmi les résultats de la recherche.');
    expect(await centreTables(testApp.knex)).toBe(before);
  });

  it('links every error of the summary to a control of the page, or to none', async () => {
    const own = await members(centres.sciences)
      .join('staff', 'staff.id', 'centre_member.staff_id')
      .where({ 'staff.login': 'resp.sciences' })
      .first('centre_member.id');
    const before = await centreTables(testApp.knex);

    const forgedPerson = await postForm(responsible, membersPath(), { staff_id: 'abc', access_right: 'READ' }, 422);
    expect(summaryLinks(forgedPerson.text)).toEqual([]);
    expect(forgedPerson.text).toContain('Choisissez une personne parmi les résultats de la recherche.');

    const forgedRight = await postForm(responsible, membersPath(), { staff_id: String(helene), access_right: 'BOSS' }, 422);
    expect(summaryLinks(forgedRight.text)).toEqual([]);
    expect(forgedRight.text).toContain('Droit : Choisissez une valeur de la liste.');

    const both = await postForm(responsible, membersPath(), { access_right: 'BOSS' }, 422);
    expect(summaryLinks(both.text)).toEqual([]);
    expect(both.text).toContain('Droit : Choisissez une valeur de la liste.');
    expect(both.text).toContain('Choisissez une personne parmi les résultats de la recherche.');

    const changed = await postForm(responsible, `${membersPath()}/${own.id}`, { access_right: 'OWNER' }, 422);
    expect(summaryLinks(changed.text)).toEqual([]);
    expect(changed.text).toContain('Droit : Choisissez une valeur de la liste.');

    const unknown = await postForm(responsible, membersPath(), { staff_id: '999999', access_right: 'READ' }, 422);
    expect(summaryLinks(unknown.text)).toEqual([]);

    const search = await responsible.get(`${membersPath()}?lastName=&firstName=Sophie`).expect(422);
    expect(summaryLinks(search.text)).toEqual(['field-lastName']);
    expect(await centreTables(testApp.knex)).toBe(before);
  });

  it('changes a right and the contact and notification flags, and records before and after', async () => {
    const member = await members(centres.sciences).where({ staff_id: helene }).first();
    await postForm(responsible, `${membersPath()}/${member.id}`, { access_right: 'ADMIN' }, 302);
    expect(await members(centres.sciences).where({ id: member.id }).first()).toMatchObject({
      access_right: 'ADMIN',
      appears_on_conventions: false,
      notify: false,
    });
    const entry = await testApp
      .knex('audit_log')
      .where({ action: 'centre_member.update', entity_id: String(member.id) })
      .first();
    expect(entry.before).toMatchObject({ access_right: 'WRITE', appears_on_conventions: true, notify: true });
    expect(entry.after).toMatchObject({ access_right: 'ADMIN', appears_on_conventions: false, notify: false });
    const page = await responsible.get(membersPath()).expect(200);
    expect(page.text).toContain('Les droits de Hélène Lefèvre ont été modifiés.');
    expect(page.text).toMatch(
      new RegExp(`<select id="member-${member.id}-right" name="access_right" form="member-${member.id}">[\\s\\S]*?<option value="ADMIN" selected>`),
    );

    const before = await centreTables(testApp.knex);
    await postForm(responsible, `${membersPath()}/${member.id}`, { access_right: 'OWNER' }, 422);
    expect(await centreTables(testApp.knex)).toBe(before);
  });

  it('switches the notification flag alone, records it, and shows it in the list', async () => {
    const member = await members(centres.sciences).where({ staff_id: helene }).first();
    await postForm(responsible, `${membersPath()}/${member.id}`, { access_right: 'ADMIN', notify: 'on' }, 302);
    expect(await members(centres.sciences).where({ id: member.id }).first()).toMatchObject({
      access_right: 'ADMIN',
      appears_on_conventions: false,
      notify: true,
    });
    const entries = await testApp
      .knex('audit_log')
      .where({ action: 'centre_member.update', entity_id: String(member.id) })
      .orderBy('id');
    expect(entries).toHaveLength(2);
    expect(entries[1].before).toEqual({
      centre_id: centres.sciences,
      staff_id: helene,
      login: 'agent.stages',
      access_right: 'ADMIN',
      appears_on_conventions: false,
      notify: false,
    });
    expect(entries[1].after).toEqual({
      centre_id: centres.sciences,
      staff_id: helene,
      login: 'agent.stages',
      access_right: 'ADMIN',
      appears_on_conventions: false,
      notify: true,
    });

    const page = await responsible.get(membersPath()).expect(200);
    expect(page.text).toContain(`<input type="checkbox" id="member-${member.id}-notify" name="notify" form="member-${member.id}" checked>`);
    expect(page.text).toContain(`<input type="checkbox" id="member-${member.id}-contact" name="appears_on_conventions" form="member-${member.id}">`);

    // A reader sees the flags, without controls: the contact flag says no, the notification flag yes.
    const read = await (await testApp.signIn('lect.sciences')).get(membersPath()).expect(200);
    const row = /<th scope="row">Hélène Lefèvre<\/th>([\s\S]*?)<\/tr>/.exec(read.text)?.[1];
    expect(row).toBeDefined();
    expect([...row!.matchAll(/badge--(yes|no)/g)].map((match) => match[1])).toEqual(['no', 'yes']);
    expect(row).not.toContain('<input');
  });

  it('detaches a member, and records it', async () => {
    const member = await members(centres.sciences).where({ staff_id: helene }).first();
    const detached = await postForm(responsible, `${membersPath()}/${member.id}/delete`, {}, 302);
    expect(detached.headers.location).toBe(membersPath());
    expect(await members(centres.sciences).where({ id: member.id }).first()).toBeUndefined();
    const entry = await testApp
      .knex('audit_log')
      .where({ action: 'centre_member.delete', entity_id: String(member.id) })
      .first();
    expect(entry.before).toMatchObject({ login: 'agent.stages', access_right: 'ADMIN' });
    await postForm(responsible, `${membersPath()}/${member.id}/delete`, {}, 404);
  });

  it('refuses the WRITE member of Sciences the members of another centre', async () => {
    const page = await (await testApp.signIn('gest.sciences')).get(`/centres/${centres.droit}/members`).expect(403);
    expect(page.text).toContain('Accès refusé');
  });

  it('sends an administrator who detached themselves back to the list of centres', async () => {
    const own = await members(centres.sciences)
      .join('staff', 'staff.id', 'centre_member.staff_id')
      .where({ 'staff.login': 'resp.sciences' })
      .first('centre_member.id');
    const detached = await postForm(responsible, `${membersPath()}/${own.id}/delete`, {}, 302);
    expect(detached.headers.location).toBe('/centres');
    await responsible.get(membersPath()).expect(403);
  });
});
