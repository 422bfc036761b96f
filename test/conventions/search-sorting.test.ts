import type TestAgent from 'supertest/lib/agent.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { academicYearOf, todayInFrance } from '../../src/rules/academic-year.ts';
import { addDays } from '../../src/rules/calendar.ts';
import { startTestApp, type TestApp } from '../support/test-app.ts';

/**
 * The results of the convention search: 20 a page, sortable by number, student, host, start
 * date and status in both directions. Every sort, in each direction, gives the expected order across
 * the pages, following the page's own links, and the pages never repeat nor skip a row — ties
 * included (one student or host for several conventions, one start date for several, drafts without
 * number, host or dates).
 *
 * The demo conventions of the Sciences centre move to the IUT centre first: gest.sciences then sees
 * the 45 conventions of this file, whose expected orders are computed here.
 */

const today = todayInFrance();
const YEAR = academicYearOf(today, { month: 9, day: 1 });
const TOTAL = 45;

// One word each, so that every collation orders them alike once accents and case are set aside.
const STUDENTS = [
  { last_name: 'Martin', first_name: 'Bruno' },
  { last_name: 'bernard', first_name: 'Chloe' },
  { last_name: 'Émile', first_name: 'Zoe' },
  { last_name: 'Abel', first_name: 'Yves' },
  { last_name: 'Martin', first_name: 'Anne' },
  { last_name: 'Zola', first_name: 'Emma' },
  { last_name: 'Fabre', first_name: 'Hugo' },
];
const HOSTS = ['Delta', 'bravo', 'Écluse', 'Alpha', 'Zenith'];
const STATUSES = ['submitted', 'validated', 'refused', 'draft', 'cancelled', 'pedagogically_validated'] as const;
const LIFE_CYCLE = ['draft', 'submitted', 'pedagogically_validated', 'validated', 'refused', 'cancelled'];

interface Row {
  id: number;
  number: number | null;
  student: number;
  host: number | null;
  start: string | null;
  status: (typeof STATUSES)[number];
  /** The address of its row in the list. */
  link: string;
}

const plain = (text: string) => text.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
const compare = (a: string | number, b: string | number) => (a < b ? -1 : a > b ? 1 : 0);

/** The expected order of a sort, as the issue describes it; the id decides ties, in the same direction. */
function expectedOrder(rows: Row[], sort: string, direction: 'asc' | 'desc'): string[] {
  const sign = direction === 'asc' ? 1 : -1;
  const byId = (a: Row, b: Row) => sign * compare(a.id, b.id);
  /** Missing values last in both directions, or first. */
  const missing = (a: unknown, b: unknown, where: 'first' | 'last') => {
    if ((a === null) === (b === null)) return 0;
    return (a === null ? -1 : 1) * (where === 'first' ? 1 : -1);
  };
  const orders: Record<string, (a: Row, b: Row) => number> = {
    number: (a, b) => missing(a.number, b.number, 'first') || (a.number === null ? 0 : sign * compare(a.number, b.number!)) || byId(a, b),
    student: (a, b) =>
      sign * compare(plain(STUDENTS[a.student]!.last_name), plain(STUDENTS[b.student]!.last_name)) ||
      sign * compare(plain(STUDENTS[a.student]!.first_name), plain(STUDENTS[b.student]!.first_name)) ||
      byId(a, b),
    host: (a, b) => missing(a.host, b.host, 'last') || (a.host === null ? 0 : sign * compare(plain(HOSTS[a.host]!), plain(HOSTS[b.host!]!))) || byId(a, b),
    start: (a, b) => missing(a.start, b.start, 'last') || (a.start === null ? 0 : sign * compare(a.start, b.start!)) || byId(a, b),
    status: (a, b) =>
      sign * compare(LIFE_CYCLE.indexOf(a.status), LIFE_CYCLE.indexOf(b.status)) ||
      missing(a.number, b.number, 'first') ||
      (a.number === null ? 0 : sign * compare(a.number, b.number!)) ||
      byId(a, b),
  };
  return [...rows].sort(orders[sort]).map((row) => row.link);
}

