import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { effectiveOtherConventionFacts, unchangedAmendment } from '../../src/conventions/amendments/repository.ts';
import { effectiveValues } from '../../src/conventions/shared/effective-values.ts';
import { otherConventionFacts } from '../../src/conventions/shared/repository.ts';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';

/** Effective values: the pure function, and the other conventions' hours the legal checks sum. */
const convention = {
  start_date: '2027-03-01',
  end_date: '2027-05-28',
  interruptions: [{ start: '2027-04-12', end: '2027-04-16' }],
  subject: 'Sujet d’origine',
  gratification: true,
  gratification_amount_cents: 450,
  gratification_per: 'hour' as const,
  gratification_basis: 'NET',
  service_id: 1,
  tutor_id: 2,
  supervisor_teacher_id: 3,
  total_presence_minutes: 24_000,
};

const amendment = (number: number, status: 'submitted' | 'validated', values: Record<string, unknown>) => ({
  number,
  status,
  ...unchangedAmendment('changes', 'r'),
  ...values,
});

describe('effectiveValues', () => {
  it('is the convention itself without validated amendments', () => {
    const values = effectiveValues(convention, [amendment(1, 'submitted', { subject: 'Non validé' })]);
    expect(values).toMatchObject({ subject: 'Sujet d’origine', end_date: '2027-05-28', amended: [] });
  });

  it('applies validated amendments in order; a termination shortens the end date and the interruptions', () => {
    const values = effectiveValues(convention, [
      amendment(3, 'validated', { kind: 'termination', termination_date: '2027-04-14', total_presence_minutes: 12_000 }),
      amendment(1, 'validated', { start_date: '2027-03-08', end_date: '2027-06-04', total_presence_minutes: 25_000, subject: 'Nouveau sujet' }),
      amendment(2, 'validated', { service_id: 9, tutor_id: 10, gratification_changed: true, gratification: false }),
    ]);
    expect(values).toMatchObject({
      start_date: '2027-03-08',
      end_date: '2027-04-14',
      termination_date: '2027-04-14',
      interruptions: [{ start: '2027-04-12', end: '2027-04-14' }],
      subject: 'Nouveau sujet',
      gratification: false,
      gratification_amount_cents: null,
      service_id: 9,
      tutor_id: 10,
      supervisor_teacher_id: 3,
      total_presence_minutes: 12_000,
    });
  });
});

describe('other conventions in the legal checks', () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(() => database.drop());

  it('counts another convention with its effective dates and hours', async () => {
    const knex = database.knex;
    const validated = await knex('convention as c')
      .join('student as s', 's.id', 'c.student_id')
      .where({ 's.login': 'etu.droit1', 'c.status': 'validated' })
      .first('c.*');
    // A new convention of the same student with the same host and year: the validated one is "another".
    const subject = { id: -1, student_id: validated.student_id, host_id: validated.host_id, academic_year: validated.academic_year };
    const before = await effectiveOtherConventionFacts(knex, subject, await otherConventionFacts(knex, subject));
    expect(before.sameHost.find((row) => row.reference === `n° ${validated.number}`)?.minutes).toBe(validated.total_presence_minutes);
    await knex('amendment').insert({
      convention_id: validated.id,
      number: 1,
      status: 'validated',
      kind: 'changes',
      reason: 'Prolongation',
      start_date: validated.start_date,
      end_date: '2099-12-31',
      total_presence_minutes: 999_000,
      validated_at: new Date(),
      validated_by: 'gest.droit',
      created_by: 'gest.droit',
      updated_by: 'gest.droit',
    });
    const after = await effectiveOtherConventionFacts(knex, subject, await otherConventionFacts(knex, subject));
    expect(after.sameHost.find((row) => row.reference === `n° ${validated.number}`)?.minutes).toBe(999_000);
    expect(after.dates.find((row) => row.reference === `n° ${validated.number}`)?.endDate).toBe('2099-12-31');
  });
});
