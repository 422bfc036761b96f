import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/test-app.ts';
import { createOffer } from './support.ts';

/** The staff search of offers: simple and advanced criteria, states, company-entered offers. */
describe('offer search', () => {
  let app: TestApp;
  let nantes: number;
  let lyon: number;
  let company: number;
  beforeAll(async () => {
    app = await startTestApp();
    const staff = await app.signIn('gest.sciences');
    nantes = await createOffer(staff, app.knex, {
      title: 'Chimiste analytique',
      skills: 'Chromatographie',
      rqth_accessible: 'on',
      publish_now: 'on',
      months: '2',
    });
    lyon = await createOffer(staff, app.knex, {
      title: 'Juriste en alternance',
      offer_type: 'ALTERN',
      contract: 'CTAPPREN',
      postal_code: '69003',
      town: 'Lyon',
      publish_now: 'on',
      months: '2',
    });
    company = await createOffer(staff, app.knex, { title: 'Offre déposée par une entreprise', publish_now: 'on', months: '2' });
    await app.knex('offer').where({ id: company }).update({ entered_by_company: true, to_moderate: true });
  });
  afterAll(() => app.close());

  const found = async (query: string) => {
    const staff = await app.signIn('gest.sciences');
    const page = await staff.get(`/offers?${query}`).expect(200);
    return [nantes, lyon, company].filter((id) => page.text.includes(`href="/offers/${id}"`));
  };

  it('finds by number, title, keywords, type and contract, town and postal codes', async () => {
    expect(await found(`number=${lyon}`)).toEqual([lyon]);
    expect(await found('title=chimiste')).toEqual([nantes]);
    expect(await found('keywords=chromatographie')).toEqual([nantes]);
    expect(await found('offer_type=ALTERN&contract=CTAPPREN')).toEqual([lyon]);
    expect(await found('town=lyon')).toEqual([lyon]);
    expect(await found('postal_codes=75;69')).toEqual([lyon]);
  });

  it('leaves company-entered offers out unless asked, and flags those to moderate', async () => {
    expect(await found('')).toEqual([nantes, lyon]);
    const staff = await app.signIn('gest.sciences');
    const page = await staff.get('/offers?include_company=on').expect(200);
    expect(page.text).toContain(`href="/offers/${company}"`);
    expect(page.text).toContain('À modérer');
  });

  it('has advanced criteria: RQTH, training level, activity sector of the host', async () => {
    expect(await found('rqth_accessible=on')).toEqual([nantes]);
    expect(await found('training_level=3')).toEqual([nantes, lyon]);
    expect(await found('naf_section=J')).toEqual([nantes, lyon]);
    expect(await found('naf_section=A')).toEqual([]);
  });

  it('refuses malformed criteria with a message next to the field', async () => {
    const staff = await app.signIn('gest.sciences');
    const page = await staff.get('/offers?number=abc&postal_codes=75%25').expect(422);
    expect(page.text).toContain('Numéro d’offre : un nombre entier.');
    expect(page.text).toContain('Codes postaux séparés par');
  });
});
