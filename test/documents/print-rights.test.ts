import type TestAgent from 'supertest/lib/agent.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/test-app.ts';
import { fetchPdf } from './support.ts';

/**
 * Who may print (docs/domain.md), checked by the PDF addresses themselves: staff of the centre
 * (READ or more) and the super-admin always, the supervising teacher, the student per the centre's
 * rule; others get 404 (the convention's existence does not leak). Certificates only once validated.
 */
const ACTORS = [
  'anonymous',
  'etu.sciences1',
  'etu.sciences2',
  'etu.droit1',
  'prof.martin',
  'prof.durand',
  'lect.sciences',
  'gest.sciences',
  'resp.sciences',
  'gest.droit',
  'admin',
] as const;
type ActorName = (typeof ACTORS)[number];
const row = (...codes: number[]) => Object.fromEntries(ACTORS.map((actor, index) => [actor, codes[index]!])) as Record<ActorName, number>;

const DOCUMENTS = ['convention.pdf', 'convention.pdf?lang=de', 'summary.pdf'];

describe('rights to print', () => {
  let app: TestApp;
  const agents = new Map<ActorName, TestAgent>();
  let numbers: Record<'sciencesSubmitted' | 'sciencesPedagogical' | 'droitValidated' | 'droitRefused', number>;

  beforeAll(async () => {
    app = await startTestApp();
    for (const actor of ACTORS) agents.set(actor, actor === 'anonymous' ? app.anonymous() : await app.signIn(actor));
    const conventions = (await app
      .knex('convention as c')
      .join('student as s', 's.id', 'c.student_id')
      .whereNotNull('c.number')
      .select('c.number', 'c.status', 's.login')) as {
      number: number;
      status: string;
      login: string;
    }[];
    const find = (login: string, status: string) => conventions.find((convention) => convention.login === login && convention.status === status)!.number;
    numbers = {
      sciencesSubmitted: find('etu.sciences1', 'submitted'),
      sciencesPedagogical: find('etu.sciences2', 'pedagogically_validated'),
      droitValidated: find('etu.droit1', 'validated'),
      droitRefused: find('etu.droit1', 'refused'),
    };
  });

  afterAll(async () => {
    await app?.close();
  });

  async function statusOf(actor: ActorName, path: string): Promise<number> {
    return (await fetchPdf(agents.get(actor)!, path)).status;
  }

  async function expectMatrix(number: number, document: string, expected: Record<ActorName, number>) {
    const actual = Object.fromEntries(
      await Promise.all(ACTORS.map(async (actor) => [actor, await statusOf(actor, `/conventions/${number}/${document}`)] as const)),
    );
    expect(actual, `${number}/${document}`).toEqual(expected);
  }

  // Columns: anonymous, etu.sciences1, etu.sciences2, etu.droit1, prof.martin, prof.durand, lect/gest/resp.sciences, gest.droit, admin.
  it.each(DOCUMENTS)('Sciences (students may always print), a submitted convention: %s', async (document) => {
    await expectMatrix(numbers.sciencesSubmitted, document, row(302, 200, 404, 404, 200, 404, 200, 200, 200, 404, 200));
  });

  it.each(DOCUMENTS)('Droit (students print after the administrative validation), the validated convention: %s', async (document) => {
    await expectMatrix(numbers.droitValidated, document, row(302, 404, 404, 200, 404, 200, 404, 404, 404, 200, 200));
  });

  it.each(DOCUMENTS)('Droit, a convention not validated yet is refused to its student by the PDF address: %s', async (document) => {
    await expectMatrix(numbers.droitRefused, document, row(302, 404, 404, 403, 404, 200, 404, 404, 404, 200, 200));
    for (const status of ['submitted', 'pedagogically_validated']) {
      await app.knex('convention').where({ number: numbers.droitRefused }).update({ status });
      expect(await statusOf('etu.droit1', `/conventions/${numbers.droitRefused}/${document}`), status).toBe(403);
      expect(await statusOf('gest.droit', `/conventions/${numbers.droitRefused}/${document}`), status).toBe(200);
    }
    await app.knex('convention').where({ number: numbers.droitRefused }).update({ status: 'refused' });
  });

  it('follows each print rule of the centre for its students', async () => {
    const sciences = (await app.knex('centre').where({ name: 'UFR Sciences et techniques' }).first('id', 'student_print_rule')) as {
      id: number;
      student_print_rule: string;
    };
    const expectations: Record<string, [number, number]> = {
      never: [403, 403],
      always: [200, 200],
      after_pedagogical: [403, 200],
      after_administrative: [403, 403],
    };
    try {
      for (const [rule, [submitted, pedagogical]] of Object.entries(expectations)) {
        await app.knex('centre').where({ id: sciences.id }).update({ student_print_rule: rule });
        expect(await statusOf('etu.sciences1', `/conventions/${numbers.sciencesSubmitted}/convention.pdf`), rule).toBe(submitted);
        expect(await statusOf('etu.sciences2', `/conventions/${numbers.sciencesPedagogical}/convention.pdf`), rule).toBe(pedagogical);
        // Staff and the supervising teacher are not bound by the students' rule.
        expect(await statusOf('lect.sciences', `/conventions/${numbers.sciencesSubmitted}/convention.pdf`), rule).toBe(200);
        expect(await statusOf('prof.martin', `/conventions/${numbers.sciencesSubmitted}/convention.pdf`), rule).toBe(200);
      }
    } finally {
      await app.knex('centre').where({ id: sciences.id }).update({ student_print_rule: sciences.student_print_rule });
    }
  });

  it('gives the certificate only for a validated convention', async () => {
    await expectMatrix(numbers.droitValidated, 'certificate.pdf', row(302, 404, 404, 200, 404, 200, 404, 404, 404, 200, 200));
    await expectMatrix(numbers.sciencesSubmitted, 'certificate.pdf', row(302, 403, 404, 404, 403, 404, 403, 403, 403, 404, 403));
    await expectMatrix(numbers.sciencesPedagogical, 'certificate.pdf', row(302, 404, 403, 404, 404, 404, 403, 403, 403, 404, 403));
  });

  it('answers 404 for a convention that does not exist or an address that is not a number', async () => {
    expect(await statusOf('admin', '/conventions/999999/convention.pdf')).toBe(404);
    expect(await statusOf('admin', '/conventions/abc/convention.pdf')).toBe(404);
    expect(await statusOf('admin', '/conventions/0/summary.pdf')).toBe(404);
  });
});

