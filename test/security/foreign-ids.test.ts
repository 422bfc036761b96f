import type TestAgent from 'supertest/lib/agent.js';
import type { Response } from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contactFields, enrolmentOf, studentFields } from '../conventions/support.ts';
import { offerFields, postOffer } from '../offers/support.ts';
import { csrfTokenFrom, startTestApp, type TestApp } from '../support/test-app.ts';
import { fingerprint, type Fields } from './route-matrix-support.ts';

/**
 * Identifiers in addresses and forms are never trusted: every route that takes one is tried with the
 * ids of another centre, another student, another host, and must refuse (404 when the record's
 * existence is nobody's business, 403 when it is no secret, a validation error next to the field for
 * a form) without changing anything in the database.
 */
interface Ids {
  sciencesNumber: number;
  sciencesDraftId: number;
  droitNumber: number;
  droitAmendment: number;
  sciencesCentreId: number;
  droitCentreId: number;
  droitCriterionId: number;
  droitMemberId: number;
  companyCentreId: number;
  host: { id: number; serviceId: number; contactId: number };
  otherHost: { id: number; serviceId: number; contactId: number };
  droitOfferId: number;
  sciencesOfferId: number;
  droitStudentId: number;
  droitEnrolmentId: number;
  sciencesStudentId: number;
}

interface Case {
  name: string;
  login: string;
  method: 'GET' | 'POST';
  url: (ids: Ids) => string;
  fields?: (ids: Ids, app: TestApp) => Fields | Promise<Fields>;
  /** The refusal expected; a status from the list. */
  refused: number[];
  /** What the refusal says, next to the field. */
  says?: RegExp;
  multipart?: boolean;
}

const NOT_YOURS = [404];
const FORBIDDEN = [403];

