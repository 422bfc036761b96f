import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type TestAgent from 'supertest/lib/agent.js';
import { csrfTokenFrom, startTestApp, type TestApp } from '../support/test-app.ts';
import { completeWizard, enrolmentOf, internshipFields, postStep } from '../conventions/support.ts';
import { withLocale } from '../../src/i18n/index.ts';
import { amendmentFormSchema } from '../../src/conventions/amendments/schemas.ts';
import { attachMemberSchema } from '../../src/centres/schemas.ts';

/**
 * The messages the code composes — legal checks of the internship step, search criteria of
 * /conventions, public holidays — in the language of the reader, and unchanged in French.
 */
let app: TestApp;
beforeAll(async () => {
  app = await startTestApp();
});
afterAll(() => app.close());

async function inEnglish(login: string): Promise<TestAgent> {
  const agent = await app.signIn(login);
  const token = await csrfTokenFrom(agent, '/');
  await agent.post('/language').type('form').send({ _csrf: token, lang: 'en', returnTo: '/' }).expect(303);
  return agent;
}

/** A draft entered by staff for etu.sciences2 up to the internship step: 39 h a week in spring 2027 (gratification owed). */
async function draftWithWarnings(agent: TestAgent): Promise<string> {
  const { studentId } = await enrolmentOf(app.knex, 'etu.sciences2');
  const { base } = await completeWizard(agent, app.knex, { login: 'etu.sciences2', studentId, internship: { hours_per_week: '39' } });
  return base;
}

describe('legal checks of the internship step', () => {
  it('are worded in English, with English numbers, for an English-speaking member of staff', async () => {
    const agent = await inEnglish('gest.sciences');
    const base = await draftWithWarnings(agent);

    const confirm = await agent.get(`${base}/internship/confirm`).expect(200);
    expect(confirm.text).toContain(
      'The weekly hours of presence (39\u00a0h) exceed the legal working week of 35\u00a0h: check that they match the working hours of the host’s employees.',
    );
    expect(confirm.text).toContain('The minimum hourly rate for 2027 is not recorded yet: that of the latest known year is applied.');
    expect(confirm.text).toContain('Easter Monday (29/03/2027)');
    expect(confirm.text).not.toContain('dépasse la durée légale');
    expect(confirm.text).not.toContain('Lundi de Pâques');
    expect((await agent.get(`${base}/summary`).expect(200)).text).toContain('exceed the legal working week of 35\u00a0h');

    const below = await postStep(agent, base, 'internship', internshipFields({ hours_per_week: '39', gratification_amount: '4.00' }));
    expect(below.status).toBe(422);
    expect(below.text).toContain('The planned gratification (€4.00 per hour) is below the legal minimum of €4.50 per hour.');
    const tooLong = await postStep(agent, base, 'internship', internshipFields({ hours_per_week: '49' }));
    expect(tooLong.status).toBe(422);
    expect(tooLong.text).toContain('The weekly hours of presence (49\u00a0h) exceed the authorised maximum of 48\u00a0h.');
    expect(tooLong.text).not.toContain('dépasse le maximum autorisé');
  });

  it('stay in French, worded as before, for a French-speaking member of staff', async () => {
    const agent = await app.signIn('resp.sciences');
    const base = await draftWithWarnings(agent);

    const confirm = await agent.get(`${base}/internship/confirm`).expect(200);
    expect(confirm.text).toContain(
      'La durée hebdomadaire de présence (39\u00a0h) dépasse la durée légale de 35\u00a0h : vérifiez qu’elle correspond à l’horaire des salariés de l’organisme.',
    );
    expect(confirm.text).toContain('Lundi de Pâques (29/03/2027)');
    expect(confirm.text).not.toContain('legal working week');

    const below = await postStep(agent, base, 'internship', internshipFields({ hours_per_week: '39', gratification_amount: '4.00' }));
    expect(below.status).toBe(422);
    expect(below.text).toContain('La gratification prévue (4,00\u00a0€ par heure) est inférieure au minimum légal de 4,50\u00a0€ par heure.');
  });
});

describe('search criteria of /conventions', () => {
  it('are refused with an English message for an English reader and a French one otherwise', async () => {
    const english = await inEnglish('lect.sciences');
    const french = await app.signIn('gest.droit');
    const query = '/conventions?number=12x&academicYear=2026-2028&from=2027-03-01&to=2027-02-01';
    const [inEnglishPage, inFrenchPage] = await Promise.all([english.get(query), french.get(query)]);
    expect(inEnglishPage.status).toBe(400);
    expect(inEnglishPage.text).toContain('A convention number contains only digits.');
    expect(inEnglishPage.text).toContain('Academic year in the form 2026-2027.');
    expect(inEnglishPage.text).toContain('The end date of the period is before its start date.');
    expect(inEnglishPage.text).not.toContain('ne contient que des chiffres');
    expect(inFrenchPage.status).toBe(400);
    expect(inFrenchPage.text).toContain('Un numéro de convention ne contient que des chiffres.');
    expect(inFrenchPage.text).toContain('Année universitaire au format 2026-2027.');
    expect(inFrenchPage.text).toContain('La date de fin de la période précède sa date de début.');
  });
});

describe('messages of schemas built at start-up', () => {
  const firstMessage = (result: { success: boolean; error?: { issues: { message: string }[] } }) => result.error?.issues[0]?.message;

  it('answer in the language of the request that fails them', () => {
    const amendment = () => firstMessage(amendmentFormSchema.safeParse({ kind: 'other', reason: 'Motif' }));
    expect(withLocale('en', amendment)).toBe('Choose the kind of amendment: termination or changes.');
    expect(withLocale('fr', amendment)).toBe('Choisissez le type d’avenant : résiliation ou modifications.');
    const member = () => firstMessage(attachMemberSchema.safeParse({ access_right: 'READ', staff_id: 'x' }));
    expect(withLocale('en', member)).toBe('Choose a person from the search results.');
    expect(withLocale('fr', member)).toBe('Choisissez une personne parmi les résultats de la recherche.');
  });
});
