import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/test-app.ts';
import { completeWizard } from './support.ts';
import { insertable } from '../support/insertable.ts';

/** A demo convention (seeds/demo.ts), already in the database this file starts from. */
interface DemoConvention {
  number: number | null;
  status: string;
  academic_year: string;
  centre_id: number;
  entered_by_staff: boolean;
  student_id: number;
  student_name: string;
}

/** What the list says for a number of conventions found. */
const shown = (count: number) => (count === 0 ? 'Aucune convention.' : `Conventions (${count})`);

/** Names as the student filter compares them: without accents nor case. */
const plain = (text: string) => text.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();

/** /conventions: the person's conventions, simple filters, pagination in one query per page. */
describe('the list of conventions', () => {
  let app: TestApp;
  let first: number;
  /** The demo conventions that gest.sciences sees: those of its centres, without the drafts students are writing. */
  let demoForStaff: DemoConvention[];

  beforeAll(async () => {
    app = await startTestApp();
    const demo = (await app
      .knex('convention as c')
      .join('student as s', 's.id', 'c.student_id')
      .select(
        'c.number',
        'c.status',
        'c.academic_year',
        'c.centre_id',
        'c.entered_by_staff',
        'c.student_id',
        app.knex.raw("s.last_name || ' ' || s.first_name AS student_name"),
      )) as DemoConvention[];
    const centres = await app.knex('centre_member as m').join('staff as p', 'p.id', 'm.staff_id').where('p.login', 'gest.sciences').pluck('m.centre_id');
    demoForStaff = demo.filter((convention) => centres.includes(convention.centre_id) && (convention.status !== 'draft' || convention.entered_by_staff));
    const student = await app.signIn('etu.sciences1');
    first = (await completeWizard(student, app.knex, { login: 'etu.sciences1', create: true })).number!;
    // 30 more created conventions of the same student, as copies of the first.
    const { id: _id, number: _number, ...model } = await insertable(app.knex, 'convention', await app.knex('convention').where({ number: first }).first());
    for (let index = 0; index < 30; index += 1) {
      const [{ number }] = (await app.knex.raw("SELECT nextval('convention_number_seq')::int AS number")).rows;
      await app
        .knex('convention')
        .insert({ ...model, number, status: index % 3 === 0 ? 'cancelled' : 'submitted', academic_year: index < 5 ? '2025-2026' : model.academic_year });
    }
  });
  afterAll(() => app.close());

  it('pages the conventions, 20 a page, newest number first', async () => {
    // The 31 conventions of the test and the demo ones; the demo ones were numbered before, so `first` is 31st.
    expect(demoForStaff.every((convention) => convention.number !== null && convention.number < first)).toBe(true);
    const total = 31 + demoForStaff.length;
    const staff = await app.signIn('gest.sciences');
    const page1 = await staff.get('/conventions').expect(200);
    expect(page1.text).toContain(`Conventions (${total})`);
    expect(page1.text).toContain(`Page 1 sur ${Math.ceil(total / 20)}`);
    expect(page1.text.match(/<tr>\s*<th scope="row">/g)).toHaveLength(20);
    expect(page1.text).not.toContain(`href="/conventions/${first}"`);
    const page2 = await staff.get('/conventions?page=2').expect(200);
    expect(page2.text.match(/<tr>\s*<th scope="row">/g)).toHaveLength(Math.min(20, total - 20));
    expect(page2.text).toContain(`href="/conventions/${first}"`);
  });

  it('filters by number, academic year, student name and status', async () => {
    const staff = await app.signIn('gest.sciences');
    const byNumber = await staff.get(`/conventions?number=${first}`).expect(200);
    expect(byNumber.text).toContain('Conventions (1)');
    // The test's own conventions (5 in 2025-2026, 10 cancelled, 2 of both, all of Léa Moreau) plus the demo ones that match.
    const demo = (match: (convention: DemoConvention) => boolean) => demoForStaff.filter(match).length;
    const byYear = await staff.get('/conventions?academicYear=2025-2026').expect(200);
    expect(byYear.text).toContain(shown(5 + demo((convention) => convention.academic_year === '2025-2026')));
    const byName = await staff.get('/conventions?lastName=moreau').expect(200);
    expect(byName.text).toContain(shown(31 + demo((convention) => plain(convention.student_name).includes('moreau'))));
    const byOtherName = await staff.get('/conventions?lastName=nguyen').expect(200);
    expect(byOtherName.text).toContain(shown(demo((convention) => plain(convention.student_name).includes('nguyen'))));
    expect(byOtherName.text).not.toContain(`href="/conventions/${first}"`);
    const byUnknownName = await staff.get('/conventions?lastName=personne').expect(200);
    expect(byUnknownName.text).toContain(shown(demo((convention) => plain(convention.student_name).includes('personne'))));
    const byStatus = await staff.get('/conventions?status=cancelled').expect(200);
    expect(byStatus.text).toContain(shown(10 + demo((convention) => convention.status === 'cancelled')));
    const combined = await staff.get('/conventions?status=cancelled&academicYear=2025-2026&page=1').expect(200);
    expect(combined.text).toContain(shown(2 + demo((convention) => convention.status === 'cancelled' && convention.academic_year === '2025-2026')));
  });

  it('reads a page in as many queries whatever the number of rows', async () => {
    const staff = await app.signIn('gest.sciences');
    // The reference lists of the form are read once, then kept for a while: not part of the comparison.
    await staff.get('/conventions').expect(200);
    let queries = 0;
    const count = () => {
      queries += 1;
    };
    app.knex.on('query', count);
    try {
      await staff.get('/conventions?number=' + first).expect(200);
      const forOne = queries;
      queries = 0;
      await staff.get('/conventions').expect(200);
      expect(queries).toBe(forOne);
    } finally {
      app.knex.off('query', count);
    }
  });

  it('shows a student their own conventions without the staff filters', async () => {
    const student = await app.signIn('etu.sciences1');
    const list = await student.get('/conventions').expect(200);
    expect(list.text).toContain('Vos conventions de stage');
    expect(list.text).not.toContain('name="academicYear"');
    // Their own conventions, drafts included: the test's 31 and the demo ones.
    const own = async (login: string) =>
      Number((await app.knex('convention as c').join('student as s', 's.id', 'c.student_id').where('s.login', login).count({ count: '*' }).first())!.count);
    expect(list.text).toContain(shown(await own('etu.sciences1')));
    // Another student sees only theirs, never those of etu.sciences1.
    const other = await app.signIn('etu.sciences2');
    const otherList = (await other.get('/conventions').expect(200)).text;
    expect(otherList).toContain(shown(await own('etu.sciences2')));
    expect(otherList).not.toContain(`href="/conventions/${first}"`);
    expect(otherList).not.toContain('Moreau Léa');
  });
});
