import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type TestAgent from 'supertest/lib/agent.js';
import { startTestApp, type TestApp } from '../support/test-app.ts';
import { centreTables, currentSettings, demoCentres, postForm, type DemoCentres } from './support.ts';
import { fieldError } from '../support/form-errors.ts';

const NEW_CENTRE = {
  name: 'Institut de géographie',
  level: 'UFR',
  address: '191 rue Saint-Jacques',
  postal_code: '75005',
  town: 'Paris',
  phone: '01 44 32 14 00',
  email: 'stages-geo@univ-demo.fr',
  website: 'https://geo.univ-demo.fr',
  student_print_rule: 'after_pedagogical',
  contacts_confidentiality: '2',
  previous_year_months: '3',
  copies: '4',
  alert_delay_days: '20',
  tutor_mandatory: 'on',
  students_may_create: 'on',
};

describe('the list of centres', () => {
  let testApp: TestApp;
  beforeAll(async () => {
    testApp = await startTestApp();
  });
  afterAll(() => testApp.close());

  it('shows the columns of the PStage guide, with the actor’s own attachment', async () => {
    const agent = await testApp.signIn('resp.sciences');
    const page = await agent.get('/centres').expect(200);
    for (const header of [
      'N°',
      'Nom',
      'Niveau',
      'Critères de gestion',
      'Tuteur obligatoire',
      'Enseignant référent obligatoire',
      'Saisie du tuteur par l’étudiant',
      'Confidentialité des contacts',
      'Votre rattachement',
    ]) {
      expect(page.text).toContain(`<th scope="col">${header}</th>`);
    }
    const row = (name: string) => page.text.slice(page.text.indexOf(name), page.text.indexOf('</tr>', page.text.indexOf(name)));
    expect(row('UFR Sciences et techniques')).toContain('Composantes : SCI');
    expect(row('UFR Sciences et techniques')).toContain('Vous êtes rattaché (Administration)');
    expect(row('>IUT<')).toContain('Étapes : BUTGEA2, BUTINFO2');
    expect(row('>IUT<')).toContain('Vous n’êtes pas rattaché');
    const yesNo = (html: string) => [...html.matchAll(/badge--(yes|no)/g)].map((match) => match[1]);
    // Tutor mandatory, supervisor mandatory, students may enter the tutor.
    expect(yesNo(row('UFR Droit et économie'))).toEqual(['yes', 'no', 'yes']);
    expect(row('UFR Droit et économie')).toContain('<td>Aucune</td>');
    // Only the centres one may open are links.
    const { sciences, droit } = await demoCentres(testApp.knex);
    expect(page.text).toContain(`href="/centres/${sciences}"`);
    expect(page.text).not.toContain(`href="/centres/${droit}"`);
    expect(page.text).not.toContain('Nouveau centre');
  });

  it('offers the super-admin to create a centre', async () => {
    const page = await (await testApp.signIn('admin')).get('/centres').expect(200);
    expect(page.text).toContain('href="/centres/new"');
  });

  it('reads the centres and their criteria in one query, whatever their number', async () => {
    const agent = await testApp.signIn('gest.sciences');
    const queries: string[] = [];
    const listen = (query: { sql: string }) => queries.push(query.sql);
    testApp.knex.on('query', listen);
    try {
      await agent.get('/centres').expect(200);
    } finally {
      testApp.knex.off('query', listen);
    }
    // The other queries of the request are the sign-in's (who is this person, in which centres).
    expect(queries.filter((sql) => sql.includes('"centre"') || sql.includes('"centre_criterion"'))).toHaveLength(1);
  });
});

