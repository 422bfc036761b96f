import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { csrfTokenFrom, startTestApp, type TestApp } from '../support/test-app.ts';
import { centreId, createOffer, demoHost, offerAction, SCIENCES } from './support.ts';

/** Creation from the host choice, and the edition of each block of the offer page. */
describe('offer creation and blocks', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp();
  });
  afterAll(() => app.close());

  it('finds the host with the directory search, or creates it with the directory form', async () => {
    const staff = await app.signIn('gest.sciences');
    const search = await staff.get('/offers/new?name=Atlantique').expect(200);
    const { hostId } = await demoHost(app.knex);
    expect(search.text).toContain(`href="/offers/new?host=${hostId}"`);
    const form = await staff.get(`/offers/new?host=${hostId}`).expect(200);
    expect(form.text).toContain('Structure d’accueil : Logiciels Atlantique');

    const token = await csrfTokenFrom(staff, '/offers/new/host');
    const refused = await staff.post('/offers/new/host').type('form').send({ _csrf: token, name: 'Nouvelle structure' });
    expect(refused.status).toBe(422);
    expect(refused.text).toContain('value="Nouvelle structure"');
    const created = await staff.post('/offers/new/host').type('form').send({
      _csrf: token,
      name: 'Atelier Numérique',
      siret: '73282932000074',
      naf_code: '62.01Z',
      legal_status_code: 'SAS',
      host_type_code: '3',
      address: '3 rue du Code',
      postal_code: '75011',
      town: 'Paris',
      country_code: 'FR',
      phone: '01 23 45 67 89',
    });
    expect(created.status, created.text.slice(0, 2000)).toBe(302);
    expect(created.headers.location).toMatch(/^\/offers\/new\?host=\d+$/);
  });

  it('edits the details block with the version the form was opened at', async () => {
    const staff = await app.signIn('gest.sciences');
    const id = await createOffer(staff, app.knex);
    const form = await staff.get(`/offers/${id}/edit/details`).expect(200);
    expect(form.text).toContain('value="Développeur web stagiaire"');
    const refused = await offerAction(staff, app.knex, id, `/offers/${id}/edit/details`, {
      offer_type: 'ALTERN',
      contract: 'CDI',
      title: 'Apprenti',
      missions: 'Coder',
      country_code: 'FR',
    });
    expect(refused.status).toBe(422);
    expect(refused.text).toContain('Choisissez le contrat correspondant au type d’offre.');
    expect(refused.text).toContain('value="Apprenti"');
    const saved = await offerAction(staff, app.knex, id, `/offers/${id}/edit/details`, {
      offer_type: 'ALTERN',
      contract: 'CTPRO',
      title: 'Apprenti développeur',
      missions: 'Coder',
      country_code: 'FR',
    });
    expect(saved.status).toBe(302);
    expect(await app.knex('offer').where({ id }).first('title', 'contract', 'version')).toEqual({
      title: 'Apprenti développeur',
      contract: 'CTPRO',
      version: 2,
    });
    const token = await csrfTokenFrom(staff, `/offers/${id}`);
    const stale = await staff
      .post(`/offers/${id}/edit/details`)
      .type('form')
      .send({ _csrf: token, version: '1', offer_type: 'STAGE', title: 'Trop tard', missions: 'x', country_code: 'FR' });
    expect(stale.status).toBe(409);
    expect(stale.text).toContain('value="Trop tard"');
  });

  it('edits the centre, host and content blocks, each with an audit row', async () => {
    const staff = await app.signIn('resp.sciences');
    const id = await createOffer(staff, app.knex);
    expect(
      (await offerAction(staff, app.knex, id, `/offers/${id}/edit/centre`, { centre_id: String(await centreId(app.knex, 'UFR Droit et économie')) })).status,
    ).toBe(422);
    expect((await offerAction(staff, app.knex, id, `/offers/${id}/edit/centre`, { centre_id: String(await centreId(app.knex, SCIENCES)) })).status).toBe(302);
    const { hostId, contactId } = await demoHost(app.knex);
    const hostSearch = await staff.get(`/offers/${id}/edit/host?name=Atlantique`).expect(200);
    expect(hostSearch.text).toContain(`/offers/${id}/edit/host?host=${hostId}`);
    expect(
      (await offerAction(staff, app.knex, id, `/offers/${id}/edit/host`, { host_id: String(hostId), application_contact_id: '', host_shown: '' })).status,
    ).toBe(422);
    expect(
      (await offerAction(staff, app.knex, id, `/offers/${id}/edit/host`, { host_id: String(hostId), application_contact_id: String(contactId) })).status,
    ).toBe(302);
    expect((await app.knex('offer').where({ id }).first('host_shown')).host_shown).toBe(false);
    expect((await offerAction(staff, app.knex, id, `/offers/${id}/edit/content`, { kind: 'link', link_url: 'https://exemple.fr/offre' })).status).toBe(302);
    expect(await app.knex('offer').where({ id }).first('kind', 'link_url')).toEqual({ kind: 'link', link_url: 'https://exemple.fr/offre' });
    const actions = await app
      .knex('audit_log')
      .where({ entity: 'offer', entity_id: String(id) })
      .orderBy('id')
      .pluck('action');
    expect(actions).toEqual(['offer.create', 'offer.update.centre', 'offer.update.host', 'offer.update.content']);
  });

  it('creates a contact in a service of the host from the offer form, then back to it', async () => {
    const staff = await app.signIn('gest.sciences');
    const { hostId } = await demoHost(app.knex);
    const form = await staff.get(`/offers/new?host=${hostId}`).expect(200);
    expect(form.text).toContain(`href="/offers/contacts/new?host=${hostId}"`);
    const path = `/offers/contacts/new?host=${hostId}`;
    const token = await csrfTokenFrom(staff, path);
    const refused = await staff.post(path).type('form').send({ _csrf: token, last_name: 'Durand' });
    expect(refused.status).toBe(422);
    expect(refused.text).toContain('value="Durand"');
    const serviceId = (await app.knex('host_service').where({ host_id: hostId }).first('id')).id as number;
    const created = await staff
      .post(path)
      .type('form')
      .send({
        _csrf: token,
        service_id: String(serviceId),
        civility: 'MME',
        last_name: 'Durand',
        first_name: 'Alice',
        function: 'Recruteuse',
        phone: '01 23 45 67 89',
        email: 'alice.durand@example.fr',
      });
    expect(created.status, created.text.slice(0, 1500)).toBe(302);
    expect(created.headers.location).toBe(`/offers/new?host=${hostId}`);
    expect((await staff.get(created.headers.location as string).expect(200)).text).toContain('Alice Durand');
    const reader = await app.signIn('lect.sciences');
    await reader.get(path).expect(403);
  });

  it('answers 404 for an offer number that does not exist or is not a number', async () => {
    const staff = await app.signIn('gest.sciences');
    await staff.get('/offers/999999').expect(404);
    await staff.get('/offers/abc').expect(404);
    await staff.get('/offers/999999/edit/details').expect(404);
  });
});
