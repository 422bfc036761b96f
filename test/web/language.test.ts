import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type TestAgent from 'supertest/lib/agent.js';
import { csrfTokenFrom, PUBLIC_BASE_URL, startTestApp, type TestApp } from '../support/test-app.ts';

/**
 * The interface in English (production readiness): the switch of the page header, remembered for a
 * signed-in person and by a cookie for a visitor, the browser's languages otherwise, and every message
 * of a page — labels, zod errors, flash messages — in the chosen language.
 */
let app: TestApp;
beforeAll(async () => {
  app = await startTestApp();
});
afterAll(() => app.close());

const htmlLang = (html: string) => /<html lang="(\w+)">/.exec(html)?.[1];
const sessionCount = async () => Number((await app.knex('session').count({ n: '*' }).first())!.n);

async function switchTo(agent: TestAgent, lang: 'en' | 'fr', returnTo = '/') {
  const token = await csrfTokenFrom(agent, '/');
  return agent.post('/language').type('form').send({ _csrf: token, lang, returnTo });
}

describe('language of a visitor', () => {
  it('is French without any other indication', async () => {
    const page = await app.anonymous().get('/').expect(200);
    expect(htmlLang(page.text)).toBe('fr');
    expect(page.text).toContain('Bienvenue sur Conventio');
  });

  it('follows the browser’s languages', async () => {
    const english = await app.anonymous().get('/').set('Accept-Language', 'en-GB,en;q=0.9,fr;q=0.5').expect(200);
    expect(htmlLang(english.text)).toBe('en');
    expect(english.text).toContain('Welcome to Conventio');
    const frenchFirst = await app.anonymous().get('/').set('Accept-Language', 'fr-FR,fr;q=0.9,en;q=0.8').expect(200);
    expect(htmlLang(frenchFirst.text)).toBe('fr');
    const unknown = await app.anonymous().get('/').set('Accept-Language', 'de-DE').expect(200);
    expect(htmlLang(unknown.text)).toBe('fr');
  });

  it('is switched from the page header, kept in a cookie, without storing a session', async () => {
    const before = await sessionCount();
    const agent = app.anonymous();
    const home = await agent.get('/').expect(200);
    expect(home.text).toMatch(/<button type="submit" name="lang" value="en" lang="en"[^>]*aria-pressed="false">English<\/button>/);
    expect(home.text).toMatch(/<button type="submit" name="lang" value="fr" lang="fr"[^>]*aria-pressed="true">Français<\/button>/);

    const switched = await agent.post('/language').set('Origin', PUBLIC_BASE_URL).type('form').send({ lang: 'en', returnTo: '/help' }).expect(303);
    expect(switched.headers.location).toBe('/help');
    expect(String(switched.headers['set-cookie'])).toMatch(/^lang=en;.*HttpOnly/);
    const help = await agent.get('/help').set('Accept-Language', 'fr-FR').expect(200);
    expect(htmlLang(help.text)).toBe('en');
    expect(help.text).toContain('You are a student');
    expect(help.text).toMatch(/value="en" lang="en"[^>]*aria-pressed="true"/);
    expect(await sessionCount()).toBe(before);

    await agent.post('/language').set('Origin', PUBLIC_BASE_URL).type('form').send({ lang: 'fr', returnTo: '/help' }).expect(303);
    expect((await agent.get('/help').expect(200)).text).toContain('Vous êtes étudiant');
  });

  it('refuses a switch posted from another site or without an origin', async () => {
    await app.anonymous().post('/language').set('Origin', 'https://evil.example').type('form').send({ lang: 'en' }).expect(403);
    await app.anonymous().post('/language').type('form').send({ lang: 'en' }).expect(403);
  });

  it('refuses an unknown language', async () => {
    await app.anonymous().post('/language').set('Origin', PUBLIC_BASE_URL).type('form').send({ lang: 'de' }).expect(400);
  });

  it('goes back only to a page of this site', async () => {
    for (const returnTo of ['https://evil.example/', '//evil.example/', '/\\evil.example', 'javascript:alert(1)']) {
      const answer = await app.anonymous().post('/language').set('Origin', PUBLIC_BASE_URL).type('form').send({ lang: 'en', returnTo }).expect(303);
      expect(answer.headers.location).toBe('/');
    }
    const search = await app
      .anonymous()
      .post('/language')
      .set('Origin', PUBLIC_BASE_URL)
      .type('form')
      .send({ lang: 'en', returnTo: '/offers?title=java' })
      .expect(303);
    expect(search.headers.location).toBe('/offers?title=java');
  });
});

