import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { downloadCsv } from '../exports/support.ts';
import { enrolmentOf, expectRedirect, studentFields } from '../conventions/support.ts';
import { csrfTokenFrom, startTestApp, type TestApp } from '../support/test-app.ts';
import { fieldError, NIR, setNirCollection } from './support.ts';

/** The social-security number: asked only when the institution turns it on, checked, masked for others. */
describe('social-security number in the student step', () => {
  let app: TestApp;
  let enrolmentId: number;
  beforeAll(async () => {
    app = await startTestApp();
    enrolmentId = (await enrolmentOf(app.knex, 'etu.sciences2')).id;
  });
  afterAll(() => app.close());

  async function postStudentStep(values: Record<string, string>) {
    const student = await app.signIn('etu.sciences2');
    const token = await csrfTokenFrom(student, '/conventions/new/student');
    return student
      .post('/conventions/new/student')
      .type('form')
      .send({ _csrf: token, ...studentFields(enrolmentId), ...values });
  }
  const draftIdOf = (location: string) => Number(/\/conventions\/drafts\/(\d+)\//.exec(location)![1]);

  it('is neither asked nor stored while the institution does not collect it', async () => {
    const student = await app.signIn('etu.sciences2');
    expect((await student.get('/conventions/new/student').expect(200)).text).not.toContain('social_security_number');
    const created = await postStudentStep({ social_security_number: NIR.mainland });
    const id = draftIdOf(expectRedirect(created));
    expect(await app.knex('convention').where({ id }).first('social_security_number')).toEqual({ social_security_number: null });
    // The form as the page shows it, without the field.
    expectRedirect(await postStudentStep({}));
  });

  it('is asked, optional, once the institution turns it on', async () => {
    await setNirCollection(app.knex, true);
    const student = await app.signIn('etu.sciences2');
    const page = await student.get('/conventions/new/student').expect(200);
    expect(page.text).toContain('<label for="field-social_security_number">Numéro de sécurité sociale</label>');
    const created = await postStudentStep({ social_security_number: '' });
    expect(
      await app
        .knex('convention')
        .where({ id: draftIdOf(expectRedirect(created)) })
        .first('social_security_number'),
    ).toEqual({ social_security_number: null });
  });

  it.each([
    ['a wrong key', '1 85 05 78 006 084 92', 'La clé du numéro de sécurité sociale ne correspond pas : vérifiez le numéro.'],
    ['a wrong format', '1 85 05 78 006', 'Numéro de sécurité sociale invalide : 13 caractères et une clé de 2 chiffres (2A ou 2B pour la Corse).'],
    ['a Corsican number with the key of the mainland', '1 85 05 2A 006 084 91', 'La clé du numéro de sécurité sociale ne correspond pas : vérifiez le numéro.'],
  ])('refuses %s next to the field, keeping what was typed', async (_case, typed, message) => {
    const before = await app.knex('convention').count({ count: '*' }).first();
    const refused = await postStudentStep({ social_security_number: typed });
    expect(refused.status).toBe(422);
    expect(fieldError(refused.text, 'social_security_number')).toBe(message);
    expect(refused.text).toContain(`value="${typed}"`);
    expect(await app.knex('convention').count({ count: '*' }).first()).toEqual(before);
  });

  it.each([
    ['mainland', '1 85 05 78 006 084 91', NIR.mainland],
    ['Corse-du-Sud (2A)', '1 85 05 2a 006 084 35', NIR.corsicaSouth],
    ['Haute-Corse (2B)', '2 90 02 2B 123 456 08', NIR.corsicaNorth],
  ])('stores a valid number (%s) without its spaces, and keeps the NIR masked in the audit log', async (_case, typed, stored) => {
    const created = await postStudentStep({ social_security_number: typed });
    const id = draftIdOf(expectRedirect(created));
    expect(await app.knex('convention').where({ id }).first('social_security_number')).toEqual({ social_security_number: stored });
    const audit = await app
      .knex('audit_log')
      .where({ entity: 'convention', entity_id: String(id), action: 'convention.draft.create' })
      .first('after');
    expect(audit.after.social_security_number).toBe(`${stored[0]} ** ** ** *** *** ${stored.slice(13)}`);
  });
});

describe('social-security number shown', () => {
  let app: TestApp;
  let number: number;
  beforeAll(async () => {
    app = await startTestApp();
    await setNirCollection(app.knex, true);
    const convention = await app
      .knex('convention as c')
      .join('student as s', 's.id', 'c.student_id')
      .where({ 's.login': 'etu.sciences1', 'c.status': 'submitted' })
      .first('c.id', 'c.number');
    number = convention.number;
    await app.knex('convention').where({ id: convention.id }).update({ social_security_number: NIR.mainland });
  });
  afterAll(() => app.close());

  const FULL = '1 85 05 78 006 084 91';
  const MASKED = '1 ** ** ** *** *** 91';

  it('in full to the student and to the staff who may edit it, masked to the others', async () => {
    for (const login of ['etu.sciences1', 'gest.sciences']) {
      const page = await (await app.signIn(login)).get(`/conventions/${number}/student`).expect(200);
      expect(page.text, login).toContain(`value="${NIR.mainland}"`);
    }
    for (const [login, path] of [
      ['lect.sciences', '/student'],
      ['lect.sciences', ''],
      ['prof.martin', '/student'],
    ] as const) {
      const page = await (await app.signIn(login)).get(`/conventions/${number}${path}`).expect(200);
      expect(page.text, `${login} ${path}`).toContain(`<dd>${MASKED}</dd>`);
      expect(page.text, `${login} ${path}`).not.toContain(NIR.mainland);
      expect(page.text, `${login} ${path}`).not.toContain(FULL);
    }
    // Validated, the convention is read-only for its student too: shown in full, as text.
    await app.knex('convention').where({ number }).update({ status: 'validated' });
    expect((await (await app.signIn('etu.sciences1')).get(`/conventions/${number}/student`).expect(200)).text).toContain(`<dd>${FULL}</dd>`);
  });

  it('masked in exports, whoever downloads them', async () => {
    for (const login of ['gest.sciences', 'admin']) {
      const { rows } = await downloadCsv(await app.signIn(login), `/conventions/export.csv?number=${number}&columns=number,socialSecurityNumber`);
      expect(rows).toEqual([
        ['Numéro de convention', 'Numéro de sécurité sociale (masqué)'],
        [String(number), MASKED],
      ]);
    }
  });
});
