import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type TestAgent from 'supertest/lib/agent.js';
import { startTestApp, type TestApp } from '../support/test-app.ts';
import { directoryTables, insertContact, insertHosts, insertService, postForm } from './support.ts';

/**
 * The directory does not know the conventions: the application passes it the conventions module's
 * usage of its records. Here a stand-in says that one host, one service and one contact are used by
 * conventions.
 */
describe('records used by conventions', () => {
  let testApp: TestApp;
  let gest: TestAgent;
  let usedHost: number;
  let usedService: number;
  let usedContact: number;
  beforeAll(async () => {
    testApp = await startTestApp({
      services: {
        conventionUsage: {
          conventionCounts: async (_db, hostIds) => new Map(hostIds.filter((id) => id === usedHost).map((id) => [id, 3])),
          serviceInUse: async (_db, serviceId) => serviceId === usedService,
          contactInUse: async (_db, contactId) => contactId === usedContact,
        },
      },
    });
    gest = await testApp.signIn('gest.sciences');
    [usedHost] = (await insertHosts(testApp.knex, [{ name: 'Hôte en convention' }])) as [number];
    usedService = await insertService(testApp.knex, usedHost, 'Lieu du stage');
    usedContact = await insertContact(testApp.knex, usedHost, usedService, 'Tuteur');
  });
  afterAll(() => testApp.close());

  it('shows the number of conventions of a host on its sheet', async () => {
    const sheet = await gest.get(`/hosts/${usedHost}`).expect(200);
    expect(sheet.text).toMatch(/<dt>Nombre de conventions<\/dt><dd>3<\/dd>/);
    const [other] = await insertHosts(testApp.knex, [{ name: 'Sans convention' }]);
    expect((await gest.get(`/hosts/${other}`).expect(200)).text).toMatch(/<dt>Nombre de conventions<\/dt><dd>0<\/dd>/);
  });

  it('refuses to delete a host, a service or a contact that conventions use, changing nothing', async () => {
    const before = await directoryTables(testApp.knex);
    expect((await postForm(gest, `/hosts/${usedHost}/contacts/${usedContact}/delete`, {}, 409)).text).toContain(
      'Le contact Paul Tuteur ne peut pas être supprimé : une convention validée le mentionne.',
    );
    await testApp.knex('host_contact').where({ id: usedContact }).update({ deleted_at: new Date(), deleted_by: 'fixture' });
    const afterContact = await directoryTables(testApp.knex);
    expect((await postForm(gest, `/hosts/${usedHost}/services/${usedService}/delete`, {}, 409)).text).toContain(
      'Le service « Lieu du stage » ne peut pas être supprimé : des conventions s’y déroulent.',
    );
    expect((await postForm(gest, `/hosts/${usedHost}/delete`, {}, 409)).text).toContain(
      'Cet établissement ne peut pas être supprimé : 3 convention(s) le concernent.',
    );
    expect(await directoryTables(testApp.knex)).toBe(afterContact);
    expect(before).not.toBe(afterContact);
  });
});
