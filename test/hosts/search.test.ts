import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type TestAgent from 'supertest/lib/agent.js';
import { ForbiddenError } from '../../src/errors.ts';
import { EMPTY_SEARCH } from '../../src/hosts/schemas.ts';
import { searchHosts } from '../../src/hosts/service.ts';
import { startTestApp, type TestApp } from '../support/test-app.ts';
import { actorOf, insertHosts, insertService, namesOn, siretFrom } from './support.ts';

describe('host search', () => {
  let testApp: TestApp;
  let agent: TestAgent;
  const sg = siretFrom('5520813170001');
  /** The hosts of the demo data (seeds/demo.ts), already in the database this file starts from. */
  let demoHosts: string[];

  beforeAll(async () => {
    testApp = await startTestApp();
    agent = await testApp.signIn('lect.sciences');
    demoHosts = await testApp.knex('host').whereNull('deleted_at').pluck('name');
    const [generale] = await insertHosts(testApp.knex, [
      {
        name: 'Société Générale',
        siret: sg,
        naf_code: '64.19Z',
        address: '29 boulevard Haussmann',
        postal_code: '75009',
        town: 'Paris',
        phone: '01 42 14 20 00',
      },
      {
        name: 'SOCIÉTÉ DES EAUX DU MIDI',
        siret: siretFrom('5520813170002'),
        naf_code: '36.00Z',
        address: '1 quai du Port',
        postal_code: '13001',
        town: 'Marseille',
        phone: '04 91 00 00 00',
      },
      {
        name: 'Générale de Bâtiment',
        siret: siretFrom('4000000000003'),
        naf_code: '41.20A',
        address: '5 rue Garibaldi',
        postal_code: '69003',
        town: 'Lyon',
        phone: '04 78 00 00 00',
      },
      {
        name: 'Boulangerie Corse',
        siret: siretFrom('4000000000004'),
        naf_code: '10.71C',
        address: '2 cours Napoléon',
        postal_code: '20000',
        town: 'Ajaccio',
        phone: '04 95 00 00 00',
      },
      {
        name: 'Bastia Marine',
        siret: siretFrom('4000000000005'),
        naf_code: '30.12Z',
        address: 'Port de plaisance',
        postal_code: '20200',
        town: 'Bastia',
        phone: '04 95 30 00 00',
      },
      {
        name: 'Pointe Services',
        siret: siretFrom('4000000000006'),
        naf_code: '62.02A',
        address: 'Rue Frébault',
        postal_code: '97110',
        town: 'Pointe-à-Pitre',
        country_code: 'GP',
        phone: '05 90 00 00 00',
      },
      {
        name: 'Berliner Beratung',
        siret: null,
        naf_code: null,
        address: 'Unter den Linden 1',
        postal_code: '75001',
        town: 'Berlin',
        country_code: 'DE',
        phone: '+49301234567',
      },
      {
        name: 'Café 100%',
        siret: siretFrom('4000000000007'),
        naf_code: '56.30Z',
        address: '3 place du Marché',
        postal_code: '33000',
        town: 'Bordeaux',
        phone: '05 56 00 00 00',
      },
    ]);
    await insertService(testApp.knex, generale!, 'Direction des ressources humaines');
    await insertHosts(
      testApp.knex,
      Array.from({ length: 45 }, (_, index) => ({ name: `Pagination ${String(index + 1).padStart(2, '0')}`, postal_code: '59000', town: 'Lille' })),
    );
    const [gone] = await insertHosts(testApp.knex, [{ name: 'Société Disparue', postal_code: '75010', town: 'Paris' }]);
    await testApp.knex('host').where({ id: gone }).update({ deleted_at: new Date(), deleted_by: 'fixture' });
  });
  afterAll(() => testApp.close());

  async function found(query: string): Promise<string[]> {
    const page = await agent.get(`/hosts?${query}`);
    expect(page.status, `${query}: ${page.text.slice(0, 300)}`).toBe(200);
    return namesOn(page.text);
  }

  it('finds names whatever the accents and the case, each word in any order', async () => {
    expect(await found('name=societe+generale')).toEqual(['Société Générale']);
    expect(await found('name=generale+SOCIETE')).toEqual(['Société Générale']);
    expect(await found('name=soci%C3%A9t%C3%A9')).toEqual(['SOCIÉTÉ DES EAUX DU MIDI', 'Société Générale']);
    expect(await found('name=eaux+du+midi')).toEqual(['SOCIÉTÉ DES EAUX DU MIDI']);
    expect(await found('name=batiment')).toEqual(['Générale de Bâtiment']);
  });

  it('takes % and _ literally', async () => {
    expect(await found('name=100%25')).toEqual(['Café 100%']);
    expect(await found('name=_')).toEqual([]);
  });

  it('restricts the name search to a département, Corsica and overseas included, in France only', async () => {
    expect(await found('name=generale&department=75')).toEqual(['Société Générale']);
    expect(await found('name=generale&department=69')).toEqual(['Générale de Bâtiment']);
    expect(await found('department=2A')).toEqual(['Bastia Marine', 'Boulangerie Corse']);
    expect(await found('department=2b')).toEqual(['Bastia Marine', 'Boulangerie Corse']);
    expect(await found('department=971')).toEqual(['Pointe Services']);
    expect(await found('department=75')).toEqual(['Société Générale']);
  });

  it('finds by SIRET, by SIREN and by NAF code or prefix', async () => {
    expect(await found(`siret=${sg.slice(0, 3)}+${sg.slice(3, 6)}+${sg.slice(6, 9)}+${sg.slice(9)}`)).toEqual(['Société Générale']);
    expect(await found('siret=552081317')).toEqual(['SOCIÉTÉ DES EAUX DU MIDI', 'Société Générale']);
    expect(await found('naf=64.19Z')).toEqual(['Société Générale']);
    expect(await found('naf=6419z')).toEqual(['Société Générale']);
    expect(await found('naf=41')).toEqual(['Générale de Bâtiment']);
    expect(await found('naf=62.02')).toEqual(['Pointe Services']);
  });

  it('finds by phone, whatever the way it is typed', async () => {
    expect(await found('phone=01+42+14+20+00')).toEqual(['Société Générale']);
    expect(await found('phone=%2B33+1+42+14+20+00')).toEqual(['Société Générale']);
    expect(await found('phone=04.95')).toEqual(['Bastia Marine', 'Boulangerie Corse']);
    expect(await found('phone=%2B49+30+1234567')).toEqual(['Berliner Beratung']);
  });

  it('finds by street, town, postal code or département, and country', async () => {
    expect(await found('street=haussmann')).toEqual(['Société Générale']);
    expect(await found('town=pointe+a+pitre')).toEqual(['Pointe Services']);
    expect(await found('town=MARSEILLE')).toEqual(['SOCIÉTÉ DES EAUX DU MIDI']);
    expect(await found('postal=75009')).toEqual(['Société Générale']);
    expect(await found('postal=13')).toEqual(['SOCIÉTÉ DES EAUX DU MIDI']);
    expect(await found('postal=75001')).toEqual(['Berliner Beratung']);
    expect(await found('country=DE')).toEqual(['Berliner Beratung']);
    expect(await found('country=GP&town=pointe')).toEqual(['Pointe Services']);
  });

  it('finds by the name of a service', async () => {
    expect(await found('service=ressources+humaines')).toEqual(['Société Générale']);
    expect(await found('service=comptabilite')).toEqual([]);
  });

  it('combines criteria, and never shows deleted hosts', async () => {
    expect(await found('name=societe&town=paris')).toEqual(['Société Générale']);
    expect(await found('name=disparue')).toEqual([]);
    expect((await agent.get('/hosts?name=disparue').expect(200)).text).toContain('Aucun établissement d’accueil ne correspond à ces critères.');
  });

  it('pages the results by 20, sorted by name, keeping the criteria in the links', async () => {
    const first = await agent.get('/hosts?name=pagination').expect(200);
    expect(namesOn(first.text)).toEqual(Array.from({ length: 20 }, (_, index) => `Pagination ${String(index + 1).padStart(2, '0')}`));
    expect(first.text).toContain('Établissements d’accueil trouvés (45), page 1 sur 3');
    expect(first.text).toContain('href="/hosts?name=pagination&amp;page=2" rel="next"');
    const third = await agent.get('/hosts?name=pagination&page=3').expect(200);
    expect(namesOn(third.text)).toEqual(['Pagination 41', 'Pagination 42', 'Pagination 43', 'Pagination 44', 'Pagination 45']);
    expect(third.text).toContain('href="/hosts?name=pagination&amp;page=2" rel="prev"');
    expect(third.text).not.toContain('rel="next"');
  });

  it('shows the first page of every host when no criterion is given, with the columns of the table', async () => {
    // The 53 hosts of the test that are not deleted and the demo ones, by name without accents nor case.
    const fixtures = [
      'Société Générale',
      'SOCIÉTÉ DES EAUX DU MIDI',
      'Générale de Bâtiment',
      'Boulangerie Corse',
      'Bastia Marine',
      'Pointe Services',
      'Berliner Beratung',
      'Café 100%',
      ...Array.from({ length: 45 }, (_, index) => `Pagination ${String(index + 1).padStart(2, '0')}`),
    ];
    const key = (name: string) => name.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
    const every = [...fixtures, ...demoHosts].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
    const page = await agent.get('/hosts').expect(200);
    const names = namesOn(page.text);
    expect(names).toHaveLength(20);
    expect(names).toEqual(every.slice(0, 20));
    expect(page.text).toContain(`Établissements d’accueil trouvés (${every.length}), page 1 sur ${Math.ceil(every.length / 20)}`);
    for (const header of ['Nom', 'SIRET', 'Adresse', 'Code postal', 'Ville', 'Pays']) expect(page.text).toContain(`<th scope="col">${header}</th>`);
    expect(page.text).toMatch(/<caption>/);
    const generale = await agent.get('/hosts?name=societe+generale').expect(200);
    expect(generale.text).toContain(`${sg.slice(0, 3)} ${sg.slice(3, 6)} ${sg.slice(6, 9)} ${sg.slice(9)}`);
    expect(generale.text).toContain('29 boulevard Haussmann');
    expect(generale.text).toContain('<td>FRANCE</td>');
  });

  it('reads a page with one query and counts with another, whatever the number of rows', async () => {
    const queries: string[] = [];
    const listener = (query: { sql: string }) => queries.push(query.sql);
    testApp.knex.on('query', listener);
    try {
      await agent.get('/hosts?name=pagination').expect(200);
    } finally {
      testApp.knex.off('query', listener);
    }
    expect(queries.filter((sql) => /from "host"/.test(sql))).toHaveLength(2);
  });

  it('answers 422 with French messages to criteria that cannot be searched', async () => {
    const page = await agent.get('/hosts?department=ZZ&siret=abc&naf=6&postal=7&phone=abc').expect(422);
    expect(page.text).toContain('Département invalide : 2 ou 3 caractères (exemples : 75, 2A, 971).');
    expect(page.text).toContain('Le SIRET recherché ne contient que des chiffres (14 au plus).');
    expect(page.text).toContain('Code NAF recherché invalide (exemples : 62, 62.01 ou 62.01Z).');
    expect(page.text).toContain('Saisissez un code postal (5 chiffres) ou un département (75, 2A, 971…).');
    expect(page.text).toContain('Numéro de téléphone recherché invalide : saisissez des chiffres.');
    expect(page.text).toContain('value="ZZ"');
    expect((await agent.get(`/hosts?name=${'x'.repeat(10000)}`).expect(422)).text).toContain('100 caractères au plus.');
  });

  it('serves students through the service function, not teachers', async () => {
    const student = await actorOf(testApp.knex, 'etu.sciences1');
    const result = await searchHosts(testApp.knex, student, { ...EMPTY_SEARCH, name: 'societe generale' });
    expect(result.rows.map((row) => row.name)).toEqual(['Société Générale']);
    expect(result.total).toBe(1);
    const teacher = await actorOf(testApp.knex, 'prof.martin');
    await expect(searchHosts(testApp.knex, teacher, EMPTY_SEARCH)).rejects.toBeInstanceOf(ForbiddenError);
  });
});
