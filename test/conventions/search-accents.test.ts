import type TestAgent from 'supertest/lib/agent.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/test-app.ts';

/**
 * The convention search ignores accents and case whatever the collation of the database.
 * PostgreSQL clusters are often created with the "C" collation, where `lower('É')` is 'É': the
 * names and subjects searched are given that collation here, as in such a database, and a search typed
 * without accents nor capitals must still find "ÉLODIE", "Étude" or "Émile", and the sort by student
 * must still put "Émile" between "Dupont" and "Fabre".
 */
describe('the search in a database of collation "C"', () => {
  let app: TestApp;
  let staff: TestAgent;
  const numbers = new Map<string, number>();

  beforeAll(async () => {
    app = await startTestApp();
    const knex = app.knex;
    // Columns generated from the names and subject forbid changing them: they are dropped for the change
    // and made again as their migrations made them, with their indexes.
    const generated = (
      await knex.raw(`
      SELECT c.relname AS table, a.attname AS column, pg_get_expr(d.adbin, d.adrelid) AS expression,
             coalesce((SELECT array_agg(pg_get_indexdef(i.indexrelid)) FROM pg_index i WHERE i.indrelid = a.attrelid AND a.attnum = ANY (i.indkey)), '{}') AS indexes
      FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
      WHERE c.relname IN ('student', 'teacher', 'convention') AND a.attgenerated = 's'`)
    ).rows as { table: string; column: string; expression: string; indexes: string[] }[];
    for (const { table, column } of generated) await knex.raw('ALTER TABLE ?? DROP COLUMN ??', [table, column]);
    for (const [table, columns] of [
      ['student', ['last_name', 'first_name']],
      ['teacher', ['last_name', 'first_name']],
      ['convention', ['subject', 'effective_subject']],
    ] as const) {
      for (const column of columns) await knex.raw('ALTER TABLE ?? ALTER COLUMN ?? TYPE text COLLATE "C"', [table, column]);
    }
    for (const { table, column, expression } of generated)
      await knex.raw(`ALTER TABLE ?? ADD COLUMN ?? text GENERATED ALWAYS AS (${expression}) STORED`, [table, column]);
    for (const index of new Set(generated.flatMap(({ indexes }) => indexes))) await knex.raw(index);
    const sciences = (await knex('centre').where({ name: 'UFR Sciences et techniques' }).first('id')).id;
    await knex('convention')
      .where({ centre_id: sciences })
      .update({ centre_id: (await knex('centre').where({ name: 'IUT' }).first('id')).id });
    const host = (await knex('host').first('id')).id;
    const [teacher] = await knex('teacher').insert({ login: 'prof.eloi', last_name: 'ÉLOI', first_name: 'Édith' }).returning('id');
    const people = [
      { key: 'elodie', last_name: 'ÉLODIE', first_name: 'Ève', subject: 'Étude des écosystèmes' },
      { key: 'emile', last_name: 'Émile', first_name: 'Ulysse', subject: 'ÉVALUATION énergétique' },
      { key: 'dupont', last_name: 'Dupont', first_name: 'Zoé', subject: 'Stage sans accent' },
      { key: 'fabre', last_name: 'Fabre', first_name: 'Anne', subject: 'Autre stage' },
    ];
    for (const [index, person] of people.entries()) {
      const [student] = await knex('student')
        .insert({ login: `accent.${index}`, student_number: `3400000${index}`, last_name: person.last_name, first_name: person.first_name })
        .returning('id');
      const [enrolment] = await knex('enrolment')
        .insert({ student_id: student.id, academic_year: '2026-2027', faculty_code: 'SCI', step_code: 'L3INFO' })
        .returning('id');
      const number = (await knex.raw("SELECT nextval('convention_number_seq')::int AS number")).rows[0].number as number;
      await knex('convention').insert({
        number,
        status: 'submitted',
        student_id: student.id,
        enrolment_id: enrolment.id,
        centre_id: sciences,
        academic_year: '2026-2027',
        host_id: host,
        supervisor_teacher_id: index === 0 ? teacher.id : null,
        start_date: '2027-03-01',
        end_date: '2027-04-30',
        days_per_week: 5,
        hours_per_week: 35,
        total_presence_minutes: 6000,
        social_security_affiliation: 'ASSETUDIANT',
        subject: person.subject,
        created_by: 'test',
        updated_by: 'test',
      });
      numbers.set(person.key, number);
    }
    staff = await app.signIn('gest.sciences');
  });
  afterAll(() => app?.close());

  async function found(query: string): Promise<number[]> {
    const response = await staff.get(`/conventions?search=1&${query}`);
    expect(response.status, query).toBe(200);
    return [...response.text.matchAll(/<tr>\s*<th scope="row"><a href="\/conventions\/(\d+)">/g)].map((match) => Number(match[1]));
  }

  it('finds names, subjects and supervisors typed without accents nor capitals, or with others', async () => {
    const elodie = [numbers.get('elodie')];
    for (const query of [
      'lastName=elodie',
      'lastName=%C3%A9lodie',
      'lastName=%C3%89LODIE',
      'firstName=eve',
      'firstName=%C3%88VE',
      'subject=etude',
      'subject=%C3%A9tude%20ecosystemes',
      'supervisor=eloi',
      'supervisor=%C3%A9di',
    ]) {
      expect(await found(query), query).toEqual(elodie);
    }
    expect(await found('lastName=emile')).toEqual([numbers.get('emile')]);
    expect(await found('subject=evaluation%20ENERGETIQUE')).toEqual([numbers.get('emile')]);
  });

  it('sorts the students without accents nor case', async () => {
    const order = ['dupont', 'elodie', 'emile', 'fabre'].map((key) => numbers.get(key));
    expect(await found('sort=student&direction=asc')).toEqual(order);
    expect(await found('sort=student&direction=desc')).toEqual([...order].reverse());
  });
});
