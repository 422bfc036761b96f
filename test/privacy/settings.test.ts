import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { csrfTokenFrom, startTestApp, type TestApp } from '../support/test-app.ts';
import { fieldError, postSettings } from './support.ts';

/** The institution settings (/admin/settings) and the public pages whose texts they hold. */
describe('institution settings', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp();
  });
  afterAll(() => app.close());

  it('are for super-admins only', async () => {
    const anonymous = await app.anonymous().get('/admin/settings').expect(302);
    expect(anonymous.headers.location).toBe('/auth/login?returnTo=%2Fadmin%2Fsettings');
    for (const login of ['etu.sciences1', 'prof.martin', 'lect.sciences', 'gest.sciences', 'resp.sciences']) {
      const agent = await app.signIn(login);
      await agent.get('/admin/settings').expect(403);
      await agent.get('/admin/settings/anonymisation').expect(403);
      const token = await csrfTokenFrom(agent, '/');
      await agent
        .post('/admin/settings')
        .type('form')
        .send({ _csrf: token, version: '1', retention_years: '1', collect_social_security_number: 'on' })
        .expect(403);
      await agent.post('/admin/settings/anonymisation').type('form').send({ _csrf: token, confirm: 'on' }).expect(403);
    }
    expect(await app.knex('institution_setting').first('retention_years', 'collect_social_security_number', 'version')).toEqual({
      retention_years: 5,
      collect_social_security_number: false,
      version: 1,
    });
  });

  it('are linked from the administration page, with their defaults', async () => {
    const admin = await app.signIn('admin');
    expect((await admin.get('/admin').expect(200)).text).toContain('href="/admin/settings"');
    const page = await admin.get('/admin/settings').expect(200);
    expect(page.text).toMatch(/name="retention_years" value="5"/);
    expect(page.text).not.toMatch(/name="collect_social_security_number" checked/);
    expect(page.text).toContain('## Responsable du traitement');
  });

  it('refuses a wrong retention with a French message next to the field, keeping what was typed', async () => {
    const admin = await app.signIn('admin');
    for (const [typed, message] of [
      ['0', 'Au moins 1.'],
      ['51', 'Au plus 50.'],
      ['cinq', 'Nombre entier attendu.'],
      ['', 'Ce champ est obligatoire.'],
    ]) {
      const response = await postSettings(admin, { retention_years: typed!, privacy_notice: 'Mon texte à garder' });
      expect(response.status).toBe(422);
      expect(fieldError(response.text, 'retention_years')).toBe(message);
      expect(response.text).toContain('Mon texte à garder');
    }
    expect((await app.knex('institution_setting').first('version')).version).toBe(1);
  });

  it('saves, records who changed what, and the public pages show the new texts, escaped', async () => {
    const admin = await app.signIn('admin');
    const saved = await postSettings(admin, {
      retention_years: '7',
      collect_social_security_number: 'on',
      privacy_notice: '## Contact\r\nÉcrivez au DPO <script>alert(1)</script>\r\n\r\n- accès\r\n- rectification',
      accessibility_statement: 'Conventio est totalement conforme au RGAA.',
    });
    expect(saved.status, saved.text.slice(0, 500)).toBe(302);
    expect(saved.headers.location).toBe('/admin/settings');
    const page = await admin.get('/admin/settings').expect(200);
    expect(page.text).toContain('Les réglages de l’établissement sont enregistrés.');
    expect(page.text).toMatch(/name="retention_years" value="7"/);

    const audit = await app.knex('audit_log').where({ entity: 'institution_setting' }).first('actor_login', 'before', 'after');
    expect(audit).toMatchObject({
      actor_login: 'admin',
      before: { retention_years: 5, collect_social_security_number: false },
      after: { retention_years: 7, collect_social_security_number: true },
    });

    const privacy = await app.anonymous().get('/privacy').expect(200);
    expect(privacy.text).toContain('<h2>Contact</h2>');
    expect(privacy.text).toContain('Écrivez au DPO &lt;script&gt;alert(1)&lt;/script&gt;');
    expect(privacy.text).not.toContain('<script>alert(1)');
    expect(privacy.text).toMatch(/<ul><li>accès<\/li><li>rectification<\/li><\/ul>/);
    expect((await app.anonymous().get('/accessibility').expect(200)).text).toContain('<p>Conventio est totalement conforme au RGAA.</p>');
  });

  it('refuses to overwrite a change made meanwhile', async () => {
    const admin = await app.signIn('admin');
    const token = await csrfTokenFrom(admin, '/admin/settings');
    const stale = await admin.post('/admin/settings').type('form').send({ _csrf: token, version: '1', retention_years: '9' });
    expect(stale.status).toBe(409);
    expect(stale.text).toContain('Quelqu’un d’autre a modifié cette fiche');
    expect(stale.text).toMatch(/name="retention_years" value="9"/);
    expect((await app.knex('institution_setting').first('retention_years')).retention_years).toBe(7);
  });

  it('goes back to the default text when a text is emptied', async () => {
    const admin = await app.signIn('admin');
    expect((await postSettings(admin, { retention_years: '7', privacy_notice: '', accessibility_statement: '' })).status).toBe(302);
    expect(await app.knex('institution_setting').first('privacy_notice', 'accessibility_statement')).toEqual({
      privacy_notice: null,
      accessibility_statement: null,
    });
    const privacy = await app.anonymous().get('/privacy').expect(200);
    expect(privacy.text).toContain('<h2>Vos droits</h2>');
    expect((await app.anonymous().get('/accessibility').expect(200)).text).toContain('<h2>État de conformité</h2>');
  });
});

describe('public pages', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp();
  });
  afterAll(() => app.close());

  it('are readable without signing in and linked from the footer of every page', async () => {
    for (const [path, status] of [
      ['/privacy', 200],
      ['/accessibility', 200],
      ['/no-such-page', 404],
    ] as const) {
      const page = await app.anonymous().get(path);
      expect(page.status, path).toBe(status);
      expect(page.text, path).toContain('<a href="/privacy">Données personnelles</a>');
      expect(page.text, path).toContain('<a href="/accessibility">Accessibilité</a>');
      expect(page.text, path).not.toContain('href="/me/data"');
    }
    expect((await app.anonymous().get('/privacy')).text).toContain('<h1>Données personnelles</h1>');
    expect((await app.anonymous().get('/accessibility')).text).toContain('RGAA');
  });

  it('offer the signed-in person the download of their data', async () => {
    const student = await app.signIn('etu.sciences1');
    for (const path of ['/', '/privacy']) expect((await student.get(path).expect(200)).text).toContain('href="/me/data"');
  });
});