const CASES: Case[] = [
  // Conventions of another centre, of another student, of a teacher who does not supervise them
  ...[
    '',
    '/student',
    '/host',
    '/service',
    '/tutor',
    '/internship',
    '/supervisor',
    '/signatory',
    '/validation',
    '/history',
    '/amendments',
    '/amendments/new',
    '/cancel',
    '/delete',
    '/convention.pdf',
    '/summary.pdf',
    '/certificate.pdf',
  ].flatMap((step) =>
    (['gest.sciences', 'resp.sciences', 'lect.sciences', 'etu.sciences1', 'prof.martin'] as const).map((login): Case => ({
      name: `another centre’s convention${step}`,
      login,
      method: 'GET',
      url: (ids) => `/conventions/${ids.droitNumber}${step}`,
      refused: NOT_YOURS,
    })),
  ),
  { name: 'a fellow student’s convention', login: 'etu.sciences2', method: 'GET', url: (ids) => `/conventions/${ids.sciencesNumber}`, refused: NOT_YOURS },
  {
    name: 'a fellow student’s convention in print',
    login: 'etu.sciences2',
    method: 'GET',
    url: (ids) => `/conventions/${ids.sciencesNumber}/convention.pdf`,
    refused: NOT_YOURS,
  },
  {
    name: 'a fellow student’s draft',
    login: 'etu.sciences2',
    method: 'GET',
    url: (ids) => `/conventions/drafts/${ids.sciencesDraftId}/internship`,
    refused: NOT_YOURS,
  },
  {
    name: 'another centre’s student’s draft',
    login: 'gest.droit',
    method: 'GET',
    url: (ids) => `/conventions/drafts/${ids.sciencesDraftId}/summary`,
    refused: NOT_YOURS,
  },
  {
    name: 'a convention the teacher does not supervise',
    login: 'prof.durand',
    method: 'GET',
    url: (ids) => `/conventions/${ids.sciencesNumber}/history`,
    refused: NOT_YOURS,
  },
  {
    name: 'edit of another centre’s convention',
    login: 'gest.sciences',
    method: 'POST',
    url: (ids) => `/conventions/${ids.droitNumber}/supervisor`,
    fields: () => ({ version: '1', skip: '1' }),
    refused: NOT_YOURS,
  },
  {
    name: 'validation of another centre’s convention',
    login: 'gest.sciences',
    method: 'POST',
    url: (ids) => `/conventions/${ids.droitNumber}/validation/withdraw`,
    fields: () => ({ version: '1', reason: 'Essai' }),
    refused: NOT_YOURS,
  },
  {
    name: 'deletion of a fellow student’s convention',
    login: 'etu.sciences2',
    method: 'POST',
    url: (ids) => `/conventions/${ids.sciencesNumber}/delete`,
    refused: NOT_YOURS,
  },
  {
    name: 'deletion of a fellow student’s draft',
    login: 'etu.sciences2',
    method: 'POST',
    url: (ids) => `/conventions/drafts/${ids.sciencesDraftId}/delete`,
    refused: NOT_YOURS,
  },
  {
    name: 'edit of another student’s draft by another centre',
    login: 'gest.droit',
    method: 'POST',
    url: (ids) => `/conventions/drafts/${ids.sciencesDraftId}/supervisor`,
    fields: () => ({ version: '1', skip: '1' }),
    refused: NOT_YOURS,
  },
  {
    name: 'bulk validation of another centre’s convention',
    login: 'gest.sciences',
    method: 'POST',
    url: () => '/conventions/bulk-validation',
    fields: (ids) => ({ numbers: String(ids.droitNumber) }),
    refused: [200],
  },

  // Amendments
  {
    name: 'another centre’s amendment',
    login: 'gest.sciences',
    method: 'GET',
    url: (ids) => `/conventions/${ids.droitNumber}/amendments/${ids.droitAmendment}`,
    refused: NOT_YOURS,
  },
  {
    name: 'another centre’s amendment in print',
    login: 'gest.sciences',
    method: 'GET',
    url: (ids) => `/conventions/${ids.droitNumber}/amendments/${ids.droitAmendment}/amendment.pdf`,
    refused: NOT_YOURS,
  },
  {
    name: 'another student’s amendment',
    login: 'etu.sciences1',
    method: 'GET',
    url: (ids) => `/conventions/${ids.droitNumber}/amendments/${ids.droitAmendment}`,
    refused: NOT_YOURS,
  },
  {
    name: 'validation of another centre’s amendment',
    login: 'gest.sciences',
    method: 'POST',
    url: (ids) => `/conventions/${ids.droitNumber}/amendments/${ids.droitAmendment}/validate`,
    fields: () => ({ version: '1' }),
    refused: NOT_YOURS,
  },
  {
    name: 'deletion of another centre’s amendment',
    login: 'resp.sciences',
    method: 'POST',
    url: (ids) => `/conventions/${ids.droitNumber}/amendments/${ids.droitAmendment}/delete`,
    fields: () => ({ version: '1' }),
    refused: NOT_YOURS,
  },
  {
    name: 'edit of another student’s amendment',
    login: 'etu.sciences1',
    method: 'POST',
    url: (ids) => `/conventions/${ids.droitNumber}/amendments/${ids.droitAmendment}`,
    fields: () => ({ version: '1', kind: 'changes', reason: 'Détourné', subject: 'Détourné' }),
    refused: NOT_YOURS,
  },
  {
    name: 'an amendment asked on another centre’s convention',
    login: 'gest.sciences',
    method: 'POST',
    url: (ids) => `/conventions/${ids.droitNumber}/amendments/new`,
    fields: () => ({ kind: 'changes', reason: 'Détourné', subject: 'Détourné', confirmed: 'on' }),
    refused: NOT_YOURS,
  },

  // Ids posted in the wizard's forms: another student, another student's enrolment, another host's records
  {
    name: 'a convention started for another centre’s student',
    login: 'gest.sciences',
    method: 'POST',
    url: () => '/conventions/new/student',
    fields: (ids) => ({ ...studentFields(ids.droitEnrolmentId), student_id: String(ids.droitStudentId) }),
    refused: NOT_YOURS,
  },
  {
    name: 'a convention started by a student for another student',
    login: 'etu.sciences2',
    method: 'POST',
    url: () => '/conventions/new/student',
    fields: async (ids, app) => ({ ...studentFields((await enrolmentOf(app.knex, 'etu.sciences1')).id), student_id: String(ids.sciencesStudentId) }),
    refused: NOT_YOURS,
  },
  {
    name: 'a student page pointing at another student’s enrolment',
    login: 'etu.sciences1',
    method: 'POST',
    url: () => '/conventions/new/student',
    fields: (ids) => studentFields(ids.droitEnrolmentId),
    refused: [422],
  },
  {
    name: 'a service of another host',
    login: 'etu.sciences1',
    method: 'POST',
    url: (ids) => `/conventions/${ids.sciencesNumber}/service`,
    fields: async (ids, app) => ({ version: await conventionVersion(app, ids.sciencesNumber), service_id: String(ids.otherHost.serviceId) }),
    refused: [422],
  },
  {
    name: 'a tutor of another host',
    login: 'gest.sciences',
    method: 'POST',
    url: (ids) => `/conventions/${ids.sciencesNumber}/tutor`,
    fields: async (ids, app) => ({ version: await conventionVersion(app, ids.sciencesNumber), contact_id: String(ids.otherHost.contactId) }),
    refused: [422],
  },
  {
    name: 'a signatory of another host',
    login: 'etu.sciences1',
    method: 'POST',
    url: (ids) => `/conventions/drafts/${ids.sciencesDraftId}/signatory`,
    fields: async (ids, app) => ({ version: await draftVersion(app, ids.sciencesDraftId), contact_id: String(ids.otherHost.contactId) }),
    refused: [422],
  },
  {
    name: 'a new signatory in a service of another host',
    login: 'gest.sciences',
    method: 'POST',
    url: (ids) => `/conventions/${ids.sciencesNumber}/signatory/new`,
    fields: async (ids, app) => ({
      version: await conventionVersion(app, ids.sciencesNumber),
      ...contactFields({ service_id: String(ids.otherHost.serviceId) }),
    }),
    refused: [422],
  },
  {
    name: 'a supervisor that does not exist',
    login: 'etu.sciences1',
    method: 'POST',
    url: (ids) => `/conventions/${ids.sciencesNumber}/supervisor`,
    fields: async (ids, app) => ({ version: await conventionVersion(app, ids.sciencesNumber), supervisor_teacher_id: '999999' }),
    refused: [422],
  },

  // Hosts: services and contacts named under another host
  {
    name: 'another host’s service under this host',
    login: 'gest.sciences',
    method: 'GET',
    url: (ids) => `/hosts/${ids.host.id}/services/${ids.otherHost.serviceId}/edit`,
    refused: NOT_YOURS,
  },
  {
    name: 'another host’s contact under this host',
    login: 'gest.sciences',
    method: 'GET',
    url: (ids) => `/hosts/${ids.host.id}/contacts/${ids.otherHost.contactId}/edit`,
    refused: NOT_YOURS,
  },
  {
    name: 'edit of another host’s service under this host',
    login: 'gest.sciences',
    method: 'POST',
    url: (ids) => `/hosts/${ids.host.id}/services/${ids.otherHost.serviceId}/edit`,
    fields: () => ({ version: '1', name: 'Détourné', same_address_as_host: 'on', country_code: 'FR' }),
    refused: NOT_YOURS,
  },
  {
    name: 'deletion of another host’s service under this host',
    login: 'gest.sciences',
    method: 'POST',
    url: (ids) => `/hosts/${ids.host.id}/services/${ids.otherHost.serviceId}/delete`,
    refused: NOT_YOURS,
  },
  {
    name: 'edit of another host’s contact under this host',
    login: 'gest.sciences',
    method: 'POST',
    url: (ids) => `/hosts/${ids.host.id}/contacts/${ids.otherHost.contactId}/edit`,
    fields: (ids) => ({ version: '1', ...contactFields({ service_id: String(ids.host.serviceId) }) }),
    refused: NOT_YOURS,
  },
  {
    name: 'deletion of another host’s contact under this host',
    login: 'gest.sciences',
    method: 'POST',
    url: (ids) => `/hosts/${ids.host.id}/contacts/${ids.otherHost.contactId}/delete`,
    refused: NOT_YOURS,
  },
  {
    name: 'a contact put in another host’s service',
    login: 'gest.sciences',
    method: 'POST',
    url: (ids) => `/hosts/${ids.host.id}/contacts`,
    fields: (ids) => contactFields({ service_id: String(ids.otherHost.serviceId) }),
    refused: [422],
  },
  {
    name: 'a contact moved to another host’s service',
    login: 'gest.sciences',
    method: 'POST',
    url: (ids) => `/hosts/${ids.host.id}/contacts/${ids.host.contactId}/edit`,
    fields: async (ids, app) => ({
      version: String((await app.knex('host_contact').where({ id: ids.host.contactId }).first('version')).version),
      ...contactFields({ service_id: String(ids.otherHost.serviceId) }),
    }),
    refused: [422],
  },

  // Offers of another centre, and ids posted in the offer forms
  { name: 'another centre’s offer', login: 'gest.sciences', method: 'GET', url: (ids) => `/offers/${ids.droitOfferId}`, refused: NOT_YOURS },
  { name: 'another centre’s offer in print', login: 'gest.sciences', method: 'GET', url: (ids) => `/offers/${ids.droitOfferId}/offer.pdf`, refused: NOT_YOURS },
  { name: 'another centre’s offer’s file', login: 'gest.sciences', method: 'GET', url: (ids) => `/offers/${ids.droitOfferId}/file`, refused: NOT_YOURS },
  { name: 'an offer not meant for the student', login: 'etu.droit1', method: 'GET', url: (ids) => `/offers/${ids.sciencesOfferId}`, refused: NOT_YOURS },
  {
    name: 'edit of another centre’s offer',
    login: 'gest.sciences',
    method: 'POST',
    url: (ids) => `/offers/${ids.droitOfferId}/edit/details`,
    fields: () => ({ version: '1', title: 'Détournée', offer_type: 'STAGE', missions: 'x', country_code: 'FR' }),
    refused: NOT_YOURS,
  },
  {
    name: 'publication of another centre’s offer',
    login: 'gest.sciences',
    method: 'POST',
    url: (ids) => `/offers/${ids.droitOfferId}/publish`,
    fields: () => ({ version: '1', months: '2' }),
    refused: NOT_YOURS,
  },
  {
    name: 'deletion of another centre’s offer',
    login: 'gest.sciences',
    method: 'POST',
    url: (ids) => `/offers/${ids.droitOfferId}/state/delete`,
    fields: () => ({ version: '1' }),
    refused: NOT_YOURS,
  },
  {
    name: 'transfer of another centre’s offer',
    login: 'gest.sciences',
    method: 'POST',
    url: (ids) => `/offers/${ids.droitOfferId}/transfer`,
    fields: () => ({ version: '1' }),
    refused: NOT_YOURS,
  },
  {
    name: 'moderation of another centre’s offer',
    login: 'gest.sciences',
    method: 'POST',
    url: (ids) => `/offers/${ids.droitOfferId}/moderated`,
    fields: () => ({ version: '1' }),
    refused: NOT_YOURS,
  },
  {
    name: 'a contact added for another centre’s offer',
    login: 'gest.sciences',
    method: 'GET',
    url: (ids) => `/offers/contacts/new?host=${ids.host.id}&offer=${ids.droitOfferId}`,
    refused: NOT_YOURS,
  },
  {
    name: 'an offer created for another centre',
    login: 'gest.droit',
    method: 'POST',
    url: () => '/offers',
    fields: async (ids, app) => offerFields(app.knex, { centre_id: String(ids.sciencesCentreId) }),
    refused: [422],
    multipart: true,
  },
  {
    name: 'an offer whose contact belongs to another host',
    login: 'gest.sciences',
    method: 'POST',
    url: () => '/offers',
    fields: async (ids, app) => offerFields(app.knex, { application_contact_id: String(ids.otherHost.contactId) }),
    refused: [422],
    multipart: true,
  },
  {
    name: 'an offer published to a centre that does not exist',
    login: 'gest.sciences',
    method: 'POST',
    url: () => '/offers',
    fields: async (_ids, app) => offerFields(app.knex, { publish_now: 'on', months: '2', targets: '999999' }),
    refused: [422],
    multipart: true,
  },
  {
    name: 'an offer’s centre changed to another centre',
    login: 'gest.sciences',
    method: 'POST',
    url: (ids) => `/offers/${ids.sciencesOfferId}/edit/centre`,
    fields: async (ids, app) => ({
      version: String((await app.knex('offer').where({ id: ids.sciencesOfferId }).first('version')).version),
      centre_id: String(ids.droitCentreId),
    }),
    refused: [422, 403],
  },
  {
    name: 'a deposit link for a centre that is not the company centre',
    login: 'agent.stages',
    method: 'POST',
    url: () => '/offers/deposit-link',
    fields: (ids) => ({ centre_id: String(ids.sciencesCentreId) }),
    refused: [403, 404],
  },

  // Centres: another centre, and criteria and members named under this one
  { name: 'another centre', login: 'resp.sciences', method: 'GET', url: (ids) => `/centres/${ids.droitCentreId}`, refused: FORBIDDEN },
  { name: 'another centre’s members', login: 'resp.sciences', method: 'GET', url: (ids) => `/centres/${ids.droitCentreId}/members`, refused: FORBIDDEN },
  { name: 'another centre’s logo', login: 'resp.sciences', method: 'GET', url: (ids) => `/centres/${ids.droitCentreId}/logo`, refused: FORBIDDEN },
  { name: 'another centre’s deletion page', login: 'resp.sciences', method: 'GET', url: (ids) => `/centres/${ids.droitCentreId}/delete`, refused: FORBIDDEN },
  {
    name: 'settings of another centre',
    login: 'resp.sciences',
    method: 'POST',
    url: (ids) => `/centres/${ids.droitCentreId}`,
    fields: () => ({ version: '1', name: 'Détourné' }),
    refused: FORBIDDEN,
  },
  {
    name: 'a criterion added to another centre',
    login: 'resp.sciences',
    method: 'POST',
    url: (ids) => `/centres/${ids.droitCentreId}/criteria`,
    fields: () => ({ kind: 'faculty', faculty_code: 'LLSH' }),
    refused: FORBIDDEN,
  },
  {
    name: 'another centre’s criterion removed through this centre',
    login: 'resp.sciences',
    method: 'POST',
    url: (ids) => `/centres/${ids.sciencesCentreId}/criteria/${ids.droitCriterionId}/delete`,
    refused: NOT_YOURS,
  },
  {
    name: 'another centre’s member changed through this centre',
    login: 'resp.sciences',
    method: 'POST',
    url: (ids) => `/centres/${ids.sciencesCentreId}/members/${ids.droitMemberId}`,
    fields: () => ({ access_right: 'READ' }),
    refused: NOT_YOURS,
  },
  {
    name: 'another centre’s member detached through this centre',
    login: 'resp.sciences',
    method: 'POST',
    url: (ids) => `/centres/${ids.sciencesCentreId}/members/${ids.droitMemberId}/delete`,
    refused: NOT_YOURS,
  },
  {
    name: 'a member attached to another centre',
    login: 'resp.sciences',
    method: 'POST',
    url: (ids) => `/centres/${ids.droitCentreId}/members`,
    fields: async (_ids, app) => ({ staff_id: String((await app.knex('staff').where({ login: 'agent.stages' }).first('id')).id), access_right: 'ADMIN' }),
    refused: FORBIDDEN,
  },
  {
    name: 'a logo removed from another centre',
    login: 'resp.sciences',
    method: 'POST',
    url: (ids) => `/centres/${ids.droitCentreId}/logo/delete`,
    refused: FORBIDDEN,
  },
  { name: 'another centre deleted', login: 'resp.sciences', method: 'POST', url: (ids) => `/centres/${ids.droitCentreId}/delete`, refused: FORBIDDEN },

  // Statistics: centres in the query string
  {
    name: 'statistics of another centre',
    login: 'gest.sciences',
    method: 'GET',
    url: (ids) => `/statistics?centre=${ids.droitCentreId}`,
    refused: [400],
    says: /centre/i,
  },
  {
    name: 'statistics of another centre among one’s own',
    login: 'gest.sciences',
    method: 'GET',
    url: (ids) => `/statistics?centre=${ids.sciencesCentreId}&centre=${ids.droitCentreId}`,
    refused: [400],
  },
  {
    name: 'statistics workbook of another centre',
    login: 'gest.sciences',
    method: 'GET',
    url: (ids) => `/statistics/export.xlsx?centre=${ids.droitCentreId}`,
    refused: [400],
  },
];

