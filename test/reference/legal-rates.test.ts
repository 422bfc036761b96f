import type TestAgent from 'supertest/lib/agent.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadLegalParameters } from '../../src/conventions/shared/legal.ts';
import { fieldError } from '../support/form-errors.ts';
import { csrfTokenFrom, startTestApp, type TestApp } from '../support/test-app.ts';

async function postRate(agent: TestAgent, values: Record<string, string>) {
  return agent
    .post('/admin/legal-rates')
    .type('form')
    .send({ _csrf: await csrfTokenFrom(agent, '/'), ...values });
}

/**
 * The hourly social-security ceiling of each calendar year (/admin/legal-rates), from which the legal
 * minimum gratification follows: entered by the super-admin when the decree is out, read by the checks.
 */
describe('the yearly legal rates', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp();
  });
  afterAll(() => app.close());

  const rateOf = (year: number) => app.knex('legal_yearly_rate').where({ year }).first('hourly_social_security_ceiling', 'minimum_hourly_gratification');

  it('are for super-admins only', async () => {
    const anonymous = await app.anonymous().get('/admin/legal-rates').expect(302);
    expect(anonymous.headers.location).toBe('/auth/login?returnTo=%2Fadmin%2Flegal-rates');
    for (const login of ['etu.sciences1', 'prof.martin', 'gest.sciences', 'resp.sciences']) {
      const agent = await app.signIn(login);
      await agent.get('/admin/legal-rates').expect(403);
      await postRate(agent, { year: '2027', hourly_social_security_ceiling: '31' }).then((response) => expect(response.status).toBe(403));
    }
    expect(await rateOf(2027)).toBeUndefined();
  });

  it('lists the years on record, linked from the administration page, and proposes the next one', async () => {
    const admin = await app.signIn('admin');
    expect((await admin.get('/admin').expect(200)).text).toContain('href="/admin/legal-rates"');
    const page = (await admin.get('/admin/legal-rates').expect(200)).text;
    expect(page).toContain('15 % du plafond horaire');
    expect(page).toMatch(/<th scope="row">2026<\/th>\s*<td>30,00\s€<\/td>\s*<td>4,50\s€<\/td>/);
    expect(page).toMatch(/<th scope="row">2023<\/th>\s*<td>27,00\s€<\/td>\s*<td>4,05\s€<\/td>/);
    const nextYear = new Date().getFullYear() + 1;
    if (nextYear > 2026) expect(page).toContain(`name="year" value="${nextYear}"`);
  });

  it('records a new year with the minimum computed from it, which the legal checks then use', async () => {
    const admin = await app.signIn('admin');
    expect((await loadLegalParameters(app.knex)).minimumHourlyGratification['2027']).toBeUndefined();
    const saved = await postRate(admin, { year: '2027', hourly_social_security_ceiling: '31,00' });
    expect(saved.status, saved.text.slice(0, 300)).toBe(303);
    expect(saved.headers.location).toBe('/admin/legal-rates');
    const page = (await admin.get('/admin/legal-rates').expect(200)).text;
    expect(page).toMatch(/Le plafond de 2027 est enregistré : gratification minimale de 4,65\s€ de l’heure\./);
    expect(page).toMatch(/<th scope="row">2027<\/th>\s*<td>31,00\s€<\/td>\s*<td>4,65\s€<\/td>/);
    expect(await rateOf(2027)).toEqual({ hourly_social_security_ceiling: '31.00', minimum_hourly_gratification: '4.65' });
    expect((await loadLegalParameters(app.knex)).minimumHourlyGratification['2027']).toBe('4.65');
    const entry = await app.knex('audit_log').where({ entity: 'legal_yearly_rate', entity_id: '2027' }).first('actor_login', 'action', 'before', 'after');
    expect(entry).toEqual({ actor_login: 'admin', action: 'legal_rate.added', before: null, after: { year: 2027, ceilingCents: 3100, minimumCents: 465 } });
  });

  it('replaces a year on record, keeping what it was in the audit log', async () => {
    const admin = await app.signIn('admin');
    expect((await postRate(admin, { year: '2026', hourly_social_security_ceiling: '30.50' })).status).toBe(303);
    expect(await rateOf(2026)).toEqual({ hourly_social_security_ceiling: '30.50', minimum_hourly_gratification: '4.58' });
    const entry = await app.knex('audit_log').where({ entity: 'legal_yearly_rate', entity_id: '2026' }).first('action', 'before');
    expect(entry).toEqual({ action: 'legal_rate.replaced', before: { year: 2026, ceilingCents: 3000, minimumCents: 450 } });
  });

  it('refuses wrong values with a French message next to the field, keeping what was typed, and records nothing', async () => {
    const admin = await app.signIn('admin');
    const count = async () => Number((await app.knex('legal_yearly_rate').count({ n: '*' }).first())!.n);
    const before = await count();
    for (const [values, field, message] of [
      [{ year: '1999', hourly_social_security_ceiling: '31' }, 'year', 'Au moins 2000.'],
      [{ year: 'deux mille', hourly_social_security_ceiling: '31' }, 'year', 'Nombre entier attendu.'],
      [
        { year: '2028', hourly_social_security_ceiling: 'trente' },
        'hourly_social_security_ceiling',
        'Un montant en euros est attendu, avec au plus deux décimales (exemple : 30,00).',
      ],
      [
        { year: '2028', hourly_social_security_ceiling: '31,005' },
        'hourly_social_security_ceiling',
        'Un montant en euros est attendu, avec au plus deux décimales (exemple : 30,00).',
      ],
      [{ year: '2028', hourly_social_security_ceiling: '0,50' }, 'hourly_social_security_ceiling', 'Le plafond horaire doit être compris entre 1 € et 1000 €.'],
      [{ year: '2028', hourly_social_security_ceiling: '' }, 'hourly_social_security_ceiling', 'Ce champ est obligatoire.'],
    ] as const) {
      const response = await postRate(admin, values);
      expect(response.status).toBe(422);
      expect(fieldError(response.text, field)).toBe(message);
      expect(response.text).toContain(`name="${field}" value="${values[field]}"`);
    }
    expect(await count()).toBe(before);
  });
});
