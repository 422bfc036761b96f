import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/test-app.ts';
import { companyCentreId, depositForm, depositTables, newDepositLink, postDeposit } from './deposit-support.ts';

/**
 * A company deposits offers through the secret link, for a new host or for a host the
 * directory already has; the offers arrive unpublished and flagged "to moderate".
 * (Fewer posts than the hourly limit per address: deposit-rate-limit.test.ts tests the limit.)
 */
describe('company deposit of an offer', () => {
  let testApp: TestApp;
  let path: string;
  beforeAll(async () => {
    testApp = await startTestApp();
    path = await newDepositLink(testApp, await testApp.signIn('agent.stages'));
  });
  afterAll(() => testApp.close());

  const humanResourcesOf = (hostId: number) => testApp.knex('host_service').where({ host_id: hostId, name: 'Ressources humaines' }).whereNull('deleted_at');

  it('shows a labelled French form without signing in, never cached nor indexed', async () => {
    const page = await testApp.anonymous().get(path).expect(200);
    expect(page.text).toContain('<h1>Déposer une offre de stage ou d’emploi</h1>');
    expect(page.text).toContain('<label for="field-siret">Numéro SIRET');
    expect(page.text).toContain('<label for="field-contact_email">Adresse e-mail');
    expect(page.text).toMatch(/name="_csrf" value="[^"]+"/);
    expect(page.text).toMatch(
      /<div class="visually-hidden" aria-hidden="true">\s*<label for="field-website">Laissez ce champ vide<\/label>\s*<input type="text" id="field-website" name="website" value="" tabindex="-1"/,
    );
    expect(page.text).not.toMatch(/<script>|style="/);
    expect(page.headers['cache-control']).toBe('no-store');
    expect(page.headers['x-robots-tag']).toBe('noindex, nofollow');
  });

  it('stores an offer for a new host: host to check, "Ressources humaines" service, contact, offer to moderate', async () => {
    const visitor = testApp.anonymous();
    const answer = await postDeposit(visitor, path, depositForm());
    expect(answer.status).toBe(303);
    expect(answer.headers.location).toBe(`${path}/thanks`);
    const thanks = await visitor.get(`${path}/thanks`).expect(200);
    expect(thanks.text).toContain('Merci : votre offre a été transmise');
    expect(thanks.text).not.toContain('Atelier Numérique');

    const host = await testApp.knex('host').where({ siret: '73282932000074' }).first();
    expect(host).toMatchObject({
      name: 'Atelier Numérique',
      address: '12 rue de la République',
      postal_code: '69002',
      town: 'Lyon',
      country_code: 'FR',
      phone: '04 72 00 00 00',
      email: 'contact@atelier-numerique.fr',
      naf_code: null,
      to_check: true,
      created_by: 'entreprise (dépôt)',
    });
    const [service] = await humanResourcesOf(host.id);
    expect(service).toMatchObject({ same_address_as_host: true, created_by: 'entreprise (dépôt)' });
    const contact = await testApp.knex('host_contact').where({ host_id: host.id }).first();
    expect(contact).toMatchObject({
      service_id: service.id,
      civility: 'MME',
      last_name: 'Martin',
      first_name: 'Claire',
      function: 'Chargée de recrutement',
      email: 'claire.martin@atelier-numerique.fr',
      phone: '04 72 00 00 01',
    });
    const offer = await testApp.knex('offer').where({ host_id: host.id }).first();
    expect(offer).toMatchObject({
      centre_id: await companyCentreId(testApp.knex),
      state: 'saved',
      kind: 'form',
      entered_by_company: true,
      to_moderate: true,
      application_contact_id: contact.id,
      title: 'Stage développeur web',
      offer_type: 'STAGE',
      contract: null,
      country_code: 'FR',
      start_month: 3,
      start_year: 2027,
      duration_unit: 'MONTH',
      working_time: 'TCOMP',
      training_level: '3',
      paid: true,
      application_modes: ['MAIL', 'TEL'],
      published_on: null,
      created_by: 'entreprise (dépôt)',
      updated_by: 'entreprise (dépôt)',
      version: 1,
    });
    expect(Number(offer.duration_value)).toBe(5.5);
    expect(offer.missions).toBe('Développer des pages web accessibles & tester : 2 < 3 reste du texte simple.');
    expect(offer.academic_year).toMatch(/^(\d{4})-(\d{4})$/);

    const audits = await testApp.knex('audit_log').where({ actor_login: 'entreprise (dépôt)' }).orderBy('id').pluck('action');
    expect(audits).toEqual(['host.create', 'host_service.create', 'host_contact.create', 'offer.deposit']);
    const toCheck = await (await testApp.signIn('gest.sciences')).get('/hosts/to-check').expect(200);
    expect(toCheck.text).toContain('Atelier Numérique');
  });

  it('attaches offers to the host of a known SIRET, without changing it, and reuses its "Ressources humaines" service', async () => {
    const known = await testApp.knex('host').where({ siret: '44287651200017' }).first();
    const existingOnly = depositForm({
      host_mode: 'existing',
      siret: '442 876 512 00017',
      host_name: '',
      host_address: '',
      host_town: '',
      host_phone: '',
      host_postal_code: '',
    });
    for (const title of ['Emploi de comptable', 'Alternance en comptabilité']) {
      const answer = await postDeposit(testApp.anonymous(), path, {
        ...existingOnly,
        title,
        offer_type: title.startsWith('Emploi') ? 'EMPLOI' : 'ALTERN',
        contract: title.startsWith('Emploi') ? 'CDI' : 'CTAPPREN',
      });
      expect(answer.status, answer.text.slice(0, 2000)).toBe(303);
    }
    const offers = await testApp.knex('offer').where({ host_id: known.id, entered_by_company: true }).orderBy('id');
    expect(offers.map((offer) => [offer.title, offer.contract, offer.to_moderate])).toEqual([
      ['Emploi de comptable', 'CDI', true],
      ['Alternance en comptabilité', 'CTAPPREN', true],
    ]);
    expect(await humanResourcesOf(known.id)).toHaveLength(1);
    expect(await testApp.knex('host').where({ id: known.id }).first()).toEqual(known);
  });

  it('uses the known host when a company describes as new a host whose SIRET the directory has', async () => {
    const known = await testApp.knex('host').where({ siret: '81234567800013' }).first();
    const answer = await postDeposit(testApp.anonymous(), path, depositForm({ siret: '81234567800013', host_name: 'Nom usurpé' }));
    expect(answer.status).toBe(303);
    expect(await testApp.knex('host').where({ siret: '81234567800013' }).whereNull('deleted_at')).toEqual([known]);
    expect(await testApp.knex('offer').where({ host_id: known.id, entered_by_company: true })).toHaveLength(1);
  });

  it('refuses an unknown SIRET for a host said to be known, without revealing anything else', async () => {
    const before = await depositTables(testApp.knex);
    const page = await postDeposit(testApp.anonymous(), path, depositForm({ host_mode: 'existing', siret: '552 081 317 66522' }));
    expect(page.status).toBe(422);
    expect(page.text).toContain('id="field-siret-error">Aucun établissement n’est enregistré sous ce numéro SIRET');
    expect(await depositTables(testApp.knex)).toBe(before);
  });

  it('shows every error next to its field in French, keeps the input, stores nothing', async () => {
    const before = await depositTables(testApp.knex);
    const page = await postDeposit(
      testApp.anonymous(),
      path,
      depositForm({
        host_mode: 'new',
        siret: '732 829 320 00075',
        host_name: '',
        host_postal_code: '6900',
        title: '',
        offer_type: 'EMPLOI',
        contract: '',
        duration_value: '-2',
        start_year: '1999',
        paid: 'peut-être',
        application_modes: [],
        contact_email: 'pas-une-adresse',
        contact_phone: '12',
        host_country_code: 'FR',
        country_code: 'ZZ',
        missions: 'Des missions gardées',
      }),
    );
    expect(page.status).toBe(422);
    const expected = {
      siret: 'Ce numéro SIRET n’est pas valide : sa clé de contrôle ne correspond pas.',
      host_name: 'Ce champ est obligatoire.',
      host_postal_code: 'Code postal invalide (5 chiffres, par exemple 75005).',
      title: 'Ce champ est obligatoire.',
      contract: 'Choisissez le type de contrat de cet emploi ou de cette alternance.',
      country_code: 'Choisissez une valeur de la liste.',
      start_year: 'Année invalide (entre 2000 et 2100).',
      duration_value: 'Durée invalide',
      paid: 'Répondez par oui ou par non.',
      application_modes: 'Choisissez au moins une façon de candidater.',
      contact_email: 'Adresse e-mail invalide',
      contact_phone: 'Numéro de téléphone invalide',
    };
    for (const [field, message] of Object.entries(expected)) expect(page.text, field).toContain(`id="field-${field}-error">${message}`);
    expect(page.text).toContain('Des missions gardées</textarea>');
    expect(page.text).toContain('value="732 829 320 00075"');
    expect(await depositTables(testApp.knex)).toBe(before);
  });

  it('refuses a contract that does not belong to the offer type', async () => {
    const page = await postDeposit(
      testApp.anonymous(),
      path,
      depositForm({ siret: '', host_country_code: 'DE', host_postal_code: '10115', host_town: 'Berlin', host_phone: '+49 30 1234567', contract: 'CDI' }),
    );
    expect(page.status).toBe(422);
    expect(page.text).toContain('id="field-contract-error">Ce type de contrat ne correspond pas au type d’offre choisi.');
  });
});
