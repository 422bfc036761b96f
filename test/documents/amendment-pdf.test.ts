import type TestAgent from 'supertest/lib/agent.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { documentTexts } from '../../src/documents/texts.ts';
import { addDays, formatFrenchDate } from '../../src/rules/calendar.ts';
import { csrfTokenFrom, startTestApp, type TestApp } from '../support/test-app.ts';
import { fetchPdf, normalise } from './support.ts';

/**
 * amendment.pdf (French only), read back with pdf-parse: previous and new values, reason,
 * termination date and comment, the three parties' signature blocks, the centre's copies each marked,
 * page n / N, print date, no "undefined"/"null"; the rights of the convention's PDF, the amendment existing.
 * Subject: the demo's validated convention of etu.droit1 (UFR Droit: students print once validated).
 */
const ACTORS = ['anonymous', 'etu.droit1', 'etu.sciences1', 'prof.durand', 'prof.martin', 'gest.droit', 'gest.sciences', 'admin'] as const;
type ActorName = (typeof ACTORS)[number];
const labels = documentTexts().convention.fr.labels;
const texts = documentTexts().amendment;

describe('amendment.pdf', () => {
  let app: TestApp;
  const agents = new Map<ActorName, TestAgent>();
  let convention: {
    id: number;
    number: number;
    start_date: string;
    end_date: string;
    centre_id: number;
    student_first_name: string;
    student_last_name: string;
  };
  let newEnd: string;
  let terminationDate: string;

  beforeAll(async () => {
    app = await startTestApp();
    for (const actor of ACTORS) agents.set(actor, actor === 'anonymous' ? app.anonymous() : await app.signIn(actor));
    convention = await app
      .knex('convention as c')
      .join('student as s', 's.id', 'c.student_id')
      .where({ 's.login': 'etu.droit1', 'c.status': 'validated' })
      .first('c.id', 'c.number', 'c.start_date', 'c.end_date', 'c.centre_id', 's.first_name as student_first_name', 's.last_name as student_last_name');
    const staff = agents.get('gest.droit')!;
    const send = async (fields: Record<string, string>) =>
      staff
        .post(`/conventions/${convention.number}/amendments/new`)
        .type('form')
        .send({ _csrf: await csrfTokenFrom(staff, '/'), confirmed: 'on', ...fields });
    // 1: new dates, validated at once; 2: a termination, submitted.
    newEnd = addDays(convention.end_date, 7);
    expect(
      (
        await send({
          kind: 'changes',
          reason: 'Prolongation demandée par l’organisme.',
          change_dates: 'on',
          start_date: convention.start_date,
          end_date: newEnd,
          validate_now: 'on',
        })
      ).status,
    ).toBe(302);
    terminationDate = addDays(convention.start_date, 20);
    expect(
      (
        await send({
          kind: 'termination',
          reason: 'Rupture à l’initiative du stagiaire.',
          termination_date: terminationDate,
          termination_comment: 'Accord des trois parties.',
        })
      ).status,
    ).toBe(302);
  });
  afterAll(async () => {
    await app?.close();
  });

  const path = (n: number | string) => `/conventions/${convention.number}/amendments/${n}/amendment.pdf`;

  it('prints the changed dates, before and after, the reason, the signature blocks, three marked copies, page n / N', async () => {
    const answer = await fetchPdf(agents.get('gest.droit')!, path(1));
    expect(answer.status).toBe(200);
    expect(answer.headers['content-type']).toBe('application/pdf');
    expect(answer.headers['content-disposition']).toBe(`inline; filename="convention-${convention.number}-avenant-1.pdf"`);
    expect(answer.headers['cache-control']).toBe('no-store');
    const { text } = answer;
    expect(text).toContain('Avenant n° 1 à la convention de stage');
    expect(text).toContain(`Convention n° ${convention.number}`);
    expect(text).toContain(`${convention.student_first_name} ${convention.student_last_name}`);
    expect(text).toContain("Motif de l'avenant : Prolongation demandée par l’organisme.");
    expect(text).toContain(`Valeur précédente : du ${formatFrenchDate(convention.start_date)} au ${formatFrenchDate(convention.end_date)}`);
    expect(text).toContain(`Nouvelle valeur : du ${formatFrenchDate(convention.start_date)} au ${formatFrenchDate(newEnd)}`);
    expect(text).toContain(`${texts.status} : ${texts.statuses.validated}`);
    expect(text).toMatch(/Validé le \d{2}\/\d{2}\/\d{4}/);
    for (const block of ['signatureInstitution', 'signatureHost', 'signatureStudent']) expect(text).toContain(normalise(labels[block]!));
    for (const recipient of ["l'organisme d'accueil", "l'étudiant", "l'établissement"]) expect(text).toContain(`Exemplaire destiné à : ${recipient}`);
    expect(answer.pages % 3).toBe(0);
    const perCopy = answer.pages / 3;
    for (let n = 1; n <= perCopy; n += 1) expect(text.split(`page ${n} / ${perCopy}`).length - 1).toBe(3);
    expect(text).toMatch(/Imprimé le \d{2}\/\d{2}\/\d{4}/);
    expect(text).not.toMatch(/undefined|null|NaN|\{\w+\}/);
  });

  it('prints a termination with its date and comment, not yet validated, in the centre’s number of copies', async () => {
    await app.knex('centre').where({ id: convention.centre_id }).update({ copies: 2 });
    try {
      const answer = await fetchPdf(agents.get('gest.droit')!, path(2));
      expect(answer.status).toBe(200);
      const { text } = answer;
      expect(text).toContain(`${texts.kind} : ${texts.kinds.termination}`);
      expect(text).toContain(`${texts.terminationDate} : ${formatFrenchDate(terminationDate)}`);
      expect(text).toContain(`${texts.terminationComment} : Accord des trois parties.`);
      expect(text).toContain(`${texts.status} : ${texts.statuses.submitted}`);
      expect(text).not.toMatch(/Validé le/);
      expect(text).toContain("Exemplaire destiné à : l'étudiant");
      expect(text).not.toContain("Exemplaire destiné à : l'établissement");
      expect(text).not.toMatch(/undefined|null|NaN|\{\w+\}/);
    } finally {
      await app.knex('centre').where({ id: convention.centre_id }).update({ copies: 3 });
    }
  });

  it('follows the rights of the convention’s PDF: others get 404, an unknown amendment 404', async () => {
    const statuses = Object.fromEntries(await Promise.all(ACTORS.map(async (actor) => [actor, (await fetchPdf(agents.get(actor)!, path(1))).status] as const)));
    expect(statuses).toEqual({
      anonymous: 302,
      'etu.droit1': 200,
      'etu.sciences1': 404,
      'prof.durand': 200,
      'prof.martin': 404,
      'gest.droit': 200,
      'gest.sciences': 404,
      admin: 200,
    });
    expect((await fetchPdf(agents.get('gest.droit')!, path(99))).status).toBe(404);
    expect((await fetchPdf(agents.get('etu.droit1')!, path(99))).status).toBe(404);
    expect((await fetchPdf(agents.get('gest.droit')!, path('abc'))).status).toBe(404);
  });

  it('a centre that forbids students to print: 403 from the address, and no link on the amendment page', async () => {
    const student = agents.get('etu.droit1')!;
    const page = await student.get(`/conventions/${convention.number}/amendments/1`);
    expect(page.status).toBe(200);
    expect(page.text).toContain(`href="${path(1)}"`);
    const { student_print_rule: rule } = await app.knex('centre').where({ id: convention.centre_id }).first('student_print_rule');
    await app.knex('centre').where({ id: convention.centre_id }).update({ student_print_rule: 'never' });
    try {
      expect((await fetchPdf(student, path(1))).status).toBe(403);
      expect((await student.get(`/conventions/${convention.number}/amendments/1`)).text).not.toContain('amendment.pdf');
      expect((await fetchPdf(agents.get('gest.droit')!, path(1))).status).toBe(200);
    } finally {
      await app.knex('centre').where({ id: convention.centre_id }).update({ student_print_rule: rule });
    }
  });
});