const conventionVersion = async (app: TestApp, number: number) => String((await app.knex('convention').where({ number }).first('version')).version);
const draftVersion = async (app: TestApp, id: number) => String((await app.knex('convention').where({ id }).first('version')).version);

describe('foreign identifiers', () => {
  let app: TestApp;
  let ids: Ids;
  const sessions = new Map<string, { agent: TestAgent; token: string }>();

  async function session(login: string) {
    let found = sessions.get(login);
    if (!found) {
      const agent = await app.signIn(login);
      found = { agent, token: await csrfTokenFrom(agent, '/') };
      sessions.set(login, found);
    }
    return found;
  }

  beforeAll(async () => {
    app = await startTestApp();
    const { knex } = app;
    const studentOf = async (login: string) => (await knex('student').where({ login }).first('id')).id as number;
    const [sciencesStudentId, droitStudentId] = await Promise.all([studentOf('etu.sciences1'), studentOf('etu.droit1')]);
    const submitted = await knex('convention').where({ student_id: sciencesStudentId, status: 'submitted' }).first('number');
    const draft = await knex('convention').where({ student_id: sciencesStudentId, status: 'draft' }).first('id');
    const droit = await knex('convention').where({ student_id: droitStudentId, status: 'validated' }).first('number', 'centre_id');
    const hostOf = async (name: string) => {
      const row = await knex('host_contact as k')
        .join('host as h', 'h.id', 'k.host_id')
        .where('h.name', name)
        .orderBy('k.id')
        .first('k.host_id', 'k.service_id', 'k.id');
      return { id: row.host_id as number, serviceId: row.service_id as number, contactId: row.id as number };
    };
    const centreOf = async (where: Record<string, string>) => (await knex('centre').where(where).first('id')).id as number;
    const sciencesCentreId = await centreOf({ name: 'UFR Sciences et techniques' });

    // An amendment of the Droit convention, asked by its centre.
    const gestDroit = await session('gest.droit');
    const created = await gestDroit.agent
      .post(`/conventions/${droit.number}/amendments/new`)
      .type('form')
      .send({ _csrf: gestDroit.token, kind: 'changes', reason: 'Changement de sujet.', subject: 'Nouveau sujet', confirmed: 'on' });
    expect(created.status, created.text.slice(0, 500)).toBe(302);

    // A Sciences offer published to Sciences only: no business of a Droit student.
    const gestSciences = await session('gest.sciences');
    const offer = await postOffer(gestSciences.agent, knex, await offerFields(knex, { title: 'Offre réservée aux Sciences' }));
    expect(offer.status, offer.text.slice(0, 500)).toBe(302);
    const sciencesOfferId = Number(String(offer.headers.location).split('/').pop());

    ids = {
      sciencesNumber: submitted.number,
      sciencesDraftId: draft.id,
      droitNumber: droit.number,
      droitAmendment: 1,
      sciencesCentreId,
      droitCentreId: droit.centre_id,
      droitCriterionId: (await knex('centre_criterion').where({ centre_id: droit.centre_id }).first('id')).id,
      droitMemberId: (await knex('centre_member').where({ centre_id: droit.centre_id }).first('id')).id,
      companyCentreId: await centreOf({ level: 'ENTREPRISE' }),
      host: await hostOf('Logiciels Atlantique'),
      otherHost: await hostOf('Laboratoire Océan Bleu'),
      droitOfferId: (await knex('offer').where({ centre_id: droit.centre_id }).first('id')).id,
      sciencesOfferId,
      droitStudentId,
      droitEnrolmentId: (await enrolmentOf(knex, 'etu.droit1')).id,
      sciencesStudentId,
    };
  });
  afterAll(() => app.close());

  for (const testCase of CASES) {
    it(`${testCase.name} (${testCase.login}, ${testCase.method})`, async () => {
      const { agent, token } = await session(testCase.login);
      const url = testCase.url(ids);
      const before = await fingerprint(app.knex);
      let response: Response;
      if (testCase.method === 'GET') {
        response = await agent.get(url);
      } else {
        const fields = { ...(await testCase.fields?.(ids, app)), _csrf: token };
        if (testCase.multipart) {
          const request = agent.post(url);
          for (const [name, value] of Object.entries(fields)) for (const item of [value].flat()) request.field(name, item);
          response = await request;
        } else {
          response = await agent.post(url).type('form').send(fields);
        }
      }
      expect(
        testCase.refused,
        `${testCase.method} ${url}: ${response.status} ${response.text
          .replace(/<[^>]+>/g, ' ')
          .replace(/\s+/g, ' ')
          .slice(0, 400)}`,
      ).toContain(response.status);
      if (testCase.says) expect(response.text).toMatch(testCase.says);
      const after = await fingerprint(app.knex);
      expect(
        Object.keys(before).filter((table) => before[table] !== after[table]),
        `${testCase.method} ${url} changed the database`,
      ).toEqual([]);
    });
  }

  it('leaves another centre’s conventions out of lists and exports, whatever the number asked', async () => {
    const { agent } = await session('gest.sciences');
    const list = await agent.get(`/conventions?number=${ids.droitNumber}`).expect(200);
    expect(list.text).not.toContain(`href="/conventions/${ids.droitNumber}"`);
    const csv = await agent.get(`/conventions/export.csv?number=${ids.droitNumber}&columns=number,status`).expect(200);
    const lines = csv.text.trim().split(/\r?\n/);
    expect(lines).toHaveLength(1);
  });
});
