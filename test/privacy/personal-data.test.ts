import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/test-app.ts';
import { NIR } from './support.ts';

/** GET /me/data: everything Conventio holds about the signed-in person, and nothing about anyone else. */
describe('download of one’s personal data', () => {
  let app: TestApp;
  let own: { id: number; student_number: string; last_name: string };
  let other: { id: number; student_number: string; last_name: string };
  beforeAll(async () => {
    app = await startTestApp();
    const student = (login: string) => app.knex('student').where({ login }).first('id', 'student_number', 'last_name');
    [own, other] = await Promise.all([student('etu.sciences1'), student('etu.sciences2')]);
    await app.knex('user_preference').insert([
      { login: 'etu.sciences1', name: 'exportColumns', value: JSON.stringify(['number', 'subject']) },
      { login: 'etu.sciences2', name: 'exportColumns', value: JSON.stringify(['hostName']) },
    ]);
    const [mine] = await app
      .knex('convention')
      .where({ student_id: own.id, status: 'submitted' })
      .update({ social_security_number: NIR.mainland })
      .returning('id');
    const theirs = await app.knex('convention').where({ student_id: other.id }).first('id');
    await app.knex('audit_log').insert([
      {
        actor_login: 'gest.sciences',
        action: 'convention.internship.update',
        entity: 'convention',
        entity_id: String(mine.id),
        after: { subject: 'Sujet revu par le centre' },
      },
      {
        actor_login: 'gest.sciences',
        action: 'convention.internship.update',
        entity: 'convention',
        entity_id: String(theirs.id),
        after: { subject: 'Sujet d’un autre étudiant' },
      },
    ]);
  });
  afterAll(() => app.close());

  it('asks an anonymous visitor to sign in', async () => {
    const response = await app.anonymous().get('/me/data').expect(302);
    expect(response.headers.location).toBe('/auth/login?returnTo=%2Fme%2Fdata');
  });

  it('gives a student their records, conventions, history, preferences and audit entries as a JSON file', async () => {
    const response = await (await app.signIn('etu.sciences1')).get('/me/data').expect(200);
    expect(response.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(response.headers['content-disposition']).toMatch(/^attachment; filename="?conventio-mes-donnees-\d{4}-\d{2}-\d{2}\.json"?$/);
    const data = JSON.parse(response.text);
    expect(data.login).toBe('etu.sciences1');
    expect(data.student).toMatchObject({ id: own.id, student_number: own.student_number, last_name: own.last_name });
    expect(data.enrolments.length).toBeGreaterThan(0);

    const conventionIds = (await app.knex('convention').where({ student_id: own.id }).orderBy('id').pluck('id')) as number[];
    expect(conventionIds.length).toBeGreaterThan(1);
    expect(data.conventions.map((convention: { id: number }) => convention.id)).toEqual(conventionIds);
    const submitted = data.conventions.find((convention: { status: string }) => convention.status === 'submitted');
    // Their own NIR, in full: it is theirs.
    expect(submitted.social_security_number).toBe(NIR.mainland);
    expect(submitted.history).toEqual([expect.objectContaining({ action: 'submit', to_status: 'submitted' })]);
    expect(submitted.amendments).toEqual([]);

    expect(data.preferences).toEqual([expect.objectContaining({ name: 'exportColumns', value: ['number', 'subject'] })]);
    const actions = data.auditEntries.map((entry: { action: string }) => entry.action);
    expect(actions).toContain('session.sign_in');
    expect(data.auditEntries).toContainEqual(expect.objectContaining({ actor_login: 'gest.sciences', after: { subject: 'Sujet revu par le centre' } }));
  });

  it('never holds another student’s data', async () => {
    const text = (await (await app.signIn('etu.sciences1')).get('/me/data').expect(200)).text;
    for (const foreign of [other.student_number, other.last_name, 'etu.sciences2', 'Sujet d’un autre étudiant', '"hostName"', 'Étude de la biodiversité']) {
      expect(text).not.toContain(foreign);
    }
  });

  it('gives staff their own directory record', async () => {
    const data = JSON.parse((await (await app.signIn('gest.sciences')).get('/me/data').expect(200)).text);
    expect(data).toMatchObject({ login: 'gest.sciences', student: null, conventions: [], staff: { login: 'gest.sciences' } });
    expect(data.auditEntries.every((entry: { actor_login: string }) => entry.actor_login === 'gest.sciences')).toBe(true);
  });
});
