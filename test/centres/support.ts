import { crc32, deflateSync } from 'node:zlib';
import type { Knex } from 'knex';
import { expect } from 'vitest';
import type TestAgent from 'supertest/lib/agent.js';
import { csrfTokenFrom } from '../support/test-app.ts';

/** The demo centres of seeds/demo.ts, by a short name. */
export interface DemoCentres {
  etablissement: number;
  sciences: number;
  droit: number;
  iut: number;
  entreprise: number;
}

export async function demoCentres(knex: Knex): Promise<DemoCentres> {
  const rows = (await knex('centre').select('id', 'name')) as { id: number; name: string }[];
  const id = (name: string) => rows.find((row) => row.name === name)!.id;
  return {
    etablissement: id('Université de démonstration'),
    sciences: id('UFR Sciences et techniques'),
    droit: id('UFR Droit et économie'),
    iut: id('IUT'),
    entreprise: id('Centre entreprises'),
  };
}

/** Everything the centre pages can change, to prove that a refused request changed nothing. */
export async function centreTables(knex: Knex): Promise<string> {
  const [centres, criteria, members, audit] = await Promise.all([
    knex.raw("SELECT (to_jsonb(c) - 'logo') || jsonb_build_object('logo_md5', md5(c.logo)) AS row FROM centre c ORDER BY id"),
    knex('centre_criterion').orderBy('id'),
    knex('centre_member').orderBy('id'),
    knex('audit_log').count({ count: '*' }).first(),
  ]);
  return JSON.stringify({ centres: centres.rows, criteria, members, audit });
}

/** Posts a form as a browser would, with the session's CSRF token, and checks the status of the answer. */
export async function postForm(agent: TestAgent, path: string, fields: Record<string, string>, expectedStatus: number) {
  const token = await csrfTokenFrom(agent, '/');
  const response = await agent
    .post(path)
    .type('form')
    .send({ _csrf: token, ...fields });
  expect(response.status, `POST ${path}: ${response.text.slice(0, 300)}`).toBe(expectedStatus);
  return response;
}

/** The settings form of a centre as it is now, as the browser would send it back unchanged. */
export async function currentSettings(knex: Knex, centreId: number): Promise<Record<string, string>> {
  const centre = (await knex('centre').where({ id: centreId }).first()) as Record<string, unknown>;
  const fields: Record<string, string> = {};
  for (const column of [
    'name',
    'level',
    'address',
    'postal_code',
    'town',
    'phone',
    'email',
    'fax',
    'website',
    'instructions_url',
    'student_print_rule',
    'contacts_confidentiality',
    'signing_officer_name',
    'signing_officer_title',
  ]) {
    fields[column] = centre[column] === null ? '' : String(centre[column]);
  }
  for (const column of ['previous_year_months', 'copies', 'alert_delay_days', 'version']) fields[column] = String(centre[column]);
  for (const flag of [
    'tutor_mandatory',
    'supervisor_mandatory',
    'students_may_enter_tutor',
    'students_may_create',
    'pedagogical_validation_required',
    'overlapping_internships_allowed',
  ]) {
    if (centre[flag]) fields[flag] = 'on';
  }
  return fields;
}

function pngChunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const typed = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const checksum = Buffer.alloc(4);
  checksum.writeUInt32BE(crc32(typed));
  return Buffer.concat([length, typed, checksum]);
}

/** A valid 1×1 grey PNG. */
export function tinyPng(): Buffer {
  const header = Buffer.from([0, 0, 0, 1, 0, 0, 0, 1, 8, 0, 0, 0, 0]); // width 1, height 1, 8 bits, greyscale
  const pixels = deflateSync(Buffer.from([0, 0x80])); // filter byte, one grey pixel
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    pngChunk('IHDR', header),
    pngChunk('IDAT', pixels),
    pngChunk('IEND', Buffer.alloc(0)),
  ]);
}

/** A valid 1×1 grey baseline JPEG: one block whose coefficients are all zero. */
export function tinyJpeg(): Buffer {
  const segment = (marker: number, payload: number[]) => [0xff, marker, (payload.length + 2) >> 8, (payload.length + 2) & 0xff, ...payload];
  // One Huffman code, of length 1, for a single symbol: enough for "DC difference 0" and "end of block".
  const huffmanTable = (classAndId: number, symbol: number) => [classAndId, 1, ...new Array<number>(15).fill(0), symbol];
  return Buffer.from([
    0xff,
    0xd8,
    ...segment(0xe0, [0x4a, 0x46, 0x49, 0x46, 0x00, 1, 1, 0, 0, 1, 0, 1, 0, 0]),
    ...segment(0xdb, [0x00, ...new Array<number>(64).fill(1)]),
    ...segment(0xc0, [8, 0, 1, 0, 1, 1, 1, 0x11, 0]),
    ...segment(0xc4, [...huffmanTable(0x00, 0x00), ...huffmanTable(0x10, 0x00)]),
    ...segment(0xda, [1, 1, 0x00, 0, 63, 0]),
    0x3f, // DC code 0, end-of-block code 0, padded with ones
    0xff,
    0xd9,
  ]);
}