describe('links to the documents on the convention page', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp();
  });
  afterAll(() => app.close());

  it('are offered to whoever may print, and only to them', async () => {
    const refused = (await app
      .knex('convention as c')
      .join('student as s', 's.id', 'c.student_id')
      .where({ 's.login': 'etu.droit1', 'c.status': 'refused' })
      .first('c.number')) as { number: number };
    const validated = (await app
      .knex('convention as c')
      .join('student as s', 's.id', 'c.student_id')
      .where({ 's.login': 'etu.droit1', 'c.status': 'validated' })
      .first('c.number')) as { number: number };
    const student = await app.signIn('etu.droit1');
    // The Droit centre lets students print only validated conventions.
    expect((await student.get(`/conventions/${refused.number}`).expect(200)).text).not.toContain('convention.pdf');
    const page = (await student.get(`/conventions/${validated.number}`).expect(200)).text;
    expect(page).toContain(`href="/conventions/${validated.number}/convention.pdf?lang=fr"`);
    expect(page).toContain(`href="/conventions/${validated.number}/certificate.pdf"`);
    const staff = await app.signIn('gest.droit');
    const staffPage = (await staff.get(`/conventions/${refused.number}`).expect(200)).text;
    expect(staffPage).toContain(`href="/conventions/${refused.number}/summary.pdf"`);
    expect(staffPage).not.toContain('certificate.pdf');
  });
});
