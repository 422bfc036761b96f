import type { Knex } from 'knex';
import { insertable } from '../support/insertable.ts';

/**
 * Fixtures of the statistics tests: conventions with known facts, inserted in a year of their own so
 * that the demo conventions (of the current year) do not mix with the hand-computed counts.
 */
export const FIXTURE_YEAR = '2031-2032';

export const DEMO_HOSTS = {
  /** Nantes (44), NAF 62.01Z (section J), SAS, 20 à 49 salariés. */
  atlantique: 'Logiciels Atlantique',
  /** Brest (29), NAF 72.19Z (section M), association. */
  ocean: 'Laboratoire Océan Bleu',
  /** Lyon (69), NAF 69.10Z (section M), SCP. */
  lefevre: 'Cabinet Lefèvre Avocats',
  /** Montreuil (93), NAF 84.11Z (section O), collectivité territoriale. */
  montreuil: 'Mairie de Montreuil',
} as const;

export interface ConventionFacts {
  centre: 'UFR Sciences et techniques' | 'UFR Droit et économie' | 'IUT';
  student: string;
  step: string;
  status?: 'draft' | 'submitted' | 'pedagogically_validated' | 'validated' | 'refused' | 'cancelled';
  /** A draft that staff entered (staff see those; not the drafts students are writing). */
  enteredByStaff?: boolean;
  type?: string;
  gratification?: boolean;
  /** A demo host, or the name of a host made by `insertHosts`. */
  host: keyof typeof DEMO_HOSTS | (string & {});
  /** A service of the host with an address of its own (the place of the internship). */
  place?: { postalCode: string; town: string; country?: string };
  country?: string;
  start: string;
  end: string;
  supervisor?: string | null;
  workingTime?: string;
  daysPerWeek?: number;
  year?: string;
}

async function idOf(knex: Knex, table: string, where: Record<string, unknown>): Promise<number> {
  const row = (await knex(table).where(where).first('id')) as { id: number } | undefined;
  if (!row) throw new Error(`no ${table} ${JSON.stringify(where)}`);
  return row.id;
}

async function enrolment(knex: Knex, login: string, step: string, year: string): Promise<{ id: number; studentId: number }> {
  const studentId = await idOf(knex, 'student', { login });
  const existing = (await knex('enrolment').where({ student_id: studentId, academic_year: year, step_code: step }).first('id')) as { id: number } | undefined;
  if (existing) return { id: existing.id, studentId };
  const { faculty_code } = (await knex('study_step').where({ code: step }).first('faculty_code')) as { faculty_code: string };
  const [row] = (await knex('enrolment').insert({ student_id: studentId, academic_year: year, step_code: step, faculty_code }).returning('id')) as {
    id: number;
  }[];
  return { id: row!.id, studentId };
}

/** The host's demo service, or a service of its own address for the place of the internship. */
async function service(knex: Knex, hostId: number, place: ConventionFacts['place']): Promise<number> {
  if (!place) return idOf(knex, 'host_service', { host_id: hostId });
  const name = `Site de ${place.town}`;
  const existing = (await knex('host_service').where({ host_id: hostId, name }).first('id')) as { id: number } | undefined;
  if (existing) return existing.id;
  const [row] = (await knex('host_service')
    .insert({
      host_id: hostId,
      name,
      same_address_as_host: false,
      address: '1 rue du Port',
      postal_code: place.postalCode,
      town: place.town,
      country_code: place.country ?? 'FR',
      created_by: 'test',
    })
    .returning('id')) as { id: number }[];
  return row!.id;
}

/** Hosts in Paris, each with one service. */
export async function insertHosts(knex: Knex, names: string[]): Promise<void> {
  for (const name of names) {
    const [host] = (await knex('host').insert({ name, postal_code: '75011', town: 'Paris', country_code: 'FR', created_by: 'test' }).returning('id')) as {
      id: number;
    }[];
    await knex('host_service').insert({ host_id: host!.id, name: 'Siège', created_by: 'test' });
  }
}

