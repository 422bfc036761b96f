import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type TestAgent from 'supertest/lib/agent.js';
import { ForbiddenError } from '../../src/errors.ts';
import { conventionHostUsage } from '../../src/conventions/host-usage.ts';
import {
  createContact,
  createHost,
  createService,
  deleteContact,
  deleteHost,
  deleteService,
  hostsToCheck,
  listContacts,
  listServices,
  markHostChecked,
  updateContact,
  updateHost,
  updateService,
} from '../../src/hosts/service.ts';
import { EMPTY_SEARCH } from '../../src/hosts/schemas.ts';
import { searchHosts } from '../../src/hosts/service.ts';
import { csrfTokenFrom, startTestApp, type TestApp } from '../support/test-app.ts';
import { actorOf, contactForm, directoryTables, hostForm, insertContact, insertHosts, insertService, serviceForm, siretFrom } from './support.ts';

describe('rights on the host directory', () => {
  let testApp: TestApp;
  let hostId: number;
  let serviceId: number;
  let contactId: number;
  beforeAll(async () => {
    testApp = await startTestApp();
    [hostId] = (await insertHosts(testApp.knex, [{ name: 'Hôte Protégé', siret: siretFrom('7000000000001'), to_check: true }])) as [number];
    serviceId = await insertService(testApp.knex, hostId, 'Service protégé');
    contactId = await insertContact(testApp.knex, hostId, serviceId, 'Protégé');
    // A person of the staff directory attached to no centre.
    await testApp.knex('staff').insert({ login: 'agent.sans.centre', last_name: 'Sans', first_name: 'Centre' });
  });
  afterAll(() => testApp.close());

  const pages = () => [
    '/hosts',
    '/hosts?name=protege',
    `/hosts/${hostId}`,
    '/hosts/new',
    '/hosts/to-check',
    `/hosts/${hostId}/edit`,
    `/hosts/${hostId}/services/new`,
    `/hosts/${hostId}/services/${serviceId}/edit`,
    `/hosts/${hostId}/contacts/new`,
    `/hosts/${hostId}/contacts/${contactId}/edit`,
  ];
  const readerPages = () => ['/hosts', '/hosts?name=protege', `/hosts/${hostId}`];

  const posts = () =>
    [
      ['/hosts', hostForm({ name: 'Intrus', siret: siretFrom('7000000000002') })],
      [`/hosts/${hostId}/edit`, hostForm({ name: 'Modifié', siret: siretFrom('7000000000001'), version: '1' })],
      [`/hosts/${hostId}/check`, { version: '1' }],
      [`/hosts/${hostId}/services`, serviceForm({ name: 'Service intrus' })],
      [`/hosts/${hostId}/services/${serviceId}/edit`, serviceForm({ name: 'Service modifié', version: '1' })],
      [`/hosts/${hostId}/contacts`, contactForm(serviceId, { last_name: 'Intrus' })],
      [`/hosts/${hostId}/contacts/${contactId}/edit`, contactForm(serviceId, { last_name: 'Modifié', version: '1' })],
      [`/hosts/${hostId}/contacts/${contactId}/delete`, {}],
      [`/hosts/${hostId}/services/${serviceId}/delete`, {}],
      [`/hosts/${hostId}/delete`, {}],
    ] as const;

  async function expectEveryPostRefused(agent: TestAgent, token: string) {
    const before = await directoryTables(testApp.knex);
    for (const [path, fields] of posts()) {
      const response = await agent
        .post(path)
        .type('form')
        .send({ _csrf: token, ...fields });
      expect(response.status, `POST ${path}`).toBe(403);
    }
    expect(await directoryTables(testApp.knex)).toBe(before);
  }

  it('sends anonymous visitors to sign in, and refuses their posts', async () => {
    const agent = testApp.anonymous();
    for (const path of pages()) {
      const response = await agent.get(path).expect(302);
      expect(response.headers.location).toBe(`/auth/login?returnTo=${encodeURIComponent(path)}`);
    }
    const before = await directoryTables(testApp.knex);
    for (const [path, fields] of posts()) await agent.post(path).type('form').send(fields).expect(403);
    expect(await directoryTables(testApp.knex)).toBe(before);
  });

  for (const login of ['etu.sciences1', 'prof.martin', 'agent.sans.centre']) {
    it(`refuses every directory page and change to ${login}`, async () => {
      const agent = await testApp.signIn(login);
      for (const path of pages()) {
        const response = await agent.get(path);
        expect(response.status, `GET ${path}`).toBe(403);
        expect(response.text).toContain('Vous n’avez pas les droits nécessaires');
      }
      // The menu follows the primary role: a staff person of no centre still sees the entry, and gets 403.
      if (login !== 'agent.sans.centre') expect((await agent.get('/').expect(200)).text).not.toContain('href="/hosts"');
      await expectEveryPostRefused(agent, await csrfTokenFrom(agent, '/'));
    });
  }

  it('lets READ staff search and view, without any button to change, and refuses every change', async () => {
    const agent = await testApp.signIn('lect.sciences');
    for (const path of readerPages()) await agent.get(path).expect(200);
    expect((await agent.get('/').expect(200)).text).toContain('href="/hosts"');
    const sheet = await agent.get(`/hosts/${hostId}`).expect(200);
    expect(sheet.text).toContain('Service protégé');
    expect(sheet.text).toContain('Paul Protégé');
    for (const hidden of ['/edit"', '/delete"', '/check"', '/services/new"', '/contacts/new"']) expect(sheet.text).not.toContain(hidden);
    const search = await agent.get('/hosts').expect(200);
    expect(search.text).not.toContain('href="/hosts/new"');
    for (const path of pages().filter((page) => !readerPages().includes(page))) {
      expect((await agent.get(path)).status, `GET ${path}`).toBe(403);
    }
    await expectEveryPostRefused(agent, await csrfTokenFrom(agent, `/hosts/${hostId}`));
  });

  for (const login of ['gest.sciences', 'gest.droit', 'resp.sciences', 'admin']) {
    it(`lets ${login} open every page and manage the directory`, async () => {
      const agent = await testApp.signIn(login);
      for (const path of pages()) expect((await agent.get(path)).status, `GET ${path}`).toBe(200);
      const sheet = await agent.get(`/hosts/${hostId}`).expect(200);
      expect(sheet.text).toContain(`action="/hosts/${hostId}/delete"`);
      const token = await csrfTokenFrom(agent, '/hosts/new');
      const name = `Créé par ${login}`;
      const created = await agent
        .post('/hosts')
        .type('form')
        .send({ _csrf: token, ...hostForm({ name, siret: '', country_code: 'BE', postal_code: '1000', town: 'Bruxelles', phone: '+32 2 123 45 67' }) });
      expect(created.status, created.text.slice(0, 300)).toBe(302);
      expect(await testApp.knex('host').where({ name }).first()).toMatchObject({ to_check: false, created_by: login });
    });
  }

  describe('through the service functions (as the convention wizard will call them)', () => {
    it('lets a student search and create a host, a service and a contact — the host flagged to check', async () => {
      const student = await actorOf(testApp.knex, 'etu.sciences1');
      const context = { actor: student };
      const id = await createHost(testApp.knex, context, hostForm({ name: 'Stage de Léa', siret: siretFrom('7100000000001') }));
      expect(await testApp.knex('host').where({ id }).first()).toMatchObject({ to_check: true, checked_by: null, created_by: 'etu.sciences1' });
      const service = await createService(testApp.knex, context, id, serviceForm());
      const contact = await createContact(testApp.knex, context, id, contactForm(service));
      expect((await listServices(testApp.knex, student, id)).map((row) => row.id)).toEqual([service]);
      expect((await listContacts(testApp.knex, student, id, service)).map((row) => row.id)).toEqual([contact]);
      expect((await searchHosts(testApp.knex, student, { ...EMPTY_SEARCH, name: 'stage de lea' })).rows.map((row) => row.id)).toEqual([id]);
      expect(await testApp.knex('audit_log').where({ actor_login: 'etu.sciences1' }).whereLike('entity', 'host%').orderBy('id').pluck('action')).toEqual([
        'host.create',
        'host_service.create',
        'host_contact.create',
      ]);
    });

    it('refuses a student every edition, deletion and validation, changing nothing', async () => {
      const student = await actorOf(testApp.knex, 'etu.sciences1');
      const context = { actor: student };
      const before = await directoryTables(testApp.knex);
      const attempts = [
        updateHost(testApp.knex, context, hostId, 1, hostForm({ siret: siretFrom('7000000000001') })),
        deleteHost(testApp.knex, context, hostId, conventionHostUsage),
        markHostChecked(testApp.knex, context, hostId, 1),
        hostsToCheck(testApp.knex, student),
        updateService(testApp.knex, context, hostId, serviceId, 1, serviceForm()),
        deleteService(testApp.knex, context, hostId, serviceId, conventionHostUsage),
        updateContact(testApp.knex, context, hostId, contactId, 1, contactForm(serviceId)),
        deleteContact(testApp.knex, context, hostId, contactId, conventionHostUsage),
      ];
      for (const attempt of await Promise.allSettled(attempts)) {
        expect(attempt.status).toBe('rejected');
        expect((attempt as PromiseRejectedResult).reason).toBeInstanceOf(ForbiddenError);
      }
      expect(await directoryTables(testApp.knex)).toBe(before);
    });

    it('refuses teachers and READ staff any creation', async () => {
      for (const login of ['prof.martin', 'lect.sciences']) {
        const context = { actor: await actorOf(testApp.knex, login) };
        await expect(createHost(testApp.knex, context, hostForm({ siret: siretFrom('7200000000001') }))).rejects.toBeInstanceOf(ForbiddenError);
        await expect(createService(testApp.knex, context, hostId, serviceForm({ name: 'Refusé' }))).rejects.toBeInstanceOf(ForbiddenError);
        await expect(createContact(testApp.knex, context, hostId, contactForm(serviceId))).rejects.toBeInstanceOf(ForbiddenError);
      }
      await expect(listServices(testApp.knex, await actorOf(testApp.knex, 'prof.martin'), hostId)).rejects.toBeInstanceOf(ForbiddenError);
    });
  });
});
