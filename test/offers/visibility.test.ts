import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fetchPdf } from '../documents/support.ts';
import { startTestApp, type TestApp } from '../support/test-app.ts';
import { centreId, createOffer, DROIT, offerAction } from './support.ts';

/**
 * Publication scope: students see the running offers targeted at their centres and at the
 * ETABLISSEMENT centre; any other offer answers 404, also by direct address, so its existence does not leak.
 */
describe('who sees which offer', () => {
  let app: TestApp;
  let published: number;
  let saved: number;
  beforeAll(async () => {
    app = await startTestApp();
    const staff = await app.signIn('gest.sciences');
    published = await createOffer(staff, app.knex, {
      title: 'Analyste juridique et données',
      publish_now: 'on',
      months: '2',
      targets: [String(await centreId(app.knex, DROIT))],
    });
    saved = await createOffer(staff, app.knex, { title: 'Offre seulement enregistrée' });
  });
  afterAll(() => app.close());

  it('shows a published offer to the students of the targeted centres', async () => {
    for (const login of ['etu.sciences1', 'etu.droit1']) {
      const student = await app.signIn(login);
      const list = await student.get('/offers').expect(200);
      expect(list.text, login).toContain(`href="/offers/${published}"`);
      expect(list.text).not.toContain(`href="/offers/${saved}"`);
      const page = await student.get(`/offers/${published}`).expect(200);
      expect(page.text).toContain('Logiciels Atlantique');
      expect(page.text).not.toContain('Créée le');
    }
  });

  it('answers 404 to students of a centre not targeted, in the list and by direct address', async () => {
    for (const login of ['etu.iut1', 'etu.lettres1']) {
      const student = await app.signIn(login);
      const list = await student.get('/offers').expect(200);
      expect(list.text, login).not.toContain(`href="/offers/${published}"`);
      await student.get(`/offers/${published}`).expect(404);
      await student.get(`/offers/${published}/offer.pdf`).expect(404);
      await student.get(`/offers/${saved}`).expect(404);
    }
  });

  it('reaches every student when published to the ETABLISSEMENT centre', async () => {
    const staff = await app.signIn('gest.sciences');
    const institution = (await app.knex('centre').where({ level: 'ETABLISSEMENT' }).first('id')).id as number;
    const id = await createOffer(staff, app.knex, { title: 'Offre pour tout l’établissement', publish_now: 'on', months: '1', targets: [String(institution)] });
    const student = await app.signIn('etu.lettres1');
    await student.get(`/offers/${id}`).expect(200);
  });

  it('hides the host and its contacts from students when the offer says so', async () => {
    const staff = await app.signIn('gest.sciences');
    const id = await createOffer(staff, app.knex, { title: 'Offre discrète', host_shown: '', publish_now: 'on', months: '1', all_centres: 'on' });
    const student = await app.signIn('etu.sciences1');
    const page = await student.get(`/offers/${id}`).expect(200);
    expect(page.text).not.toContain('Logiciels Atlantique');
    expect(page.text).toContain('ne souhaite pas que son nom');
    const list = await student.get('/offers?title=discr').expect(200);
    expect(list.text).toContain('Structure non communiquée');
    expect((await staff.get(`/offers/${id}`).expect(200)).text).toContain('Logiciels Atlantique');
  });

  it('takes a filled offer away from students', async () => {
    const staff = await app.signIn('gest.sciences');
    const id = await createOffer(staff, app.knex, { title: 'Offre bientôt pourvue', publish_now: 'on', months: '2', all_centres: 'on' });
    const student = await app.signIn('etu.droit1');
    await student.get(`/offers/${id}`).expect(200);
    expect((await offerAction(staff, app.knex, id, `/offers/${id}/state/fill`)).status).toBe(302);
    await student.get(`/offers/${id}`).expect(404);
    expect((await student.get('/offers').expect(200)).text).not.toContain(`href="/offers/${id}"`);
  });

  it('keeps staff of other centres to the offers published to them', async () => {
    const droit = await app.signIn('gest.droit');
    await droit.get(`/offers/${published}`).expect(200);
    await droit.get(`/offers/${saved}`).expect(404);
    const iut = await app.signIn('gest.iut');
    await iut.get(`/offers/${published}`).expect(404);
    const teacher = await app.signIn('prof.martin');
    await teacher.get('/offers').expect(403);
  });

  it('prints the offer as a PDF for a student of a targeted centre', async () => {
    const student = await app.signIn('etu.droit1');
    const pdf = await fetchPdf(student, `/offers/${published}/offer.pdf`);
    expect(pdf.status).toBe(200);
    expect(pdf.headers['content-type']).toBe('application/pdf');
    const text = pdf.text;
    expect(text).toContain('Analyste juridique et données');
    expect(text).toContain('Logiciels Atlantique');
  });
});