/** Inserts conventions as copies of a demo convention with the given facts; returns their ids. */
export async function insertConventions(knex: Knex, conventions: ConventionFacts[]): Promise<number[]> {
  const {
    id: _id,
    number: _number,
    ...model
  } = await insertable(knex, 'convention', await knex('convention').whereNot({ status: 'draft' }).orderBy('id').first());
  const ids: number[] = [];
  for (const facts of conventions) {
    const year = facts.year ?? FIXTURE_YEAR;
    const status = facts.status ?? 'validated';
    const { id: enrolmentId, studentId } = await enrolment(knex, facts.student, facts.step, year);
    const hostId = await idOf(knex, 'host', { name: DEMO_HOSTS[facts.host as keyof typeof DEMO_HOSTS] ?? facts.host });
    const number =
      status === 'draft'
        ? null
        : ((await knex.raw("SELECT nextval('convention_number_seq')::int AS number")) as { rows: { number: number }[] }).rows[0]!.number;
    const paid = facts.gratification ?? true;
    const [row] = (await knex('convention')
      .insert({
        ...model,
        number,
        status,
        entered_by_staff: facts.enteredByStaff ?? false,
        student_id: studentId,
        enrolment_id: enrolmentId,
        centre_id: await idOf(knex, 'centre', { name: facts.centre }),
        academic_year: year,
        host_id: hostId,
        service_id: await service(knex, hostId, facts.place),
        tutor_id: null,
        signatory_id: null,
        supervisor_teacher_id: facts.supervisor ? await idOf(knex, 'teacher', { login: facts.supervisor }) : null,
        convention_type: facts.type ?? 'FI',
        gratification: paid,
        gratification_amount_cents: paid ? 450 : null,
        gratification_per: paid ? 'hour' : null,
        gratification_basis: paid ? 'NET' : null,
        internship_country: facts.country ?? 'FR',
        start_date: facts.start,
        end_date: facts.end,
        working_time: facts.workingTime ?? 'TCOMP',
        days_per_week: facts.daysPerWeek ?? 5,
        validated_amendment_count: 0,
      })
      .returning('id')) as { id: number }[];
    ids.push(row!.id);
  }
  return ids;
}

/** The cells of an HTML table found by the start of its caption: header row, body rows, footer row, as texts. */
export function tableOf(html: string, captionStart: string): string[][] {
  const tables = html.match(/<table[\s\S]*?<\/table>/g) ?? [];
  const table = tables.find((candidate) => {
    const caption = /<caption[^>]*>([\s\S]*?)<\/caption>/.exec(candidate)?.[1];
    return caption !== undefined && textOf(caption).startsWith(captionStart);
  });
  if (!table) throw new Error(`no table captioned "${captionStart}"`);
  return (table.match(/<tr[\s\S]*?<\/tr>/g) ?? []).map((row) => (row.match(/<t[hd][^>]*>[\s\S]*?<\/t[hd]>/g) ?? []).map(textOf));
}

const ENTITIES: Record<string, string> = { '&amp;': '&', '&lt;': '<', '&gt;': '>', '&#34;': '"', '&#39;': "'", '&quot;': '"' };

/** The text of some HTML: tags removed, entities decoded, spaces collapsed. */
export function textOf(html: string): string {
  return html
    .replace(/<[^>]+>/g, '')
    .replace(/&(amp|lt|gt|quot|#34|#39);/g, (entity) => ENTITIES[entity]!)
    .replace(/\s+/g, ' ')
    .trim();
}

/** The table of the statistics page as { row label: { column label: count } }, totals included. */
export function countsOf(html: string): Record<string, Record<string, number>> {
  const [header, ...rows] = tableOf(html, 'Conventions par');
  const counts: Record<string, Record<string, number>> = {};
  for (const row of rows) counts[row[0]!] = Object.fromEntries(header!.slice(1).map((column, index) => [column, Number(row[index + 1])]));
  return counts;
}

/** The address of every link of a page whose text is a number, with that number. */
export function figureLinks(html: string): { href: string; count: number }[] {
  return [...html.matchAll(/<a href="([^"]+)">(\d+)<\/a>/g)].map((match) => ({ href: match[1]!.replace(/&amp;/g, '&'), count: Number(match[2]) }));
}
