import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/test-app.ts';
import { depositForm, depositTables, newDepositLink, postDeposit } from './deposit-support.ts';

/**
 * The public deposit form refuses abusive input: HTML, over-long fields, an oversized body,
 * forged values, a filled honeypot, a missing CSRF token, a wrong secret — and stores nothing.
 * (Fewer posts than the hourly limit per address: deposit-rate-limit.test.ts tests the limit.)
 */
describe('abusive deposits', () => {
  let testApp: TestApp;
  let path: string;
  beforeAll(async () => {
    testApp = await startTestApp();
    path = await newDepositLink(testApp, await testApp.signIn('agent.stages'));
  });
  afterAll(() => testApp.close());

  async function refused(form: Record<string, string | string[]>, status: number) {
    const before = await depositTables(testApp.knex);
    const answer = await postDeposit(testApp.anonymous(), path, form);
    expect(answer.status, answer.text.slice(0, 500)).toBe(status);
    expect(await depositTables(testApp.knex)).toBe(before);
    return answer;
  }

  it('refuses HTML in any field, with a French message next to it, and never echoes it unescaped', async () => {
    const page = await refused(
      depositForm({
        title: '<b>Stage</b>',
        missions: 'Bonjour <script>alert(1)</script>',
        contact_last_name: '<img src=x onerror=alert(1)>',
        host_town: 'Lyon <!-- commentaire',
      }),
      422,
    );
    for (const field of ['title', 'missions', 'contact_last_name', 'host_town']) {
      expect(page.text, field).toContain(`id="field-${field}-error">Les balises HTML ne sont pas acceptées : écrivez du texte simple.`);
    }
    expect(page.text).not.toContain('<script>alert(1)</script>');
    expect(page.text).not.toContain('<img src=x');
    expect(page.text).toContain('Bonjour &lt;script&gt;alert(1)&lt;/script&gt;');
  });

  it('refuses over-long fields and control characters', async () => {
    const page = await refused(
      depositForm({ title: 'T'.repeat(201), missions: 'M'.repeat(10001), host_name: 'N'.repeat(151), skills: 'a\u0000b', contact_function: 'F'.repeat(151) }),
      422,
    );
    expect(page.text).toContain('id="field-title-error">200 caractères au plus.');
    expect(page.text).toContain('id="field-missions-error">10000 caractères au plus.');
    expect(page.text).toContain('id="field-host_name-error">150 caractères au plus.');
    expect(page.text).toContain('id="field-contact_function-error">150 caractères au plus.');
    expect(page.text).toContain('id="field-skills-error">Ce texte contient des caractères non autorisés.');
  });

  it('refuses an oversized body with 413', async () => {
    const page = await refused(depositForm({ missions: 'M'.repeat(300_000) }), 413);
    expect(page.text).toContain('Les données envoyées dépassent la taille autorisée.');
  });

  it('refuses forged values (unknown codes, repeated fields) with 422, never a 500', async () => {
    const page = await refused(
      depositForm({ offer_type: 'NOPE', application_modes: ['MAIL', 'XXX'], title: ['Un', 'Deux'], host_mode: 'maybe', start_month: '13' }),
      422,
    );
    expect(page.text).toContain('id="field-offer_type-error">Choisissez une valeur de la liste.');
    expect(page.text).toContain('id="field-application_modes-error">Choisissez une valeur de la liste.');
    expect(page.text).toContain('id="field-host_mode-error">Indiquez si votre établissement est déjà enregistré.');
    expect(page.text).toContain('id="field-start_month-error">Choisissez une valeur de la liste.');
    expect(page.text).toContain('id="field-title-error">');
  });

  it('pretends to accept a form whose honeypot is filled, and stores nothing', async () => {
    const answer = await refused(depositForm({ website: 'https://spam.example' }), 303);
    expect(answer.headers.location).toBe(`${path}/thanks`);
  });

  it('refuses a post without the CSRF token, with or without a session', async () => {
    const before = await depositTables(testApp.knex);
    await testApp.anonymous().post(path).type('form').send(depositForm()).expect(403);
    const visitor = testApp.anonymous();
    await visitor.get(path).expect(200);
    await visitor
      .post(path)
      .type('form')
      .send({ ...depositForm(), _csrf: 'forged' })
      .expect(403);
    expect(await depositTables(testApp.knex)).toBe(before);
  });

  it('refuses a post to a wrong secret with 404', async () => {
    const before = await depositTables(testApp.knex);
    const visitor = testApp.anonymous();
    const page = await postDeposit(visitor, path, { host_mode: 'maybe' });
    expect(page.status).toBe(422);
    const _csrf = /name="_csrf" value="([^"]+)"/.exec(page.text)![1]!;
    await visitor
      .post(`/offers/deposit/${'B'.repeat(43)}`)
      .type('form')
      .send({ _csrf, ...depositForm() })
      .expect(404);
    expect(await depositTables(testApp.knex)).toBe(before);
  });
});
