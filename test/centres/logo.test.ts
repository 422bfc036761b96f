import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type TestAgent from 'supertest/lib/agent.js';
import { checkLogo, detectLogoType, MAX_LOGO_BYTES } from '../../src/centres/logo.ts';
import { csrfTokenFrom, startTestApp, type TestApp } from '../support/test-app.ts';
import { centreTables, demoCentres, postForm, tinyJpeg, tinyPng, type DemoCentres } from './support.ts';

describe('logo type detection', () => {
  it('knows PNG and JPEG by their first bytes, whatever the rest', () => {
    expect(detectLogoType(tinyPng())).toBe('image/png');
    expect(detectLogoType(tinyJpeg())).toBe('image/jpeg');
    expect(detectLogoType(Buffer.from('GIF89a'))).toBeNull();
    expect(detectLogoType(Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"/>'))).toBeNull();
    expect(detectLogoType(Buffer.from([0x89, 0x50, 0x4e]))).toBeNull();
  });

  it('refuses empty and over-large files', () => {
    expect(checkLogo(Buffer.alloc(0))).toEqual({ ok: false, problem: 'empty' });
    expect(checkLogo(Buffer.concat([tinyPng(), Buffer.alloc(MAX_LOGO_BYTES)]))).toEqual({ ok: false, problem: 'too_large' });
    expect(checkLogo(Buffer.concat([tinyPng(), Buffer.alloc(MAX_LOGO_BYTES - tinyPng().length)]))).toEqual({ ok: true, mimeType: 'image/png' });
  });
});

describe('the centre logo', () => {
  let testApp: TestApp;
  let centres: DemoCentres;
  let responsible: TestAgent;

  beforeAll(async () => {
    testApp = await startTestApp();
    centres = await demoCentres(testApp.knex);
    responsible = await testApp.signIn('resp.sciences');
  });
  afterAll(() => testApp.close());

  async function upload(file: Buffer | null, filename = 'logo.png', contentType = 'image/png') {
    const token = await csrfTokenFrom(responsible, `/centres/${centres.sciences}`);
    const request = responsible.post(`/centres/${centres.sciences}/logo`).field('_csrf', token);
    return file ? request.attach('logo', file, { filename, contentType }) : request;
  }

  const logoError = (html: string) => /id="field-logo-error">([^<]*)</.exec(html)?.[1];

  it('accepts a PNG, stores it in the database, shows it and serves it with its type', async () => {
    const png = tinyPng();
    const saved = await upload(png);
    expect(saved.status).toBe(302);
    const centre = await testApp.knex('centre').where({ id: centres.sciences }).first('logo', 'logo_mime_type', 'version');
    expect(centre.logo_mime_type).toBe('image/png');
    expect(Buffer.compare(centre.logo, png)).toBe(0);

    const page = await responsible.get(`/centres/${centres.sciences}`).expect(200);
    expect(page.text).toContain('Le logo a été enregistré.');
    expect(page.text).toContain(
      `<img class="logo-preview" src="/centres/${centres.sciences}/logo?v=${centre.version}" alt="Logo actuel du centre UFR Sciences et techniques">`,
    );

    const served = await (await testApp.signIn('lect.sciences')).get(`/centres/${centres.sciences}/logo`).buffer(true).expect(200);
    expect(served.headers['content-type']).toBe('image/png');
    expect(served.headers['x-content-type-options']).toBe('nosniff');
    expect(Buffer.compare(served.body as Buffer, png)).toBe(0);

    const entry = await testApp
      .knex('audit_log')
      .where({ action: 'centre.logo.update', entity_id: String(centres.sciences) })
      .first();
    expect(entry.actor_login).toBe('resp.sciences');
    expect(entry.after).toEqual({ logo_mime_type: 'image/png', logo_size: png.length });
    expect(JSON.stringify(entry)).not.toContain(png.toString('base64'));
  });

  it('accepts a JPEG, whatever name and declared type come with it', async () => {
    const jpeg = tinyJpeg();
    expect((await upload(jpeg, 'photo.bin', 'application/octet-stream')).status).toBe(302);
    expect((await testApp.knex('centre').where({ id: centres.sciences }).first('logo_mime_type')).logo_mime_type).toBe('image/jpeg');
    const served = await responsible.get(`/centres/${centres.sciences}/logo`).buffer(true).expect(200);
    expect(served.headers['content-type']).toBe('image/jpeg');
    expect(Buffer.compare(served.body as Buffer, jpeg)).toBe(0);
  });

  it.each([
    [
      'a file named .png whose bytes are not an image',
      Buffer.from('<html><script>alert(1)</script></html>'),
      'logo.png',
      'image/png',
      422,
      'Ce fichier n’est pas une image PNG ou JPEG',
    ],
    [
      'an SVG',
      Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'),
      'logo.svg',
      'image/svg+xml',
      422,
      'Ce fichier n’est pas une image PNG ou JPEG',
    ],
    ['an empty file', Buffer.alloc(0), 'logo.png', 'image/png', 422, 'Le fichier envoyé est vide.'],
    ['a PNG over 500 KB', Buffer.concat([tinyPng(), Buffer.alloc(MAX_LOGO_BYTES)]), 'logo.png', 'image/png', 413, 'Le logo dépasse 500 Ko'],
    ['a file over the 5 MB upload limit', Buffer.concat([tinyPng(), Buffer.alloc(6 * 1024 * 1024)]), 'logo.png', 'image/png', 413, 'Le logo dépasse 500 Ko'],
  ])('refuses %s, next to the field, changing nothing', async (_label, bytes, filename, contentType, status, message) => {
    const before = await centreTables(testApp.knex);
    const refused = await upload(bytes, filename, contentType);
    expect(refused.status).toBe(status);
    expect(logoError(refused.text)).toContain(message);
    expect(refused.text).toContain('href="#field-logo"');
    expect(await centreTables(testApp.knex)).toBe(before);
  });

  it('asks for a file when none is sent', async () => {
    const refused = await upload(null);
    expect(refused.status).toBe(422);
    expect(logoError(refused.text)).toBe('Choisissez un fichier PNG ou JPEG.');
  });

  it('deletes the logo; the address of the logo then answers 404', async () => {
    await postForm(responsible, `/centres/${centres.sciences}/logo/delete`, {}, 302);
    const centre = await testApp.knex('centre').where({ id: centres.sciences }).first('logo', 'logo_mime_type');
    expect(centre).toEqual({ logo: null, logo_mime_type: null });
    const page = await responsible.get(`/centres/${centres.sciences}`).expect(200);
    expect(page.text).toContain('Le logo a été supprimé.');
    expect(page.text).toContain('Ce centre n’a pas de logo.');
    await responsible.get(`/centres/${centres.sciences}/logo`).expect(404);
    const entry = await testApp
      .knex('audit_log')
      .where({ action: 'centre.logo.delete', entity_id: String(centres.sciences) })
      .first();
    expect(entry.before).toEqual({ logo_mime_type: 'image/jpeg', logo_size: tinyJpeg().length });
  });

  it('does not serve the logo of a centre to people of another centre', async () => {
    await testApp.knex('centre').where({ id: centres.droit }).update({ logo: tinyPng(), logo_mime_type: 'image/png' });
    await responsible.get(`/centres/${centres.droit}/logo`).expect(403);
    await (await testApp.signIn('gest.droit')).get(`/centres/${centres.droit}/logo`).expect(200);
  });
});
