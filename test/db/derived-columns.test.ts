import type { Knex } from 'knex';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { effectiveValues } from '../../src/conventions/shared/effective-values.ts';
import type { AmendmentRow } from '../../src/conventions/amendments/repository.ts';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';

/**
 * The columns the convention derives (docs/schema.md): one BEFORE trigger per table calls its steps in
 * the order docs/schema.md states, so that no order is left to the names of triggers; the effective
 * values written by the database are those src/conventions/shared/effective-values.ts computes; and the
 * search copies follow an amended, validated convention's host and enrolment without undoing its
 * amendments.
 */
const EFFECTIVE = [
  'start_date',
  'end_date',
  'subject',
  'gratification',
  'gratification_amount_cents',
  'gratification_per',
  'gratification_basis',
  'service_id',
  'tutor_id',
  'supervisor_teacher_id',
  'total_presence_minutes',
] as const;

describe('the columns the convention derives', () => {
  let database: TestDatabase;
  let knex: Knex;
  let id: number;
  let hostId: number;
  let enrolmentId: number;

  beforeAll(async () => {
    database = await createTestDatabase();
    knex = database.knex;
    const centre = (await knex('centre').where({ name: 'UFR Sciences et techniques' }).first('id')).id as number;
    const [student] = await knex('student').insert({ login: 'derived.a', student_number: '36000001', last_name: 'Roche', first_name: 'Léon' }).returning('id');
    [{ id: enrolmentId }] = await knex('enrolment')
      .insert({ student_id: student.id, academic_year: '2026-2027', faculty_code: 'SCI', step_code: 'M1BIO' })
      .returning('id');
    [{ id: hostId }] = await knex('host')
      .insert({ name: 'Observatoire du Pic', country_code: 'FR', postal_code: '65200', town: 'Bagnères', created_by: 'test', updated_by: 'test' })
      .returning('id');
    const number = (await knex.raw("SELECT nextval('convention_number_seq')::int AS number")).rows[0].number as number;
    [{ id }] = await knex('convention')
      .insert({
        number,
        status: 'submitted',
        student_id: student.id,
        enrolment_id: enrolmentId,
        centre_id: centre,
        academic_year: '2026-2027',
        host_id: hostId,
        start_date: '2027-03-01',
        end_date: '2027-06-30',
        days_per_week: 5,
        hours_per_week: 35,
        gratification: false,
        total_presence_minutes: 30000,
        social_security_affiliation: 'ASSETUDIANT',
        subject: 'Mesures du ciel nocturne',
        created_by: 'test',
        updated_by: 'test',
      })
      .returning('id');
    await knex('convention_interruption').insert([
      { convention_id: id, start_date: '2027-04-12', end_date: '2027-04-16', position: 1 },
      { convention_id: id, start_date: '2027-05-24', end_date: '2027-06-04', position: 2 },
    ]);
    await knex('convention').where({ id }).update({ status: 'validated' });
  });
  afterAll(() => database?.drop());

  it('has one BEFORE trigger on convention, which calls the derivations first and the read-only check last', async () => {
    const triggers = (
      await knex.raw(`
      SELECT c.relname AS "table", t.tgname AS name, (t.tgtype & 2) <> 0 AS before
      FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid
      WHERE NOT t.tgisinternal AND c.relname IN ('convention', 'enrolment', 'host', 'amendment')
      ORDER BY 1, 2`)
    ).rows as { table: string; name: string; before: boolean }[];
    expect(triggers).toEqual([
      { table: 'amendment', name: 'amendment_validated_read_only', before: true },
      { table: 'amendment', name: 'amendment_validation_to_convention', before: false },
      { table: 'convention', name: 'convention_before_write', before: true },
      { table: 'enrolment', name: 'enrolment_codes_to_conventions', before: false },
      { table: 'host', name: 'host_keys_to_conventions', before: false },
    ]);
    const source = (await knex.raw("SELECT prosrc FROM pg_proc WHERE proname = 'convention_before_write'")).rows[0].prosrc as string;
    const steps = [
      'convention_derive_effective_values',
      'convention_derive_enrolment_codes',
      'convention_derive_host_keys',
      'convention_refuse_validated_change(TG_OP, OLD, NEW)',
    ];
    const positions = steps.map((step) => source.indexOf(step));
    expect(positions.every((position) => position >= 0)).toBe(true);
    expect([...positions].sort((a, b) => a - b)).toEqual(positions);
  });

  it('writes the effective values src/conventions/shared/effective-values.ts computes, amendment after amendment', async () => {
    const own = await knex('convention')
      .where({ id })
      .first(...EFFECTIVE);
    const interruptions = (await knex('convention_interruption')
      .where({ convention_id: id })
      .orderBy('position')
      .select('start_date as start', 'end_date as end')) as { start: string; end: string }[];
    const amendments = [
      { kind: 'changes', start_date: '2027-03-15', end_date: '2027-07-16', subject: 'Photométrie des étoiles variables', total_presence_minutes: 31000 },
      {
        kind: 'changes',
        interruptions: JSON.stringify([
          { start: '2027-05-03', end: '2027-05-07' },
          { start: '2027-07-05', end: '2027-07-09' },
        ]),
        gratification_changed: true,
        gratification: true,
        gratification_amount_cents: 450,
        gratification_per: 'hour',
        gratification_basis: 'NET',
      },
      { kind: 'termination', termination_date: '2027-07-07', total_presence_minutes: 28000 },
    ];
    for (const [index, values] of amendments.entries()) {
      await knex('amendment').insert({ convention_id: id, number: index + 1, reason: 'Test', created_by: 'test', updated_by: 'test', ...values });
      await knex('amendment')
        .where({ convention_id: id, number: index + 1 })
        .update({ status: 'validated', validated_at: knex.fn.now(), validated_by: 'test' });
      const validated = (await knex('amendment').where({ convention_id: id, status: 'validated' }).orderBy('number').select()) as AmendmentRow[];
      const expected = effectiveValues({ ...own, interruptions }, validated);
      const stored = await knex('convention').where({ id }).first();
      expect(Object.fromEntries(EFFECTIVE.map((column) => [column, stored[`effective_${column}`]])), `after amendment ${index + 1}`).toEqual(
        Object.fromEntries(EFFECTIVE.map((column) => [column, expected[column]])),
      );
      const amendedPeriods = expected.amended.includes('interruptions') || expected.amended.includes('termination_date');
      expect(stored.effective_interruptions).toEqual(amendedPeriods ? expected.interruptions : null);
      expect(stored).toMatchObject({ termination_date: expected.termination_date, validated_amendment_count: index + 1, last_amendment_kind: values.kind });
      expect(stored.effective_subject_search).toBe('photometrie des etoiles variables');
    }
  });

  it('lets the search copies follow the host and the enrolment of the amended, validated convention, its amendments kept', async () => {
    const before = await knex('convention').where({ id }).first('effective_start_date', 'effective_end_date', 'effective_subject', 'effective_interruptions');
    await knex('host').where({ id: hostId }).update({ name: 'Observatoire du Midi', town: 'La Mongie' });
    await knex('enrolment').where({ id: enrolmentId }).update({ step_code: 'L3INFO' });
    const after = await knex('convention')
      .where({ id })
      .first('effective_start_date', 'effective_end_date', 'effective_subject', 'effective_interruptions', 'host_name_search', 'host_town_search', 'step_code');
    expect(after).toEqual({ ...before, host_name_search: 'observatoire du midi', host_town_search: 'la mongie', step_code: 'L3INFO' });
    await expect(knex('convention').where({ id }).update({ end_date: '2027-07-30', effective_end_date: '2027-07-30' })).rejects.toThrow(
      /changed only by amendments/,
    );
  });
});
