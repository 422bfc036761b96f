import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, PUBLIC_BASE_URL, type TestApp } from '../support/test-app.ts';
import { queueNotifications } from '../../src/notifications/queue.ts';
import { demoConvention } from './support.ts';

/** The outbox page (/admin/outbox), through the real application: super-admins only. */
let testApp: TestApp;
let number: number;

beforeAll(async () => {
  testApp = await startTestApp();
  const convention = await demoConvention(testApp.knex, 'etu.droit1', 'refused');
  number = convention.number;
  await queueNotifications(testApp.knex, {
    kind: 'refused',
    conventionId: convention.id,
    actorLogin: 'gest.droit',
    reason: 'Tuteur <absent> & dates à revoir',
  });
  await testApp.knex('notification').insert({
    kind: 'validated',
    convention_id: convention.id,
    recipient: 'ines.garcia@etu.univ-demo.fr',
    subject: 'Un message en échec',
    text_body: 'Bonjour,',
    link: null,
    status: 'queued',
    attempts: 2,
    last_error: '450 Mailbox temporarily unavailable',
    next_attempt_at: new Date(Date.now() + 3600_000),
  });
});
afterAll(async () => {
  await testApp.close();
});

describe('/admin/outbox', () => {
  it('lists the messages with recipient, subject, state and full text (with the absolute link), escaped', async () => {
    const admin = await testApp.signIn('admin');
    const page = await admin.get('/admin/outbox').expect(200);
    expect(page.text).toContain('<h1>Courriels de notification</h1>');
    expect(page.text).toContain('ines.garcia@etu.univ-demo.fr');
    expect(page.text).toContain(`Votre convention de stage n° ${number} a été refusée`);
    expect(page.text).toContain('En attente');
    expect(page.text).toContain('Motif du refus : Tuteur &lt;absent&gt; &amp; dates à revoir');
    expect(page.text).not.toContain('<absent>');
    expect(page.text).toContain(`Consulter la convention : ${PUBLIC_BASE_URL}/conventions/${number}`);
    expect(page.text).toContain('Essais : 2');
    expect(page.text).toContain('Dernière erreur : 450 Mailbox temporarily unavailable');
    expect(page.text).toContain('Prochain essai : ');
    // Not in demo mode here: no demo notice.
    expect(page.text).not.toContain('Mode démonstration');
    expect(page.text).not.toMatch(/notifications\.outbox\./);
  });

  it('is linked from the administration home', async () => {
    const admin = await testApp.signIn('admin');
    const home = await admin.get('/admin').expect(200);
    expect(home.text).toContain('href="/admin/outbox"');
  });

  it('is refused to everyone else', async () => {
    const anonymous = await testApp.anonymous().get('/admin/outbox').expect(302);
    expect(anonymous.headers.location).toBe('/auth/login?returnTo=%2Fadmin%2Foutbox');
    for (const login of ['resp.sciences', 'agent.stages', 'prof.durand', 'etu.droit1']) {
      const agent = await testApp.signIn(login);
      const page = await agent.get('/admin/outbox');
      expect(page.status, login).toBe(403);
      expect(page.text).not.toContain('ines.garcia@etu.univ-demo.fr');
    }
  });
});
