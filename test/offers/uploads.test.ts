import { deflateRawSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkOfferFile, detectOfferFileType } from '../../src/offers/file-check.ts';
import { startTestApp, type TestApp } from '../support/test-app.ts';
import { offerFields, postOffer } from './support.ts';

/** A minimal ZIP archive (local headers, central directory, end record), as office documents are. */
function zip(entries: { name: string; content: string; deflate?: boolean }[]): Buffer {
  const parts: Buffer[] = [];
  const directory: Buffer[] = [];
  let offset = 0;
  for (const entry of entries) {
    const data = entry.deflate ? deflateRawSync(Buffer.from(entry.content)) : Buffer.from(entry.content);
    const name = Buffer.from(entry.name);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(entry.deflate ? 8 : 0, 8);
    local.writeUInt32LE(data.length, 18);
    local.writeUInt32LE(Buffer.byteLength(entry.content), 22);
    local.writeUInt16LE(name.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(entry.deflate ? 8 : 0, 10);
    central.writeUInt32LE(data.length, 20);
    central.writeUInt32LE(Buffer.byteLength(entry.content), 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(offset, 42);
    parts.push(local, name, data);
    directory.push(central, name);
    offset += local.length + name.length + data.length;
  }
  const directoryBytes = Buffer.concat(directory);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(directoryBytes.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...parts, directoryBytes, end]);
}

const PDF = Buffer.from('%PDF-1.4\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n');
const ODT = zip([
  { name: 'mimetype', content: 'application/vnd.oasis.opendocument.text' },
  { name: 'content.xml', content: '<office/>', deflate: true },
]);
const DOCX = zip([
  { name: '[Content_Types].xml', content: '<Types/>', deflate: true },
  { name: 'word/document.xml', content: '<w:document/>', deflate: true },
]);
const DOC = Buffer.concat([Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]), Buffer.alloc(512)]);

describe('the type of an offer file, read from its bytes', () => {
  it('recognises pdf, doc, docx and odt', () => {
    expect(detectOfferFileType(PDF)).toBe('application/pdf');
    expect(detectOfferFileType(DOC)).toBe('application/msword');
    expect(detectOfferFileType(DOCX)).toBe('application/vnd.openxmlformats-officedocument.wordprocessingml.document');
    expect(detectOfferFileType(ODT)).toBe('application/vnd.oasis.opendocument.text');
  });

  it('refuses other files, empty ones and those over 500 KB', () => {
    expect(checkOfferFile(Buffer.from('GIF89a……'))).toEqual({ ok: false, problem: 'wrong_type' });
    expect(checkOfferFile(zip([{ name: 'image.png', content: 'x' }]))).toEqual({ ok: false, problem: 'wrong_type' });
    expect(checkOfferFile(Buffer.alloc(0))).toEqual({ ok: false, problem: 'empty' });
    expect(checkOfferFile(Buffer.concat([PDF, Buffer.alloc(500 * 1024)]))).toEqual({ ok: false, problem: 'too_large' });
  });
});

describe('offers with an attached file', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp();
  });
  afterAll(() => app.close());

  const countOffers = async () => Number((await app.knex('offer').count({ count: '*' }).first())!.count);

  async function upload(bytes: Buffer, name: string) {
    const staff = await app.signIn('gest.sciences');
    return {
      staff,
      response: await postOffer(staff, app.knex, await offerFields(app.knex, { kind: 'file', title: 'Offre en pièce jointe' }), { bytes, name }),
    };
  }

  it('stores a file with an accented name and serves it back as its type', async () => {
    const { staff, response } = await upload(ODT, 'Offre été – équipe.odt');
    expect(response.status, response.text.slice(0, 2000)).toBe(302);
    const id = Number(/\/offers\/(\d+)/.exec(response.headers.location as string)![1]);
    const row = await app.knex('offer').where({ id }).first('kind', 'file_name', 'file_type', 'file_size');
    expect(row).toEqual({ kind: 'file', file_name: 'Offre été – équipe.odt', file_type: 'application/vnd.oasis.opendocument.text', file_size: ODT.length });
    const page = await staff.get(`/offers/${id}`).expect(200);
    expect(page.text).toContain('Offre été – équipe.odt');
    const file = await staff.get(`/offers/${id}/file`).expect(200);
    expect(file.headers['content-type']).toBe('application/vnd.oasis.opendocument.text');
    expect(file.headers['content-disposition']).toContain(encodeURIComponent('Offre été – équipe.odt'));
  });

  it.each([
    ['too large', Buffer.concat([PDF, Buffer.alloc(600 * 1024)]), 'offre.pdf', 'Le fichier dépasse 500 Ko.'],
    ['of the wrong type under a right-looking name', Buffer.from('MZ\x90\x00 not a document'), 'offre.pdf', 'son contenu ne correspond à aucun de ces formats'],
    ['empty', Buffer.alloc(0), 'vide.docx', 'Le fichier est vide.'],
  ])('refuses a file %s, with a clear message and nothing stored', async (_case, bytes, name, message) => {
    const before = await countOffers();
    const { response } = await upload(bytes, name);
    expect(response.status).toBe(422);
    expect(response.text).toContain(message);
    expect(response.text).toContain('value="Offre en pièce jointe"');
    expect(await countOffers()).toBe(before);
  });

  it('asks for the file when none is sent', async () => {
    const staff = await app.signIn('gest.sciences');
    const response = await postOffer(staff, app.knex, await offerFields(app.knex, { kind: 'file' }));
    expect(response.status).toBe(422);
    expect(response.text).toContain('Choisissez le fichier de l’offre.');
  });

  it('refuses a link that is not a web address, and keeps a good one', async () => {
    const staff = await app.signIn('gest.sciences');
    const bad = await postOffer(staff, app.knex, await offerFields(app.knex, { kind: 'link', link_url: 'javascript:alert(1)' }));
    expect(bad.status).toBe(422);
    expect(bad.text).toContain('Adresse web invalide');
    const good = await postOffer(staff, app.knex, await offerFields(app.knex, { kind: 'link', link_url: 'https://emplois.example.fr/offre/42' }));
    expect(good.status).toBe(302);
  });
});
