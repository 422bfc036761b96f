import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addMonths } from '../../src/offers/dates.ts';
import { todayInFrance } from '../../src/rules/academic-year.ts';
import { csrfTokenFrom, startTestApp, type TestApp } from '../support/test-app.ts';
import { centreId, createOffer, DROIT, offerAction, postOffer, offerFields } from './support.ts';

/** The life cycle of an offer (docs/domain.md): creation, publication, expiry, filled, deleted, transfer. */
describe('offer life cycle', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp();
  });
  afterAll(() => app.close());

  it('creates an offer with the full form, saved and not published', async () => {
    const staff = await app.signIn('gest.sciences');
    const id = await createOffer(staff, app.knex);
    const row = await app.knex('offer').where({ id }).first();
    expect(row).toMatchObject({
      state: 'saved',
      kind: 'form',
      title: 'Développeur web stagiaire',
      created_by: 'gest.sciences',
      application_modes: ['MAIL', 'TEL'],
      paid: true,
    });
    const page = await staff.get(`/offers/${id}`).expect(200);
    expect(page.text).toContain('Développeur web stagiaire');
    expect(page.text).toContain('Enregistrée, non publiée');
    expect(page.text).toContain('Créée le');
    const actions = await app
      .knex('audit_log')
      .where({ entity: 'offer', entity_id: String(id) })
      .pluck('action');
    expect(actions).toEqual(['offer.create']);
  });

  it('publishes now, for 2 months, to the managing centre and chosen centres', async () => {
    const staff = await app.signIn('gest.sciences');
    const droit = await centreId(app.knex, DROIT);
    const id = await createOffer(staff, app.knex, { publish_now: 'on', months: '2', targets: [String(droit)] });
    const row = await app.knex('offer').where({ id }).first();
    const today = todayInFrance();
    expect(row.state).toBe('published');
    expect(await app.knex('offer_target').where({ offer_id: id }).pluck('centre_id')).toEqual([droit]);
    const until = (await app.knex.raw("SELECT to_char(published_until, 'YYYY-MM-DD') AS d FROM offer WHERE id = ?", [id])).rows[0].d;
    expect(until).toBe(addMonths(today, 2));
  });

  it('refuses bad input with French messages next to the fields, the input kept, nothing stored', async () => {
    const staff = await app.signIn('gest.sciences');
    const before = await app.knex('offer').count({ count: '*' }).first();
    const response = await postOffer(
      staff,
      app.knex,
      await offerFields(app.knex, {
        title: '',
        offer_type: 'EMPLOI',
        missions: '',
        domain: 'Garder ce domaine',
        duration_value: 'six',
        application_contact_id: '',
      }),
    );
    expect(response.status).toBe(422);
    expect(response.text).toContain('Ce champ est obligatoire.');
    expect(response.text).toContain('Choisissez le contrat correspondant au type d’offre.');
    expect(response.text).toContain('Durée : un nombre positif');
    expect(response.text).toContain('Choisissez le contact pour candidater');
    expect(response.text).toContain('value="Garder ce domaine"');
    expect(await app.knex('offer').count({ count: '*' }).first()).toEqual(before);
  });

  it('walks every transition and refuses the impossible ones with 409', async () => {
    const staff = await app.signIn('gest.sciences');
    const id = await createOffer(staff, app.knex);
    const state = async () => (await app.knex('offer').where({ id }).first('state')).state as string;

    expect((await offerAction(staff, app.knex, id, `/offers/${id}/state/stop`)).status).toBe(409);
    expect((await offerAction(staff, app.knex, id, `/offers/${id}/publish`, { months: '13' })).status).toBe(422);
    expect((await offerAction(staff, app.knex, id, `/offers/${id}/publish`, { months: '1', all_centres: 'on' })).status).toBe(302);
    expect(await state()).toBe('published');
    expect((await app.knex('offer_target').where({ offer_id: id })).length).toBeGreaterThan(2);
    expect((await offerAction(staff, app.knex, id, `/offers/${id}/state/stop`)).status).toBe(302);
    expect(await state()).toBe('saved');
    expect((await offerAction(staff, app.knex, id, `/offers/${id}/state/fill`)).status).toBe(302);
    expect(await state()).toBe('filled');
    expect((await offerAction(staff, app.knex, id, `/offers/${id}/publish`, { months: '1' })).status).toBe(409);
    expect((await offerAction(staff, app.knex, id, `/offers/${id}/state/unfill`)).status).toBe(302);
    expect(await state()).toBe('saved');
    expect((await offerAction(staff, app.knex, id, `/offers/${id}/state/delete`)).status).toBe(302);
    expect(await state()).toBe('deleted');
    expect((await offerAction(staff, app.knex, id, `/offers/${id}/state/delete`)).status).toBe(409);
    // Deleted is kept as history: found with the "archived" state.
    const archived = await staff.get('/offers?state=archived&country=').expect(200);
    expect(archived.text).toContain(`href="/offers/${id}"`);
    const actions = await app
      .knex('audit_log')
      .where({ entity: 'offer', entity_id: String(id) })
      .orderBy('id')
      .pluck('action');
    expect(actions).toEqual(['offer.create', 'offer.publish', 'offer.stop', 'offer.fill', 'offer.unfill', 'offer.delete']);
  });

  it('refuses a change made on a stale version with 409', async () => {
    const staff = await app.signIn('gest.sciences');
    const id = await createOffer(staff, app.knex);
    const token = await csrfTokenFrom(staff, `/offers/${id}`);
    const response = await staff.post(`/offers/${id}/state/fill`).type('form').send({ _csrf: token, version: '99' });
    expect(response.status).toBe(409);
    expect(response.text).toContain('modifi');
  });

  it('lets only WRITE staff of the managing centre change an offer', async () => {
    const staff = await app.signIn('gest.sciences');
    const id = await createOffer(staff, app.knex, { publish_now: 'on', months: '2', all_centres: 'on' });
    const reader = await app.signIn('lect.sciences');
    await reader.get(`/offers/${id}`).expect(200);
    expect((await offerAction(reader, app.knex, id, `/offers/${id}/state/fill`)).status).toBe(403);
    await reader.get('/offers/new').expect(403);
    const other = await app.signIn('gest.droit');
    // Published to Droit: gest.droit reads it, but does not manage it.
    await other.get(`/offers/${id}`).expect(200);
    expect((await offerAction(other, app.knex, id, `/offers/${id}/state/fill`)).status).toBe(403);
    await other.get(`/offers/${id}/edit/details`).expect(403);
    const student = await app.signIn('etu.sciences1');
    expect((await offerAction(student, app.knex, id, `/offers/${id}/state/fill`)).status).toBe(403);
    await student.get('/offers/new').expect(403);
    const admin = await app.signIn('admin');
    expect((await offerAction(admin, app.knex, id, `/offers/${id}/state/fill`)).status).toBe(302);
    await app.anonymous().get(`/offers/${id}`).expect(302);
  });

  it('counts as expired once the end date has passed, and can be published again', async () => {
    const staff = await app.signIn('gest.sciences');
    const id = await createOffer(staff, app.knex, { publish_now: 'on', months: '1', all_centres: 'on' });
    await app.knex('offer').where({ id }).update({ published_on: '2020-01-01', published_until: '2020-02-01' });
    const expired = await staff.get('/offers?state=expired&country=').expect(200);
    expect(expired.text).toContain(`href="/offers/${id}"`);
    expect(expired.text).toContain('Publication expirée');
    const student = await app.signIn('etu.sciences1');
    await student.get(`/offers/${id}`).expect(404);
    expect((await offerAction(staff, app.knex, id, `/offers/${id}/publish`, { months: '3', all_centres: 'on' })).status).toBe(302);
    await student.get(`/offers/${id}`).expect(200);
  });

  it('transfers an offer to the company centre after confirmation', async () => {
    const staff = await app.signIn('gest.sciences');
    const id = await createOffer(staff, app.knex);
    const confirmation = await staff.get(`/offers/${id}/transfer`).expect(200);
    expect(confirmation.text).toContain('Confirmer le transfert');
    expect((await offerAction(staff, app.knex, id, `/offers/${id}/transfer`)).status).toBe(302);
    const company = (await app.knex('centre').where({ level: 'ENTREPRISE' }).first('id')).id;
    const row = await app.knex('offer').where({ id }).first('centre_id', 'application_contact_id');
    expect(row.centre_id).toBe(company);
    expect(row.application_contact_id).not.toBeNull();
    // Out of gest.sciences's centres now.
    await staff.get(`/offers/${id}`).expect(404);
  });
});
