import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type TestAgent from 'supertest/lib/agent.js';
import { resolveCentreForEnrolments } from '../../src/centres/resolution.ts';
import { centreDetails } from '../../src/centres/service.ts';
import { loadActor } from '../../src/access/actor.ts';
import { startTestApp, type TestApp } from '../support/test-app.ts';
import { centreTables, demoCentres, postForm, type DemoCentres } from './support.ts';
import { fieldError } from '../support/form-errors.ts';

describe('criteria of a centre', () => {
  let testApp: TestApp;
  let centres: DemoCentres;
  let responsible: TestAgent;

  beforeAll(async () => {
    testApp = await startTestApp();
    centres = await demoCentres(testApp.knex);
    responsible = await testApp.signIn('resp.sciences');
  });
  afterAll(() => testApp.close());

  it('offers the faculty and step codes, saying which centre already owns each', async () => {
    const page = await responsible.get(`/centres/${centres.sciences}`).expect(200);
    expect(page.text).toContain('<label for="field-faculty_code">Composante à ajouter');
    expect(page.text).toContain('<label for="field-step_code">Étape à ajouter');
    expect(page.text).toContain('<option value="DEG">DEG — UFR Droit, économie et gestion (centre « UFR Droit et économie »)</option>');
    expect(page.text).toContain('<option value="M1BIO">M1BIO — Master 1 Biologie</option>');
    expect(page.text).not.toContain('<option value="SCI">');
  });

  it('chooses in the service which codes are offered: by kind, all but the centre’s own, none to a member who does not administer it', async () => {
    const details = await centreDetails(testApp.knex, (await loadActor(testApp.knex, 'resp.sciences', []))!, centres.sciences);
    expect(Object.keys(details.criterionChoices)).toEqual(['faculty', 'step']);
    const codes = (kind: 'faculty' | 'step') => details.criterionChoices[kind].map((choice) => choice.code);
    expect(codes('faculty')).toEqual(expect.arrayContaining(['DEG', 'IUT', 'LLSH']));
    expect(codes('faculty')).not.toContain('SCI');
    expect(codes('step')).toEqual(expect.arrayContaining(['L3INFO', 'M1BIO', 'BUTINFO2']));
    expect(details.criterionChoices.faculty.every((choice) => choice.kind === 'faculty')).toBe(true);
    expect(details.criterionChoices.step.every((choice) => choice.kind === 'step')).toBe(true);
    expect(details.criterionChoices.faculty.find((choice) => choice.code === 'DEG')).toMatchObject({
      owner_id: centres.droit,
      owner_name: 'UFR Droit et économie',
    });

    const reader = await centreDetails(testApp.knex, (await loadActor(testApp.knex, 'lect.sciences', []))!, centres.sciences);
    expect(reader.criterionChoices).toEqual({ faculty: [], step: [] });
  });

  it('adds a step code and removes it, each time with an audit row', async () => {
    await postForm(responsible, `/centres/${centres.sciences}/criteria`, { kind: 'step', step_code: 'M1BIO' }, 302);
    const criterion = await testApp.knex('centre_criterion').where({ kind: 'step', code: 'M1BIO' }).first();
    expect(criterion.centre_id).toBe(centres.sciences);
    const page = await responsible.get(`/centres/${centres.sciences}`).expect(200);
    expect(page.text).toContain('Le critère M1BIO a été ajouté.');
    expect(page.text).toContain('<th scope="row">M1BIO</th>');
    const added = await testApp
      .knex('audit_log')
      .where({ action: 'centre_criterion.create', entity_id: String(criterion.id) })
      .first();
    expect(added).toMatchObject({ actor_login: 'resp.sciences', after: { centre_id: centres.sciences, kind: 'step', code: 'M1BIO' } });

    await postForm(responsible, `/centres/${centres.sciences}/criteria/${criterion.id}/delete`, {}, 302);
    expect(await testApp.knex('centre_criterion').where({ id: criterion.id }).first()).toBeUndefined();
    const removed = await testApp
      .knex('audit_log')
      .where({ action: 'centre_criterion.delete', entity_id: String(criterion.id) })
      .first();
    expect(removed.before).toEqual({ centre_id: centres.sciences, kind: 'step', code: 'M1BIO' });
    await postForm(responsible, `/centres/${centres.sciences}/criteria/${criterion.id}/delete`, {}, 404);
  });

  it.each([
    ['faculty', 'DEG', 409, 'Le code DEG est déjà un critère du centre « UFR Droit et économie » : retirez-le d’abord de ce centre.'],
    ['step', 'BUTINFO2', 409, 'Le code BUTINFO2 est déjà un critère du centre « IUT » : retirez-le d’abord de ce centre.'],
    ['faculty', 'SCI', 409, 'Ce code est déjà un critère de ce centre.'],
    ['step', 'NOPE', 422, 'Ce code n’existe pas : choisissez-le dans la liste.'],
    ['step', '', 422, 'Ce champ est obligatoire.'],
  ])('refuses the %s code “%s” with a clear message, changing nothing', async (kind, code, status, message) => {
    const before = await centreTables(testApp.knex);
    const page = await postForm(responsible, `/centres/${centres.sciences}/criteria`, { kind: kind!, [`${kind}_code`]: code! }, status as number);
    expect(fieldError(page.text, `${kind}_code`)).toBe(message);
    expect(await centreTables(testApp.knex)).toBe(before);
  });

  it('feeds the centre resolution: a step criterion wins over the faculty of the enrolment', async () => {
    const iutAdmin = await testApp.signIn('gest.iut');
    await postForm(iutAdmin, `/centres/${centres.iut}/criteria`, { kind: 'step', step_code: 'M2INFO' }, 302);
    const [resolved] = await resolveCentreForEnrolments(testApp.knex, [{ facultyCode: 'SCI', stepCode: 'M2INFO' }]);
    expect(resolved).toEqual({ id: centres.iut, name: 'IUT' });
  });
});

