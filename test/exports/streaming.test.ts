import type { IncomingMessage } from 'node:http';
import { Writable } from 'node:stream';
import type TestAgent from 'supertest/lib/agent.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SORTS } from '../../src/conventions/search/schemas.ts';
import { EXPORT_COLUMNS } from '../../src/exports/columns.ts';
import { createLogger } from '../../src/logger.ts';
import { addDays } from '../../src/rules/calendar.ts';
import { startTestApp, type TestApp } from '../support/test-app.ts';
import { downloadXlsx, exportedNumbers } from './support.ts';
import { insertable } from '../support/insertable.ts';

/**
 * Exports of many conventions: every row, in the order of the search's list for every sort, read
 * through a cursor that is closed (and its connection given back) as soon as the client goes away.
 */
const MANY = 20_000;

describe('exports of many conventions', () => {
  const logs: Record<string, unknown>[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString().split('\n').filter(Boolean)) logs.push(JSON.parse(line) as Record<string, unknown>);
      done();
    },
  });
  let app: TestApp;
  let staff: TestAgent;
  let sciencesCount: number;
  let academicYear: string;

  beforeAll(async () => {
    app = await startTestApp({ logger: createLogger('info', sink) });
    const model = await insertable(
      app.knex,
      'convention',
      await app
        .knex('convention as c')
        .join('student as s', 's.id', 'c.student_id')
        .where({ 's.login': 'etu.sciences1', 'c.status': 'submitted' })
        .first('c.*'),
    );
    const enrolments = await app
      .knex('enrolment as e')
      .join('student as s', 's.id', 'e.student_id')
      .whereIn('s.login', ['etu.sciences1', 'etu.sciences2'])
      .select('e.id', 'e.student_id');
    const places = await app.knex('host_contact').select('host_id', 'service_id', 'id as contact_id').orderBy('id');
    const statuses = ['submitted', 'pedagogically_validated', 'validated', 'refused', 'cancelled'];
    const { id: _id, number: _number, ...copy } = model;
    // 30 conventions varied in student, host, start date and status: every sort has something to order.
    for (let index = 0; index < 30; index += 1) {
      const enrolment = enrolments[index % enrolments.length]!;
      const place = places[index % places.length]!;
      const start = addDays(model.start_date, (index * 7) % 40);
      await app.knex('convention').insert({
        ...copy,
        number: app.knex.raw("nextval('convention_number_seq')"),
        status: statuses[index % statuses.length],
        student_id: enrolment.student_id,
        enrolment_id: enrolment.id,
        host_id: place.host_id,
        service_id: place.service_id,
        tutor_id: place.contact_id,
        signatory_id: place.contact_id,
        start_date: start,
        end_date: addDays(start, 30),
      });
    }
    // And many more, as copies of the model in an earlier year, for the size of the exports.
    academicYear = model.academic_year;
    await app.knex.raw(
      `INSERT INTO convention (number, status, student_id, enrolment_id, centre_id, academic_year, host_id, service_id, tutor_id, signatory_id,
         social_security_affiliation, convention_type, internship_kind, theme, subject, activities, start_date, end_date, days_per_week,
         hours_per_week, total_presence_minutes, gratification, gratification_amount_cents, gratification_basis, gratification_per, created_by)
       SELECT nextval('convention_number_seq'), 'submitted', student_id, enrolment_id, centre_id, '2019-2020', host_id, service_id, tutor_id, signatory_id,
         social_security_affiliation, convention_type, internship_kind, theme, subject || ' n° ' || i, activities, start_date, end_date, days_per_week,
         hours_per_week, total_presence_minutes, gratification, gratification_amount_cents, gratification_basis, gratification_per, 'test'
       FROM convention, generate_series(1, ?) AS i WHERE id = ?`,
      [MANY, model.id],
    );
    sciencesCount = Number(
      (
        (await app
          .knex('convention as c')
          .join('centre as ce', 'ce.id', 'c.centre_id')
          .where('ce.name', 'UFR Sciences et techniques')
          .whereNotNull('c.number')
          .count({ count: '*' })
          .first()) as { count: number }
      ).count,
    );
    staff = await app.signIn('gest.sciences');
  });
  afterAll(() => app.close());

  it('lists the rows in the order of the search list, for every sort and direction', async () => {
    for (const sort of SORTS) {
      for (const direction of ['asc', 'desc']) {
        // Without the many copies (another year), so that the first page tells the orders apart.
        const query = `academicYear=${academicYear}&sort=${sort}&direction=${direction}`;
        const list = await staff.get(`/conventions?search=1&${query}`).expect(200);
        const listed = [...list.text.matchAll(/<th scope="row"><a href="\/conventions\/(\d+)">/g)].map((match) => Number(match[1]));
        expect(listed, query).toHaveLength(20);
        const exported = await exportedNumbers(staff, query);
        expect(exported.slice(0, 20), query).toEqual(listed);
      }
    }
  });

  it('exports every matching row, with no cap, in CSV and XLSX', async () => {
    const numbers = await exportedNumbers(staff, '');
    expect(numbers).toHaveLength(sciencesCount);
    expect(new Set(numbers).size).toBe(sciencesCount);
    const { sheet } = await downloadXlsx(staff, '/conventions/export.xlsx?columns=number,studentLastName,startDate,hostName');
    expect(sheet.rowCount).toBe(1 + sciencesCount);
  });

  it('closes the cursor and gives its connection back when the client goes away', async () => {
    const pool = (app.knex.client as { pool: { numUsed(): number } }).pool;
    const columns = EXPORT_COLUMNS.map((column) => column.key).join(',');
    const received = await new Promise<number>((resolve, reject) => {
      staff
        .get(`/conventions/export.csv?columns=${columns}`)
        .buffer(true)
        .parse((parsed, done) => {
          const response = parsed as unknown as IncomingMessage;
          response.once('data', (chunk: Buffer) => {
            // A reader that stops, then leaves: the server is held by backpressure, far from the end.
            response.pause();
            setTimeout(() => {
              response.destroy();
              resolve(chunk.length);
              done(null, null);
            }, 300);
          });
          response.once('error', reject);
        })
        .end(() => undefined);
    });
    expect(received).toBeGreaterThan(0);
    await expect.poll(() => pool.numUsed(), { timeout: 5000 }).toBe(0);
    await expect.poll(() => logs.some((line) => line.msg === 'export interrupted: the client went away'), { timeout: 5000 }).toBe(true);
    const interrupted = logs.find((line) => line.msg === 'export interrupted: the client went away')!;
    expect(interrupted.rows as number).toBeLessThan(sciencesCount);
    expect(
      logs.some((line) => line.msg === 'conventions exported' && line.format === 'csv' && (line.columns as string[]).length === EXPORT_COLUMNS.length),
    ).toBe(false);
    // The application goes on answering exports.
    expect(await exportedNumbers(staff, 'number=1')).toEqual([1]);
  });
});