describe('creating and editing a centre', () => {
  let testApp: TestApp;
  let centres: DemoCentres;
  let admin: TestAgent;
  let responsible: TestAgent;

  beforeAll(async () => {
    testApp = await startTestApp();
    centres = await demoCentres(testApp.knex);
    admin = await testApp.signIn('admin');
    responsible = await testApp.signIn('resp.sciences');
  });
  afterAll(() => testApp.close());

  it('creates a centre with every setting, and records it in the audit log', async () => {
    const created = await postForm(admin, '/centres', NEW_CENTRE, 302);
    const centre = await testApp.knex('centre').where({ name: NEW_CENTRE.name }).first();
    expect(created.headers.location).toBe(`/centres/${centre.id}`);
    expect(centre).toMatchObject({
      level: 'UFR',
      postal_code: '75005',
      fax: null,
      instructions_url: null,
      student_print_rule: 'after_pedagogical',
      contacts_confidentiality: '2',
      previous_year_months: 3,
      copies: 4,
      alert_delay_days: 20,
      tutor_mandatory: true,
      supervisor_mandatory: false,
      students_may_create: true,
      students_may_enter_tutor: false,
      version: 1,
      created_by: 'admin',
    });
    const page = await admin.get(created.headers.location as string).expect(200);
    expect(page.text).toContain('Le centre « Institut de géographie » a été créé.');
    const entry = await testApp
      .knex('audit_log')
      .where({ action: 'centre.create', entity_id: String(centre.id) })
      .first();
    expect(entry).toMatchObject({ actor_login: 'admin', entity: 'centre' });
    expect(entry.after).toMatchObject({ name: NEW_CENTRE.name, level: 'UFR' });
  });

  it('refuses a form without name or phone, with a French message next to each field, and writes nothing', async () => {
    const before = await centreTables(testApp.knex);
    const page = await postForm(admin, '/centres', { ...NEW_CENTRE, name: '', phone: '   ', town: 'Lyon' }, 422);
    expect(fieldError(page.text, 'name')).toBe('Ce champ est obligatoire.');
    expect(fieldError(page.text, 'phone')).toBe('Ce champ est obligatoire.');
    expect(page.text).toContain('Le formulaire contient 2 erreur(s)');
    expect(page.text).toContain('href="#field-name"');
    expect(page.text).toContain('value="Lyon"');
    expect(await centreTables(testApp.knex)).toBe(before);
  });

  it('refuses over-long and malformed values, keeping what was typed', async () => {
    const before = await centreTables(testApp.knex);
    const long = 'x'.repeat(10_000);
    const page = await postForm(
      admin,
      '/centres',
      {
        ...NEW_CENTRE,
        name: long,
        address: long,
        town: long,
        signing_officer_title: long,
        email: 'pas-une-adresse',
        website: 'javascript:alert(1)',
        postal_code: '1234',
        phone: '01 23 45 67 89 <b>',
        copies: '0',
        previous_year_months: '',
        alert_delay_days: 'quinze',
        student_print_rule: 'sometimes',
        level: 'PLANET',
      },
      422,
    );
    expect(fieldError(page.text, 'name')).toBe('150 caractères au plus.');
    expect(fieldError(page.text, 'address')).toBe('300 caractères au plus.');
    expect(fieldError(page.text, 'town')).toBe('100 caractères au plus.');
    expect(fieldError(page.text, 'signing_officer_title')).toBe('200 caractères au plus.');
    expect(fieldError(page.text, 'email')).toMatch(/^Adresse e-mail invalide/);
    expect(fieldError(page.text, 'website')).toMatch(/^Adresse web invalide/);
    expect(fieldError(page.text, 'postal_code')).toMatch(/^Code postal invalide/);
    expect(fieldError(page.text, 'phone')).toMatch(/^Numéro de téléphone invalide/);
    expect(fieldError(page.text, 'copies')).toBe('Au moins 1.');
    expect(fieldError(page.text, 'previous_year_months')).toBe('Ce champ est obligatoire.');
    expect(fieldError(page.text, 'alert_delay_days')).toBe('Nombre entier attendu.');
    expect(fieldError(page.text, 'student_print_rule')).toBe('Choisissez une valeur de la liste.');
    expect(fieldError(page.text, 'level')).toBe('Choisissez une valeur de la liste.');
    expect(page.text).toContain(`value="${long}"`);
    expect(page.text).toContain('value="quinze"');
    expect(page.text).toContain('01 23 45 67 89 &lt;b&gt;');
    expect(await centreTables(testApp.knex)).toBe(before);
  });

  it('saves HTML and script payloads as text and always shows them escaped', async () => {
    const payload = '<script>alert("centre")</script><img src=x onerror=alert(1)>';
    const created = await postForm(admin, '/centres', { ...NEW_CENTRE, name: payload, town: '"><b>Ville</b>', signing_officer_name: payload }, 302);
    const id = Number((created.headers.location as string).split('/').pop());
    expect((await testApp.knex('centre').where({ id }).first()).name).toBe(payload);
    for (const path of [`/centres/${id}`, '/centres', `/centres/${id}/members`, `/centres/${id}/delete`]) {
      const page = await admin.get(path).expect(200);
      expect(page.text, path).toContain('&lt;script&gt;alert(&#34;centre&#34;)&lt;/script&gt;');
      expect(page.text, path).not.toContain('<script>alert');
      expect(page.text, path).not.toContain('<img src=x');
    }
    const page = await admin.get(`/centres/${id}`);
    expect(page.text).toContain('value="&#34;&gt;&lt;b&gt;Ville&lt;/b&gt;"');
  });

  it('refuses a second institution-wide or company centre, and a name already taken, with a clear message', async () => {
    const before = await centreTables(testApp.knex);
    for (const [level, message] of [
      ['ETABLISSEMENT', 'Il existe déjà un centre de niveau Établissement'],
      ['ENTREPRISE', 'Il existe déjà un centre de niveau Entreprise'],
    ]) {
      const page = await postForm(admin, '/centres', { ...NEW_CENTRE, name: `Autre centre ${level}`, level: level! }, 409);
      expect(fieldError(page.text, 'level')).toContain(message);
      expect(page.text).toContain(`value="Autre centre ${level}"`);
    }
    const duplicate = await postForm(admin, '/centres', { ...NEW_CENTRE, name: 'ufr sciences ET techniques' }, 409);
    expect(fieldError(duplicate.text, 'name')).toBe('Un autre centre porte déjà ce nom : choisissez-en un autre.');
    expect(await centreTables(testApp.knex)).toBe(before);
  });

  it('lets the ADMIN of a centre save its settings, but not its level; a new version and an audit row follow', async () => {
    const form = await currentSettings(testApp.knex, centres.sciences);
    const saved = await postForm(
      responsible,
      `/centres/${centres.sciences}`,
      { ...form, level: 'ETABLISSEMENT', town: 'Orsay', postal_code: '91400', supervisor_mandatory: 'on', copies: '2' },
      302,
    );
    expect(saved.headers.location).toBe(`/centres/${centres.sciences}`);
    const centre = await testApp.knex('centre').where({ id: centres.sciences }).first();
    expect(centre).toMatchObject({ level: 'UFR', town: 'Orsay', postal_code: '91400', supervisor_mandatory: true, copies: 2, updated_by: 'resp.sciences' });
    expect(centre.version).toBe(Number(form.version) + 1);
    const entry = await testApp
      .knex('audit_log')
      .where({ action: 'centre.update', entity_id: String(centres.sciences) })
      .orderBy('id', 'desc')
      .first();
    expect(entry.actor_login).toBe('resp.sciences');
    expect(entry.before).toMatchObject({ town: 'Paris', copies: 3 });
    expect(entry.after).toMatchObject({ town: 'Orsay', copies: 2 });
    expect(JSON.stringify(entry.before)).not.toContain('"logo"');
    const page = await responsible.get(saved.headers.location as string);
    expect(page.text).toContain('Les paramètres du centre ont été enregistrés.');
    expect(page.text).toContain('Seul un super-administrateur peut changer le niveau');
  });

  it('answers 409 to a form opened before someone else saved, keeping the input, and accepts it sent again', async () => {
    const stale = await currentSettings(testApp.knex, centres.sciences);
    await postForm(admin, `/centres/${centres.sciences}`, { ...stale, town: 'Palaiseau' }, 302);
    const before = await centreTables(testApp.knex);

    const conflict = await postForm(responsible, `/centres/${centres.sciences}`, { ...stale, town: 'Gif-sur-Yvette' }, 409);
    expect(conflict.text).toContain('Quelqu’un d’autre a modifié cette fiche pendant que vous la remplissiez.');
    expect(conflict.text).toContain('value="Gif-sur-Yvette"');
    expect(await centreTables(testApp.knex)).toBe(before);

    const currentVersion = /name="version" value="(\d+)"/.exec(conflict.text)![1]!;
    expect(Number(currentVersion)).toBe(Number(stale.version) + 1);
    await postForm(responsible, `/centres/${centres.sciences}`, { ...stale, version: currentVersion, town: 'Gif-sur-Yvette' }, 302);
    expect((await testApp.knex('centre').where({ id: centres.sciences }).first()).town).toBe('Gif-sur-Yvette');
  });

  it('refuses a forged version as a bad request', async () => {
    const form = await currentSettings(testApp.knex, centres.sciences);
    await postForm(responsible, `/centres/${centres.sciences}`, { ...form, version: 'abc' }, 400);
    await postForm(responsible, `/centres/${centres.sciences}`, { ...form, version: '' }, 400);
  });

  it('lets the super-admin change a level, within the one-institution and one-company rule', async () => {
    const iut = await currentSettings(testApp.knex, centres.iut);
    await postForm(admin, `/centres/${centres.iut}`, { ...iut, level: 'UFR' }, 302);
    expect((await testApp.knex('centre').where({ id: centres.iut }).first()).level).toBe('UFR');

    const before = await centreTables(testApp.knex);
    const droit = await currentSettings(testApp.knex, centres.droit);
    const taken = await postForm(admin, `/centres/${centres.droit}`, { ...droit, level: 'ENTREPRISE' }, 409);
    expect(fieldError(taken.text, 'level')).toContain('Il existe déjà un centre de niveau Entreprise');
    expect(taken.text).toContain('value="UFR Droit et économie"');

    const institution = await currentSettings(testApp.knex, centres.etablissement);
    const locked = await postForm(admin, `/centres/${centres.etablissement}`, { ...institution, level: 'UFR' }, 422);
    expect(fieldError(locked.text, 'level')).toContain('Le centre de niveau Établissement doit le rester');
    expect(await centreTables(testApp.knex)).toBe(before);
  });

  it('shows the settings to READ and WRITE members as text, escaped', async () => {
    await testApp.knex('centre').where({ id: centres.sciences }).update({ signing_officer_title: '<i>Doyen</i>' });
    const page = await (await testApp.signIn('lect.sciences')).get(`/centres/${centres.sciences}`).expect(200);
    expect(page.text).toContain('&lt;i&gt;Doyen&lt;/i&gt;');
    expect(page.text).toContain('<dt>Nombre d’exemplaires imprimés</dt><dd>');
    expect(page.text).not.toContain('name="version"');
  });
});