const decode = (href: string) => href.replaceAll('&amp;', '&');

describe('sorting and paging the search results', () => {
  let app: TestApp;
  let staff: TestAgent;
  const rows: Row[] = [];

  beforeAll(async () => {
    app = await startTestApp();
    const knex = app.knex;
    const sciences = (await knex('centre').where({ name: 'UFR Sciences et techniques' }).first('id')).id;
    const iut = (await knex('centre').where({ name: 'IUT' }).first('id')).id;
    await knex('convention').where({ centre_id: sciences }).update({ centre_id: iut });

    const students: { id: number; enrolment: number }[] = [];
    for (const [index, student] of STUDENTS.entries()) {
      const [{ id }] = await knex('student')
        .insert({ ...student, login: `sort.${index}`, student_number: `3200000${index}` })
        .returning('id');
      const [enrolment] = await knex('enrolment').insert({ student_id: id, academic_year: YEAR, faculty_code: 'SCI', step_code: 'L3INFO' }).returning('id');
      students.push({ id, enrolment: enrolment.id });
    }
    const hosts: number[] = [];
    for (const name of HOSTS) {
      const [{ id }] = await knex('host').insert({ name, country_code: 'FR', created_by: 'test', updated_by: 'test' }).returning('id');
      hosts.push(id);
    }
    for (let index = 0; index < TOTAL; index += 1) {
      const status = STATUSES[index % STATUSES.length]!;
      const draft = status === 'draft';
      // Some drafts have no host nor dates yet.
      const bare = draft && index % 2 === 1;
      const student = (index * 5) % STUDENTS.length;
      const host = bare ? null : (index * 3) % HOSTS.length;
      const start = bare ? null : addDays(today, ((index * 7) % 9) * 10 - 40);
      const number = draft ? null : ((await knex.raw("SELECT nextval('convention_number_seq')::int AS number")).rows[0].number as number);
      const [{ id }] = await knex('convention')
        .insert({
          number,
          status,
          entered_by_staff: true,
          student_id: students[student]!.id,
          enrolment_id: students[student]!.enrolment,
          centre_id: sciences,
          academic_year: YEAR,
          host_id: host === null ? null : hosts[host],
          start_date: start,
          end_date: start === null ? null : addDays(start, 30),
          days_per_week: 5,
          hours_per_week: 35,
          total_presence_minutes: 6000,
          social_security_affiliation: 'ASSETUDIANT',
          subject: `Stage ${index}`,
          created_by: 'test',
          updated_by: 'test',
        })
        .returning('id');
      rows.push({ id, number, student, host, start, status, link: number === null ? `/conventions/drafts/${id}/summary` : `/conventions/${number}` });
    }
    staff = await app.signIn('gest.sciences');
  });
  afterAll(() => app?.close());

  /** Every page of a list, from its first page, following the "next page" links. */
  async function allPages(first: string): Promise<{ links: string[][]; html: string[] }> {
    const links: string[][] = [];
    const html: string[] = [];
    let address: string | null = first;
    while (address !== null) {
      const response = await staff.get(address);
      expect(response.status, address).toBe(200);
      html.push(response.text);
      links.push([...response.text.matchAll(/<tr>\s*<th scope="row"><a href="([^"]+)">/g)].map((match) => match[1]!));
      const next = /<a href="([^"]+)">Page suivante<\/a>/.exec(response.text);
      address = next ? decode(next[1]!) : null;
      expect(links.length).toBeLessThan(10);
    }
    return { links, html };
  }

  it('shows 20 conventions a page, with the total and the page number', async () => {
    const { links, html } = await allPages('/conventions?search=1');
    expect(links.map((page) => page.length)).toEqual([20, 20, 5]);
    expect(html[0]).toContain(`Conventions (${TOTAL})`);
    expect(html[0]).toContain('Page 1 sur 3');
    expect(html[2]).toContain('Page 3 sur 3');
    expect(html[0]).not.toContain('Page précédente');
    expect(html[1]).toContain('Page précédente');
    expect(html[2]).not.toContain('Page suivante');
    // The default order: newest number first, drafts (no number yet) on top.
    expect(links.flat()).toEqual(expectedOrder(rows, 'number', 'desc'));
  });

  for (const sort of ['number', 'student', 'host', 'start', 'status'] as const) {
    for (const direction of ['asc', 'desc'] as const) {
      it(`sorts by ${sort}, ${direction === 'asc' ? 'ascending' : 'descending'}, across the pages without repeating nor skipping a row`, async () => {
        const { links, html } = await allPages(`/conventions?search=1&sort=${sort}&direction=${direction}`);
        const all = links.flat();
        expect(new Set(all).size).toBe(all.length);
        expect([...all].sort()).toEqual(rows.map((row) => row.link).sort());
        expect(all).toEqual(expectedOrder(rows, sort, direction));
        // The page says which column sorts the list, and how.
        for (const page of html) {
          const sorted = [...page.matchAll(/<th scope="col" aria-sort="(ascending|descending)"><a href="([^"]+)">/g)];
          expect(sorted).toHaveLength(1);
          expect(sorted[0]![1]).toBe(direction === 'asc' ? 'ascending' : 'descending');
          // Its link sorts the other way.
          const link = new URLSearchParams(decode(sorted[0]![2]!).split('?')[1]);
          expect([link.get('sort'), link.get('direction')]).toEqual([sort, direction === 'asc' ? 'desc' : 'asc']);
        }
      });
    }
  }

  it('links each sortable column header: a click sorts by it, ascending (the number: newest first)', async () => {
    const page = (await staff.get('/conventions?search=1&status=validated').expect(200)).text;
    const headers = Object.fromEntries(
      [...page.matchAll(/<th scope="col"(?: aria-sort="[a-z]+")?><a href="([^"]+)">([^<]+)<\/a><\/th>/g)].map((match) => [
        match[2]!,
        new URLSearchParams(decode(match[1]!).split('?')[1]),
      ]),
    );
    expect(Object.keys(headers)).toEqual(['N°', 'Étudiant', 'Établissement d’accueil', 'Dates', 'État']);
    expect(headers['Étudiant']!.get('sort')).toBe('student');
    expect(headers['Étudiant']!.get('direction')).toBe('asc');
    expect(headers['Dates']!.get('sort')).toBe('start');
    // The criteria stay in the links.
    for (const link of Object.values(headers)) {
      expect(link.get('status')).toBe('validated');
      expect(link.get('search')).toBe('1');
    }
    // The number sorts the list already (newest first): its link sorts it oldest first.
    expect([headers['N°']!.get('sort'), headers['N°']!.get('direction')]).toEqual(['number', 'asc']);
  });

  it('keeps the sort and the criteria from page to page, and the form keeps the sort when searching again', async () => {
    const { links, html } = await allPages('/conventions?search=1&status=not_validated&sort=student&direction=asc');
    const expected = expectedOrder(
      rows.filter((row) => row.status !== 'validated'),
      'student',
      'asc',
    );
    expect(links.flat()).toEqual(expected);
    expect(html[0]).toContain('<input type="hidden" name="sort" value="student"><input type="hidden" name="direction" value="asc">');
  });

  it('answers a page past the last one, or a page number out of bounds, without an error', async () => {
    for (const page of ['4', '100000', '999999999999', '-1', 'x']) {
      const response = await staff.get(`/conventions?search=1&page=${page}`);
      expect(response.status, page).toBe(200);
    }
    const first = await staff.get('/conventions?search=1&page=-1').expect(200);
    expect(first.text).toContain('Page 1 sur 3');
  });
});
