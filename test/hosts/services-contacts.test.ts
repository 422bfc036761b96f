import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type TestAgent from 'supertest/lib/agent.js';
import { startTestApp, type TestApp } from '../support/test-app.ts';
import { contactForm, directoryTables, insertContact, insertHosts, insertService, postForm, serviceForm } from './support.ts';

describe('services and contacts of a host', () => {
  let testApp: TestApp;
  let gest: TestAgent;
  let hostId: number;
  let otherHostId: number;
  beforeAll(async () => {
    testApp = await startTestApp();
    gest = await testApp.signIn('gest.droit');
    [hostId, otherHostId] = (await insertHosts(testApp.knex, [
      { name: 'Cabinet Martin Avocats', address: '4 rue du Palais', postal_code: '33000', town: 'Bordeaux' },
      { name: 'Autre Hôte', address: '1 rue Autre', postal_code: '31000', town: 'Toulouse' },
    ])) as [number, number];
  });
  afterAll(() => testApp.close());

  const services = (id: number) => testApp.knex('host_service').where({ host_id: id }).orderBy('id');
  const contacts = (id: number) => testApp.knex('host_contact').where({ host_id: id }).orderBy('id');

  async function refused(path: string, fields: Record<string, string>, expected: Record<string, string>, status = 422) {
    const before = await directoryTables(testApp.knex);
    const page = await postForm(gest, path, fields, status);
    for (const [field, message] of Object.entries(expected)) expect(page.text).toContain(`id="field-${field}-error">${message}`);
    expect(await directoryTables(testApp.knex)).toBe(before);
    return page;
  }

  describe('services', () => {
    it('adds a service at the host’s address, audited, and lists it on the sheet', async () => {
      const form = await gest.get(`/hosts/${hostId}/services/new`).expect(200);
      expect(form.text).toContain('<label for="field-same_address_as_host">Le service est à l’adresse de l’établissement</label>');
      expect(form.text).toMatch(/id="field-same_address_as_host" name="same_address_as_host" checked/);
      await postForm(gest, `/hosts/${hostId}/services`, serviceForm({ name: 'Pôle social', address: 'ignorée' }), 302);
      const [service] = await services(hostId);
      expect(service).toMatchObject({ name: 'Pôle social', same_address_as_host: true, address: null, phone: '01 23 45 67 00', created_by: 'gest.droit' });
      const audit = await testApp
        .knex('audit_log')
        .where({ entity: 'host_service', entity_id: String(service.id) })
        .first();
      expect(audit).toMatchObject({ action: 'host_service.create', actor_login: 'gest.droit' });
      const sheet = await gest.get(`/hosts/${hostId}`).expect(200);
      expect(sheet.text).toContain('<th scope="row">Pôle social</th>');
      expect(sheet.text).toContain('Adresse de l’établissement');
    });

    it('requires a complete address when the service has its own, French in France', async () => {
      await refused(
        `/hosts/${hostId}/services`,
        { name: 'Antenne', phone: '' },
        { address: 'Ce champ est obligatoire.', town: 'Ce champ est obligatoire.', country_code: 'Ce champ est obligatoire.' },
      );
      await refused(
        `/hosts/${hostId}/services`,
        { name: 'Antenne', address: '2 rue B', postal_code: '123', town: 'Pau', country_code: 'FR' },
        { postal_code: 'Code postal invalide (5 chiffres, par exemple 75005).' },
      );
      await postForm(
        gest,
        `/hosts/${hostId}/services`,
        { name: 'Antenne de Pau', address: '2 rue B', postal_code: '64000', town: 'Pau', country_code: 'FR' },
        302,
      );
      const antenne = (await services(hostId)).find((service) => service.name === 'Antenne de Pau');
      expect(antenne).toMatchObject({ same_address_as_host: false, address: '2 rue B', postal_code: '64000', town: 'Pau', country_code: 'FR' });
    });

    it('refuses two services of the same name in a host, and a missing or too long name', async () => {
      await refused(`/hosts/${hostId}/services`, serviceForm({ name: 'pôle SOCIAL' }), { name: 'Cet établissement a déjà un service de ce nom.' });
      await refused(`/hosts/${hostId}/services`, serviceForm({ name: '' }), { name: 'Ce champ est obligatoire.' });
      await refused(`/hosts/${hostId}/services`, serviceForm({ name: 'y'.repeat(10000) }), { name: '150 caractères au plus.' });
      await postForm(gest, `/hosts/${otherHostId}/services`, serviceForm({ name: 'Pôle social' }), 302);
    });

    it('edits a service with its version, 409 when stale', async () => {
      const [service] = await services(hostId);
      const form = await gest.get(`/hosts/${hostId}/services/${service.id}/edit`).expect(200);
      expect(form.text).toContain('value="Pôle social"');
      await postForm(gest, `/hosts/${hostId}/services/${service.id}/edit`, serviceForm({ name: 'Pôle social et RH', version: '1' }), 302);
      expect(await testApp.knex('host_service').where({ id: service.id }).first()).toMatchObject({ name: 'Pôle social et RH', version: 2 });
      const stale = await postForm(gest, `/hosts/${hostId}/services/${service.id}/edit`, serviceForm({ name: 'Trop tard', version: '1' }), 409);
      expect(stale.text).toContain('Quelqu’un d’autre a modifié cette fiche');
      expect(stale.text).toContain('value="Trop tard"');
      expect(stale.text).toContain('name="version" value="2"');
    });
  });

  describe('contacts', () => {
    let serviceId: number;
    let secondServiceId: number;
    beforeAll(async () => {
      serviceId = await insertService(testApp.knex, hostId, 'Direction');
      secondServiceId = await insertService(testApp.knex, hostId, 'Comptabilité');
    });

    it('adds a contact to a service of the host, audited, and lists it on the sheet', async () => {
      const form = await gest.get(`/hosts/${hostId}/contacts/new`).expect(200);
      for (const label of ['Service', 'Civilité', 'Nom', 'Prénom', 'Fonction', 'Téléphone', 'Adresse e-mail'])
        expect(form.text).toContain(`${label} <span class="required"`);
      await postForm(gest, `/hosts/${hostId}/contacts`, contactForm(serviceId, { phone: '0612345678' }), 302);
      const [contact] = await contacts(hostId);
      expect(contact).toMatchObject({
        service_id: serviceId,
        civility: 'MME',
        last_name: 'Lefèvre',
        first_name: 'Hélène',
        phone: '06 12 34 56 78',
        created_by: 'gest.droit',
      });
      expect(
        await testApp
          .knex('audit_log')
          .where({ entity: 'host_contact', entity_id: String(contact.id), action: 'host_contact.create' })
          .first(),
      ).toBeDefined();
      const sheet = await gest.get(`/hosts/${hostId}`).expect(200);
      expect(sheet.text).toContain('Madame Hélène Lefèvre');
      expect(sheet.text).toContain('Responsable des systèmes d’information');
    });

    it('refuses bad contacts, and a service of another host', async () => {
      const otherService = await insertService(testApp.knex, otherHostId, 'Ailleurs');
      await refused(`/hosts/${hostId}/contacts`, contactForm(serviceId, { last_name: '', email: 'x@', phone: 'abc', civility: 'DR' }), {
        last_name: 'Ce champ est obligatoire.',
        email: 'Adresse e-mail invalide (exemple : prenom.nom@entreprise.fr).',
        phone: 'Numéro de téléphone invalide (exemples : 01 23 45 67 89, +44 20 7946 0958).',
        civility: 'Choisissez une valeur de la liste.',
      });
      await refused(`/hosts/${hostId}/contacts`, contactForm(otherService), { service_id: 'Choisissez un service de cet établissement.' });
      await refused(`/hosts/${hostId}/contacts`, contactForm(serviceId, { first_name: '<script>alert(1)</script>', function: 'z'.repeat(10000) }), {
        function: '150 caractères au plus.',
      }).then((page) => {
        expect(page.text).not.toContain('<script>alert(1)</script>');
        expect(page.text).toContain('value="&lt;script&gt;alert(1)&lt;/script&gt;"');
      });
    });

    it('moves a contact to another service of the host; 409 when stale', async () => {
      const [contact] = await contacts(hostId);
      await postForm(
        gest,
        `/hosts/${hostId}/contacts/${contact.id}/edit`,
        contactForm(secondServiceId, { function: 'Directrice financière', version: '1' }),
        302,
      );
      expect(await testApp.knex('host_contact').where({ id: contact.id }).first()).toMatchObject({
        service_id: secondServiceId,
        function: 'Directrice financière',
        version: 2,
      });
      const stale = await postForm(gest, `/hosts/${hostId}/contacts/${contact.id}/edit`, contactForm(serviceId, { version: '1' }), 409);
      expect(stale.text).toContain('name="version" value="2"');
      const audit = await testApp
        .knex('audit_log')
        .where({ entity: 'host_contact', entity_id: String(contact.id), action: 'host_contact.update' })
        .first();
      expect(audit.before).toMatchObject({ service_id: serviceId });
      expect(audit.after).toMatchObject({ service_id: secondServiceId });
    });

    it('refuses to delete a service that still has contacts, then deletes the contact and the service (kept as history)', async () => {
      const [contact] = await contacts(hostId);
      const refusal = await postForm(gest, `/hosts/${hostId}/services/${secondServiceId}/delete`, {}, 409);
      expect(refusal.text).toContain('Le service « Comptabilité » a encore 1 contact(s) : supprimez-les ou rattachez-les à un autre service d’abord.');
      await postForm(gest, `/hosts/${hostId}/contacts/${contact.id}/delete`, {}, 302);
      expect((await testApp.knex('host_contact').where({ id: contact.id }).first()).deleted_by).toBe('gest.droit');
      await postForm(gest, `/hosts/${hostId}/services/${secondServiceId}/delete`, {}, 302);
      const service = await testApp.knex('host_service').where({ id: secondServiceId }).first();
      expect(service.deleted_at).toBeInstanceOf(Date);
      const sheet = await gest.get(`/hosts/${hostId}`).expect(200);
      expect(sheet.text).toContain('Le service « Comptabilité » a été supprimé.');
      expect(sheet.text).not.toContain('<th scope="row">Comptabilité</th>');
      expect(sheet.text).not.toContain('Hélène Lefèvre');
      const actions = await testApp
        .knex('audit_log')
        .whereIn('entity', ['host_service', 'host_contact'])
        .whereIn('entity_id', [String(secondServiceId), String(contact.id)])
        .pluck('action');
      expect(actions).toEqual(expect.arrayContaining(['host_contact.delete', 'host_service.delete']));
      await gest.get(`/hosts/${hostId}/services/${secondServiceId}/edit`).expect(404);
      await gest.get(`/hosts/${hostId}/contacts/${contact.id}/edit`).expect(404);
    });

    it('answers 404 to the id of a service or contact of another host, changing nothing', async () => {
      const foreignService = await insertService(testApp.knex, otherHostId, 'Service étranger');
      const foreignContact = await insertContact(testApp.knex, otherHostId, foreignService, 'Étranger');
      const before = await directoryTables(testApp.knex);
      await gest.get(`/hosts/${hostId}/services/${foreignService}/edit`).expect(404);
      await gest.get(`/hosts/${hostId}/contacts/${foreignContact}/edit`).expect(404);
      await postForm(gest, `/hosts/${hostId}/services/${foreignService}/edit`, serviceForm({ version: '1' }), 404);
      await postForm(gest, `/hosts/${hostId}/services/${foreignService}/delete`, {}, 404);
      await postForm(gest, `/hosts/${hostId}/contacts/${foreignContact}/edit`, contactForm(serviceId, { version: '1' }), 404);
      await postForm(gest, `/hosts/${hostId}/contacts/${foreignContact}/delete`, {}, 404);
      await postForm(gest, `/hosts/999999/services`, serviceForm(), 404);
      await postForm(gest, `/hosts/999999/contacts`, contactForm(serviceId), 404);
      expect(await directoryTables(testApp.knex)).toBe(before);
    });
  });
});