describe('language of a signed-in person', () => {
  it('needs the CSRF token of the session', async () => {
    const agent = await app.signIn('lect.sciences');
    await agent.post('/language').set('Origin', PUBLIC_BASE_URL).type('form').send({ lang: 'en' }).expect(403);
    expect(htmlLang((await agent.get('/').expect(200)).text)).toBe('fr');
  });

  it('is saved for the person and found again at the next sign-in, whatever the browser says', async () => {
    const first = await app.signIn('etu.sciences1');
    const switched = await switchTo(first, 'en', '/conventions');
    expect(switched.status).toBe(303);
    expect(switched.headers.location).toBe('/conventions');
    const list = await first.get('/conventions').expect(200);
    expect(htmlLang(list.text)).toBe('en');
    expect(list.text).toContain('Your internship conventions, including the drafts being entered.');
    expect(list.text).toContain('Sign out');

    // Another browser, no cookie, French first: the saved choice wins.
    const again = await app.signIn('etu.sciences1');
    const home = await again.get('/').set('Accept-Language', 'fr-FR').expect(200);
    expect(htmlLang(home.text)).toBe('en');
    expect(home.text).toContain('My enrolments');

    // It is this person's choice, not everybody's.
    const other = await app.signIn('etu.sciences2');
    expect(htmlLang((await other.get('/').expect(200)).text)).toBe('fr');

    // And back to French, saved too.
    await switchTo(again, 'fr');
    const third = await app.signIn('etu.sciences1');
    expect((await third.get('/').set('Accept-Language', 'en').expect(200)).text).toContain('Mes inscriptions');
  });
});

describe('messages of forms and services in English', () => {
  it('gives zod messages of a schema built at start-up in the language of each request', async () => {
    const english = await app.signIn('gest.sciences');
    await switchTo(english, 'en');
    const french = await app.signIn('gest.droit');
    const [inEnglish, inFrench] = await Promise.all([english.get('/hosts?siret=12ab'), french.get('/hosts?siret=12ab')]);
    expect(inEnglish.status).toBeGreaterThanOrEqual(400);
    expect(inEnglish.text).toContain('The SIRET searched for contains only digits (14 at most).');
    expect(inEnglish.text).not.toContain('Le SIRET recherché');
    expect(inFrench.text).toContain('Le SIRET recherché ne contient que des chiffres (14 au plus).');
  });

  it('shows the errors of the wizard’s student step in English, next to the fields, input kept', async () => {
    const agent = await app.signIn('etu.sciences2');
    await switchTo(agent, 'en');
    const token = await csrfTokenFrom(agent, '/conventions/new/student');
    const page = await agent.post('/conventions/new/student').type('form').send({
      _csrf: token,
      enrolment_id: '',
      student_address: '1 rue des Écoles',
      student_postal_code: '75005',
      student_town: 'Paris',
      student_country: 'FR',
      student_personal_email: 'not-an-address',
    });
    expect(page.status).toBe(422);
    expect(htmlLang(page.text)).toBe('en');
    expect(page.text).toContain('The form has');
    expect(page.text).toContain('Choose the enrolment the internship belongs to.');
    expect(page.text).toContain('Invalid e-mail address (example: first.last@example.com).');
    expect(page.text).toContain('This field is required.');
    expect(page.text).toMatch(/<textarea id="field-student_address"[^>]*>1 rue des Écoles<\/textarea>/);
    expect(page.text).not.toContain('Ce champ est obligatoire');
  });

  it('sends error pages in the chosen language', async () => {
    const agent = await app.signIn('etu.sciences1');
    await switchTo(agent, 'en');
    const missing = await agent.get('/nowhere').expect(404);
    expect(missing.text).toContain('Page not found');
    const forbidden = await agent.get('/centres/new');
    expect(forbidden.status).toBe(403);
    expect(forbidden.text).toContain('You do not have the rights needed');
  });
});

/** Words of the French interface that no English page may show (the data, names of places and people, stay as they are). */
const FRENCH_WORDS = [
  'Accueil',
  'Rechercher',
  'Enregistrer',
  'Se déconnecter',
  'Besoin d’aide',
  'Aucun',
  'Aucune',
  'Retour',
  'Nouvelle',
  'Nouvel',
  'obligatoire',
  'Modifier',
  'Étudiant',
  'Établissement',
  'Centres de gestion',
  'Année universitaire',
  'Mes ',
  'Offres',
  'Statistiques',
  'Étape',
  'Réinitialiser',
  'Annuler',
  'Créer',
  'Valider',
  'Page suivante',
  'résultat',
  'Bienvenue',
  'Télécharger',
];

function frenchWordsIn(html: string): string[] {
  // What a person reads: text and the attributes a screen reader announces, not the data of the demo (names, hosts, labels of reference lists).
  const visible = html
    .replace(/<script[\s\S]*?<\/script>/g, '')
    .replace(/<option\b[^>]*>[^<]*<\/option>/g, '')
    .replace(/<(?:td|dd)\b[^>]*>[\s\S]*?<\/(?:td|dd)>/g, '');
  return FRENCH_WORDS.filter((word) => visible.includes(word));
}

describe('main pages in English', () => {
  it.each([
    ['etu.sciences1', ['/', '/conventions', '/conventions/new', '/conventions/new/student', '/offers', '/help']],
    ['gest.sciences', ['/', '/conventions', '/hosts', '/hosts/new', '/offers', '/offers/new', '/statistics', '/centres']],
    ['admin', ['/', '/admin', '/centres', '/admin/imports']],
  ] as const)('leave no French word of the interface for %s', async (login, paths) => {
    const agent = await app.signIn(login);
    await switchTo(agent, 'en');
    for (const path of paths) {
      const page = await agent.get(path);
      expect(page.status, path).toBe(200);
      expect(htmlLang(page.text), path).toBe('en');
      expect(frenchWordsIn(page.text), path).toEqual([]);
    }
  });
});
