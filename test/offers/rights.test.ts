import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { csrfTokenFrom, startTestApp, type TestApp } from '../support/test-app.ts';
import { createOffer } from './support.ts';

/**
 * The authorisation matrix of the offer pages on an offer of Sciences that is saved, not
 * published: every route × every kind of actor. Out of scope is 404, so that the offer's existence
 * does not leak; a page of the wrong role is 403; anonymous people are sent to sign in.
 */
const ACTORS = ['anonymous', 'etu.sciences1', 'prof.martin', 'lect.sciences', 'gest.sciences', 'resp.sciences', 'gest.droit', 'admin'] as const;

const EXPECTED: Record<string, Record<(typeof ACTORS)[number], number>> = {
  '/offers': {
    anonymous: 302,
    'etu.sciences1': 200,
    'prof.martin': 403,
    'lect.sciences': 200,
    'gest.sciences': 200,
    'resp.sciences': 200,
    'gest.droit': 200,
    admin: 200,
  },
  '/offers/new': {
    anonymous: 302,
    'etu.sciences1': 403,
    'prof.martin': 403,
    'lect.sciences': 403,
    'gest.sciences': 200,
    'resp.sciences': 200,
    'gest.droit': 200,
    admin: 200,
  },
  '/offers/:id': {
    anonymous: 302,
    'etu.sciences1': 404,
    'prof.martin': 403,
    'lect.sciences': 200,
    'gest.sciences': 200,
    'resp.sciences': 200,
    'gest.droit': 404,
    admin: 200,
  },
  '/offers/:id/offer.pdf': {
    anonymous: 302,
    'etu.sciences1': 404,
    'prof.martin': 403,
    'lect.sciences': 200,
    'gest.sciences': 200,
    'resp.sciences': 200,
    'gest.droit': 404,
    admin: 200,
  },
  '/offers/:id/edit/details': {
    anonymous: 302,
    'etu.sciences1': 404,
    'prof.martin': 403,
    'lect.sciences': 403,
    'gest.sciences': 200,
    'resp.sciences': 200,
    'gest.droit': 404,
    admin: 200,
  },
  '/offers/:id/transfer': {
    anonymous: 302,
    'etu.sciences1': 404,
    'prof.martin': 403,
    'lect.sciences': 403,
    'gest.sciences': 200,
    'resp.sciences': 200,
    'gest.droit': 404,
    admin: 200,
  },
};

describe('offer rights', () => {
  let app: TestApp;
  let offerId: number;
  beforeAll(async () => {
    app = await startTestApp();
    offerId = await createOffer(await app.signIn('gest.sciences'), app.knex);
  });
  afterAll(() => app.close());

  for (const actor of ACTORS) {
    it(`answers ${actor} as the matrix says`, async () => {
      const agent = actor === 'anonymous' ? app.anonymous() : await app.signIn(actor);
      for (const [route, expected] of Object.entries(EXPECTED)) {
        const response = await agent.get(route.replace(':id', String(offerId)));
        expect(response.status, `${actor} GET ${route}`).toBe(expected[actor]);
      }
    });
  }

  it('refuses every change to those who may not manage the offer, and changes nothing', async () => {
    for (const [login, status] of [
      ['etu.sciences1', 404],
      ['prof.martin', 403],
      ['lect.sciences', 403],
      ['gest.droit', 404],
    ] as const) {
      const agent = await app.signIn(login);
      const token = await csrfTokenFrom(agent, '/');
      for (const path of ['state/fill', 'state/delete', 'publish', 'transfer', 'edit/details']) {
        const response = await agent
          .post(`/offers/${offerId}/${path}`)
          .type('form')
          .send({ _csrf: token, version: '1', months: '2', title: 'Piratée', offer_type: 'STAGE', missions: 'x', country_code: 'FR' });
        expect(response.status, `${login} POST ${path}`).toBe(status);
      }
    }
    expect(await app.knex('offer').where({ id: offerId }).first('state', 'title', 'version')).toEqual({
      state: 'saved',
      title: 'Développeur web stagiaire',
      version: 1,
    });
  });
});
