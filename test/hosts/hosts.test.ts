import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type TestAgent from 'supertest/lib/agent.js';
import { createHost } from '../../src/hosts/service.ts';
import { formatSiret } from '../../src/rules/siret.ts';
import { startTestApp, type TestApp } from '../support/test-app.ts';
import { actorOf, directoryTables, hostForm, insertContact, insertHosts, insertService, postForm, siretFrom } from './support.ts';

describe('host creation, edition, deletion and validation', () => {
  let testApp: TestApp;
  let gest: TestAgent;
  beforeAll(async () => {
    testApp = await startTestApp();
    gest = await testApp.signIn('gest.sciences');
  });
  afterAll(() => testApp.close());

  const hostBySiret = (siret: string) => testApp.knex('host').where({ siret }).first();

  describe('creation', () => {
    it('shows a labelled creation form, France by default', async () => {
      const page = await gest.get('/hosts/new').expect(200);
      expect(page.text).toContain('<label for="field-name">Nom (raison sociale)');
      expect(page.text).toContain('<label for="field-siret">Numéro SIRET');
      expect(page.text).toMatch(/<option value="FR" selected>FRANCE<\/option>/);
      expect(page.text).toMatch(/name="_csrf" value="[^"]+"/);
      expect(page.text).not.toMatch(/<script>|style="/);
    });

    it('creates a host with a valid SIRET, typed with spaces, and records it in the audit log', async () => {
      const created = await postForm(gest, '/hosts', hostForm({ naf_code: '6201z', phone: '+33 1 23 45 67 89' }), 302);
      const host = await hostBySiret('73282932000074');
      expect(host).toMatchObject({
        name: 'Atelier Numérique',
        naf_code: '62.01Z',
        phone: '01 23 45 67 89',
        country_code: 'FR',
        to_check: false,
        created_by: 'gest.sciences',
        version: 1,
      });
      expect(created.headers.location).toBe(`/hosts/${host.id}`);
      const sheet = await gest.get(`/hosts/${host.id}`).expect(200);
      expect(sheet.text).toContain('L’établissement « Atelier Numérique » a été créé.');
      expect(sheet.text).toContain('732 829 320 00074');
      expect(sheet.text).toContain('62.01Z — Programmation informatique');
      const audit = await testApp
        .knex('audit_log')
        .where({ entity: 'host', entity_id: String(host.id) })
        .first();
      expect(audit).toMatchObject({ action: 'host.create', actor_login: 'gest.sciences', before: null });
      expect(audit.after).toMatchObject({ name: 'Atelier Numérique', siret: '73282932000074' });
    });

    it('accepts a SIRET of La Poste that only passes the La Poste rule', async () => {
      await postForm(gest, '/hosts', hostForm({ name: 'La Poste — bureau de test', siret: '356 000 000 00010' }), 302);
      expect(await hostBySiret('35600000000010')).toBeDefined();
    });

    it('makes the SIRET optional abroad, with a free postal code', async () => {
      await postForm(
        gest,
        '/hosts',
        hostForm({
          name: 'Berliner Werkstatt GmbH',
          siret: '',
          naf_code: '',
          country_code: 'DE',
          postal_code: '10115',
          town: 'Berlin',
          phone: '+49 30 1234567',
        }),
        302,
      );
      const host = await testApp.knex('host').where({ name: 'Berliner Werkstatt GmbH' }).first();
      expect(host).toMatchObject({ siret: null, naf_code: null, country_code: 'DE', postal_code: '10115', phone: '+49301234567' });
    });

    async function refused(fields: Record<string, string>, expected: Record<string, string>) {
      const before = await directoryTables(testApp.knex);
      const page = await postForm(gest, '/hosts', fields, 422);
      for (const [field, message] of Object.entries(expected)) {
        expect(page.text).toContain(`id="field-${field}-error">${message}`);
      }
      expect(page.text).toContain('Le formulaire contient');
      expect(await directoryTables(testApp.knex)).toBe(before);
      return page;
    }

    it('refuses a SIRET whose checksum is wrong, keeping what was typed', async () => {
      const page = await refused(hostForm({ name: 'Clé fausse', siret: '732 829 320 00075' }), {
        siret: 'Ce numéro SIRET n’est pas valide : sa clé de contrôle ne correspond pas. Vérifiez les 14 chiffres.',
      });
      expect(page.text).toContain('value="732 829 320 00075"');
      expect(page.text).toContain('value="Clé fausse"');
    });

    it('refuses a SIRET of the wrong length and a missing SIRET in France and overseas', async () => {
      await refused(hostForm({ siret: '1234' }), { siret: 'Le numéro SIRET compte 14 chiffres (exemple : 732 829 320 00074).' });
      await refused(hostForm({ siret: '' }), { siret: 'Le numéro SIRET est obligatoire pour un établissement situé en France (métropole et outre-mer).' });
      await refused(hostForm({ siret: '', country_code: 'GP', postal_code: '97110', town: 'Pointe-à-Pitre' }), {
        siret: 'Le numéro SIRET est obligatoire pour un établissement situé en France (métropole et outre-mer).',
      });
    });

    it('refuses a SIRET already used, naming the host that has it', async () => {
      const [existing] = await insertHosts(testApp.knex, [{ name: 'Boulangerie Dupont', siret: siretFrom('4430618410004') }]);
      await refused(hostForm({ name: 'Doublon', siret: siretFrom('4430618410004') }), {
        siret: `Le SIRET 443 061 841 00047 est déjà celui de l’établissement « Boulangerie Dupont » (fiche n° ${existing}) : choisissez-le dans l’annuaire au lieu de le créer de nouveau.`,
      });
    });

    it('explains, rather than failing, when the unique index catches a SIRET taken at the same moment', async () => {
      const siret = siretFrom('5520813176652');
      const admin = await actorOf(testApp.knex, 'admin');
      const results = await Promise.allSettled(
        ['Course A', 'Course B', 'Course C'].map((name) => createHost(testApp.knex, { actor: admin }, hostForm({ name, siret }))),
      );
      expect(results.filter((result) => result.status === 'fulfilled')).toHaveLength(1);
      for (const result of results.filter((result) => result.status === 'rejected')) {
        expect(String((result as PromiseRejectedResult).reason.messages?.siret)).toMatch(
          /^Le SIRET 552 081 317 66522 est déjà celui de l’établissement « Course/,
        );
      }
      expect(await testApp.knex('host').where({ siret }).count({ n: '*' }).first()).toEqual({ n: 1 });
    });

    it('refuses an unknown or malformed NAF code', async () => {
      await refused(hostForm({ naf_code: '99.99Z' }), { naf_code: 'Ce code NAF n’existe pas dans la nomenclature NAF rév. 2.' });
      await refused(hostForm({ naf_code: '6201' }), { naf_code: 'Code NAF invalide : 2 chiffres, un point, 2 chiffres et une lettre (exemple : 62.01Z).' });
      await refused(hostForm({ naf_code: '' }), { naf_code: 'Le code NAF est obligatoire pour un établissement situé en France (métropole et outre-mer).' });
    });

    it('refuses a bad French postal code, and bad e-mail, phone and website', async () => {
      await refused(hostForm({ postal_code: '7500' }), { postal_code: 'Code postal invalide (5 chiffres, par exemple 75005).' });
      await refused(hostForm({ postal_code: '00100' }), { postal_code: 'Code postal invalide (5 chiffres, par exemple 75005).' });
      await refused(hostForm({ postal_code: '' }), { postal_code: 'Le code postal est obligatoire en France.' });
      await refused(hostForm({ email: 'pas-une-adresse', phone: '12', website: 'javascript:alert(1)' }), {
        email: 'Adresse e-mail invalide (exemple : prenom.nom@entreprise.fr).',
        phone: 'Numéro de téléphone invalide (exemples : 01 23 45 67 89, +44 20 7946 0958).',
        website: 'Adresse web invalide (elle commence par https://).',
      });
    });

    it('refuses a missing name and values from outside the lists', async () => {
      await refused(hostForm({ name: '   ' }), { name: 'Ce champ est obligatoire.' });
      await refused(hostForm({ legal_status_code: 'XYZ', country_code: 'ZZ' }), {
        legal_status_code: 'Choisissez une valeur de la liste.',
        country_code: 'Choisissez une valeur de la liste.',
      });
    });

    it('refuses 10,000-character values with a French message, not a crash', async () => {
      const long = 'x'.repeat(10000);
      await refused(hostForm({ name: long, address: long, town: long }), {
        name: '150 caractères au plus.',
        address: '300 caractères au plus.',
        town: '100 caractères au plus.',
      });
    });

    it('shows a script payload escaped, in the refused form and on the sheet of the created host', async () => {
      const payload = '<script>alert("x")</script>';
      const page = await refused(hostForm({ name: payload, siret: '123' }), { siret: 'Le numéro SIRET compte 14 chiffres (exemple : 732 829 320 00074).' });
      expect(page.text).not.toContain(payload);
      expect(page.text).toContain('&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;');
      const created = await postForm(gest, '/hosts', hostForm({ name: payload, siret: siretFrom('9000000000001'), town: payload }), 302);
      const sheet = await gest.get(created.headers.location as string).expect(200);
      expect(sheet.text).not.toContain(payload);
      expect(sheet.text).toContain('&lt;script&gt;');
      const search = await gest.get('/hosts?name=script').expect(200);
      expect(search.text).not.toContain(payload);
    });
  });

  describe('edition', () => {
    it('saves the changes, a new version, and the before and after in the audit log', async () => {
      const [id] = await insertHosts(testApp.knex, [
        {
          name: 'Ancien Nom',
          siret: siretFrom('8000000000001'),
          naf_code: '62.02A',
          address: '1 rue A',
          postal_code: '69001',
          town: 'Lyon',
          phone: '04 00 00 00 00',
        },
      ]);
      const form = await gest.get(`/hosts/${id}/edit`).expect(200);
      expect(form.text).toContain('name="version" value="1"');
      expect(form.text).toContain(`value="${formatSiret(siretFrom('8000000000001'))}"`);
      await postForm(gest, `/hosts/${id}/edit`, hostForm({ name: 'Nouveau Nom', siret: siretFrom('8000000000001'), version: '1' }), 302);
      const host = await testApp.knex('host').where({ id }).first();
      expect(host).toMatchObject({ name: 'Nouveau Nom', version: 2, updated_by: 'gest.sciences' });
      const audit = await testApp
        .knex('audit_log')
        .where({ entity: 'host', entity_id: String(id), action: 'host.update' })
        .first();
      expect(audit.before).toMatchObject({ name: 'Ancien Nom', version: 1 });
      expect(audit.after).toMatchObject({ name: 'Nouveau Nom', version: 2 });
    });

    it('answers 409 to a stale version, keeping the input and offering the current version', async () => {
      const [id] = await insertHosts(testApp.knex, [
        {
          name: 'Concurrence',
          siret: siretFrom('8000000000002'),
          naf_code: '62.02A',
          address: '1 rue B',
          postal_code: '69002',
          town: 'Lyon',
          phone: '04 00 00 00 01',
        },
      ]);
      await testApp.knex('host').where({ id }).update({ version: 3 });
      const before = await directoryTables(testApp.knex);
      const page = await postForm(gest, `/hosts/${id}/edit`, hostForm({ name: 'Ma modification', siret: siretFrom('8000000000002'), version: '1' }), 409);
      expect(page.text).toContain('Quelqu’un d’autre a modifié cette fiche pendant que vous la remplissiez.');
      expect(page.text).toContain('value="Ma modification"');
      expect(page.text).toContain('name="version" value="3"');
      expect(await directoryTables(testApp.knex)).toBe(before);
    });

    it('refuses to give a host the SIRET of another one', async () => {
      const [first, second] = await insertHosts(testApp.knex, [
        { name: 'Premier', siret: siretFrom('8000000000003') },
        { name: 'Second', siret: siretFrom('8000000000004') },
      ]);
      const page = await postForm(gest, `/hosts/${second}/edit`, hostForm({ name: 'Second', siret: siretFrom('8000000000003'), version: '1' }), 422);
      expect(page.text).toContain(`est déjà celui de l’établissement « Premier » (fiche n° ${first})`);
    });

    it('answers 400 to a form without a version, 404 to a host that does not exist', async () => {
      const [id] = await insertHosts(testApp.knex, [{ name: 'Sans version' }]);
      await postForm(gest, `/hosts/${id}/edit`, hostForm(), 400);
      await gest.get('/hosts/999999/edit').expect(404);
      await gest.get('/hosts/abc').expect(404);
      await postForm(gest, '/hosts/999999/edit', hostForm({ version: '1' }), 404);
    });
  });

  describe('deletion', () => {
    it('keeps the row with its deletion date, hides it from searches and sheets, and audits it', async () => {
      const [id] = await insertHosts(testApp.knex, [{ name: 'Entreprise Éphémère', siret: siretFrom('8100000000001') }]);
      const service = await insertService(testApp.knex, id!, 'Accueil');
      await insertContact(testApp.knex, id!, service, 'Durand');
      expect((await gest.get('/hosts?name=ephemere').expect(200)).text).toContain('Entreprise Éphémère');
      const deleted = await postForm(gest, `/hosts/${id}/delete`, {}, 302);
      expect(deleted.headers.location).toBe('/hosts');
      const row = await testApp.knex('host').where({ id }).first();
      expect(row.deleted_at).toBeInstanceOf(Date);
      expect(row.deleted_by).toBe('gest.sciences');
      expect((await gest.get('/hosts?name=ephemere').expect(200)).text).toContain('Aucun établissement d’accueil ne correspond à ces critères.');
      await gest.get(`/hosts/${id}`).expect(404);
      await postForm(gest, `/hosts/${id}/delete`, {}, 404);
      const audit = await testApp
        .knex('audit_log')
        .where({ entity: 'host', entity_id: String(id), action: 'host.delete' })
        .first();
      expect(audit).toMatchObject({ actor_login: 'gest.sciences', after: { deleted: true } });
      expect(audit.before).toMatchObject({ name: 'Entreprise Éphémère' });
      // The SIRET of a deleted host may be given to a new one.
      await postForm(gest, '/hosts', hostForm({ name: 'Entreprise Renouvelée', siret: siretFrom('8100000000001') }), 302);
    });
  });

  describe('hosts to check', () => {
    it('lists the hosts created by students; validating one records who and when', async () => {
      const student = await actorOf(testApp.knex, 'etu.sciences1');
      const id = await createHost(testApp.knex, { actor: student }, hostForm({ name: 'Créée par Léa', siret: siretFrom('8200000000001') }));
      const list = await gest.get('/hosts/to-check').expect(200);
      expect(list.text).toContain(`<a href="/hosts/${id}">Créée par Léa</a>`);
      expect(list.text).toContain('etu.sciences1');
      const sheet = await gest.get(`/hosts/${id}`).expect(200);
      expect(sheet.text).toContain('Établissement à vérifier');
      expect(sheet.text).toContain(`action="/hosts/${id}/check"`);

      await postForm(gest, `/hosts/${id}/check`, { version: '0' }, 400);
      await testApp.knex('host').where({ id }).update({ version: 2 });
      expect((await postForm(gest, `/hosts/${id}/check`, { version: '1' }, 409)).text).toContain('Quelqu’un d’autre a modifié cette fiche');
      await postForm(gest, `/hosts/${id}/check`, { version: '2' }, 302);
      const host = await testApp.knex('host').where({ id }).first();
      expect(host).toMatchObject({ to_check: false, checked_by: 'gest.sciences', version: 3 });
      expect(host.checked_at).toBeInstanceOf(Date);
      expect((await gest.get('/hosts/to-check').expect(200)).text).not.toContain('Créée par Léa');
      expect(
        await testApp
          .knex('audit_log')
          .where({ entity: 'host', entity_id: String(id), action: 'host.check' })
          .first(),
      ).toBeDefined();
    });
  });
});
