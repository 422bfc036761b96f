import type TestAgent from 'supertest/lib/agent.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/test-app.ts';

/**
 * The search by faculty and study step reads the codes the database copies from each convention's
 * enrolment onto the convention (docs/schema.md, derived columns): when the directory moves an
 * enrolment to another step, even that of a validated convention, the search follows at once.
 */
function numbersOn(html: string): number[] {
  return [...html.matchAll(/<th scope="row"><a href="\/conventions\/(\d+)">/g)].map((match) => Number(match[1]));
}

describe('the search by faculty and step follows the enrolments', () => {
  let app: TestApp;
  let staff: TestAgent;
  const found = async (query: string) => numbersOn((await staff.get(`/conventions?search=1&${query}`).expect(200)).text);

  beforeAll(async () => {
    app = await startTestApp();
    staff = await app.signIn('gest.droit');
  });
  afterAll(() => app.close());

  it('finds a validated convention by the new step of its enrolment, no longer by the old one', async () => {
    const convention = (await app
      .knex('convention as c')
      .join('enrolment as e', 'e.id', 'c.enrolment_id')
      .join('centre as ce', 'ce.id', 'c.centre_id')
      .where({ 'ce.name': 'UFR Droit et économie', 'c.status': 'validated' })
      .first('c.number', 'c.enrolment_id', 'e.step_code', 'e.faculty_code')) as {
      number: number;
      enrolment_id: number;
      step_code: string;
      faculty_code: string;
    };
    const otherStep = (await app
      .knex('study_step')
      .where({ faculty_code: convention.faculty_code })
      .whereNot({ code: convention.step_code })
      .first('code')) as { code: string };
    expect(await found(`step=${convention.step_code}`)).toContain(convention.number);
    expect(await found(`step=${otherStep.code}`)).not.toContain(convention.number);

    await app.knex('enrolment').where({ id: convention.enrolment_id }).update({ step_code: otherStep.code });

    expect(await found(`step=${otherStep.code}`)).toContain(convention.number);
    expect(await found(`step=${convention.step_code}`)).not.toContain(convention.number);
    expect(await found(`faculty=${convention.faculty_code}&step=${otherStep.code}`)).toContain(convention.number);
  });

  it('keeps the copied codes those of the enrolment, whatever is written to the convention', async () => {
    const convention = (await app.knex('convention').whereNot({ status: 'validated' }).first('id', 'enrolment_id')) as { id: number; enrolment_id: number };
    await app.knex('convention').where({ id: convention.id }).update({ step_code: 'NOPE', faculty_code: 'NOPE' });
    const enrolment = (await app.knex('enrolment').where({ id: convention.enrolment_id }).first('faculty_code', 'step_code')) as {
      faculty_code: string;
      step_code: string;
    };
    expect(await app.knex('convention').where({ id: convention.id }).first('faculty_code', 'step_code')).toEqual(enrolment);
  });
});