describe('deleting a centre', () => {
  let testApp: TestApp;
  let centres: DemoCentres;
  let admin: TestAgent;

  beforeAll(async () => {
    testApp = await startTestApp();
    centres = await demoCentres(testApp.knex);
    admin = await testApp.signIn('admin');
  });
  afterAll(() => testApp.close());

  const attachmentRow = (html: string, label: string) => {
    const start = html.indexOf(`<th scope="row">${label}</th>`);
    return html.slice(start, html.indexOf('</tr>', start)).replace(/\s+/g, ' ');
  };

  it('shows what is attached, and refuses while members are attached', async () => {
    const page = await admin.get(`/centres/${centres.sciences}/delete`).expect(200);
    expect(page.text).toContain('<h1>Supprimer le centre UFR Sciences et techniques</h1>');
    expect(attachmentRow(page.text, 'Personnels rattachés')).toContain('<td>3</td> <td>Empêche la suppression</td>');
    expect(attachmentRow(page.text, 'Critères de gestion')).toContain('<td>1</td> <td>Supprimé avec le centre</td>');
    expect(page.text).toContain('Ce centre ne peut pas être supprimé tant que des éléments y sont rattachés');
    expect(page.text).not.toContain('Supprimer définitivement');

    const before = await centreTables(testApp.knex);
    const refused = await postForm(admin, `/centres/${centres.sciences}/delete`, {}, 409);
    expect(refused.text).toContain('Ce centre ne peut pas être supprimé tant que des éléments y sont rattachés');
    expect(await centreTables(testApp.knex)).toBe(before);
  });

  it('never deletes the institution-wide centre, even with nothing attached', async () => {
    await testApp.knex('centre_member').where({ centre_id: centres.etablissement }).delete();
    const page = await admin.get(`/centres/${centres.etablissement}/delete`).expect(200);
    expect(page.text).toContain('Le centre de niveau Établissement ne peut pas être supprimé');
    const before = await centreTables(testApp.knex);
    const refused = await postForm(admin, `/centres/${centres.etablissement}/delete`, {}, 409);
    expect(refused.text).toContain('Le centre de niveau Établissement ne peut pas être supprimé');
    expect(await centreTables(testApp.knex)).toBe(before);
  });

  it('deletes a new centre with its criteria, once, irreversibly, and records it in the audit log', async () => {
    const created = await postForm(
      admin,
      '/centres',
      {
        name: 'Centre éphémère',
        level: 'ETAPE',
        phone: '01 02 03 04 05',
        student_print_rule: 'always',
        contacts_confidentiality: '0',
        previous_year_months: '12',
        copies: '3',
        alert_delay_days: '15',
      },
      302,
    );
    const id = Number((created.headers.location as string).split('/').pop());
    await postForm(admin, `/centres/${id}/criteria`, { kind: 'faculty', faculty_code: 'LLSH' }, 302);

    const page = await admin.get(`/centres/${id}/delete`).expect(200);
    expect(attachmentRow(page.text, 'Personnels rattachés')).toContain('<td>0</td>');
    expect(attachmentRow(page.text, 'Critères de gestion')).toContain('<td>1</td>');
    expect(page.text).toContain('La suppression est définitive : elle ne peut pas être annulée.');
    expect(page.text).toContain('data-confirm="Supprimer définitivement le centre « Centre éphémère » ? Cette action ne peut pas être annulée."');

    const deleted = await postForm(admin, `/centres/${id}/delete`, {}, 302);
    expect(deleted.headers.location).toBe('/centres');
    expect(await testApp.knex('centre').where({ id }).first()).toBeUndefined();
    expect(await testApp.knex('centre_criterion').where({ centre_id: id })).toEqual([]);
    const list = await admin.get('/centres').expect(200);
    expect(list.text).toContain('Le centre « Centre éphémère » a été supprimé.');
    const entry = await testApp
      .knex('audit_log')
      .where({ action: 'centre.delete', entity_id: String(id) })
      .first();
    expect(entry.actor_login).toBe('admin');
    expect(entry.before).toMatchObject({ name: 'Centre éphémère', level: 'ETAPE', criteria: [{ kind: 'faculty', code: 'LLSH' }] });
    expect(entry.after).toBeNull();

    await admin.get(`/centres/${id}`).expect(404);
    await postForm(admin, `/centres/${id}/delete`, {}, 404);
  });
});
