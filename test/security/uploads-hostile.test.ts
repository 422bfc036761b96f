import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Knex } from 'knex';
import type TestAgent from 'supertest/lib/agent.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_UPLOAD_BYTES } from '../../src/web/uploads.ts';
import { newDepositLink } from '../offers/deposit-support.ts';
import { startTestApp, type TestApp } from '../support/test-app.ts';
import type { FoundForm } from './hostile-crawl.ts';
import { formsIn, type FormField } from './hostile-html.ts';

/**
 * Hostile uploads (production readiness): every upload form (centre logo, offer file, directory
 * import) gets oversized, empty and mislabelled files; then a flood of concurrent oversized uploads.
 * Uploads live in PostgreSQL: the process's temporary directory — a private one for this file — must
 * stay empty, and the memory of the process (the application and its client) bounded.
 */
const temporaryDirectory = mkdtempSync(path.join(os.tmpdir(), 'conventio-uploads-'));
const previousTemporaryDirectory = process.env.TMPDIR;
process.env.TMPDIR = temporaryDirectory;

const PNG = Buffer.from('89504e470d0a1a0a0000000d4948445200000001000000010806000000', 'hex');
const OVER_THE_PARSER_LIMIT = Buffer.alloc(MAX_UPLOAD_BYTES + 1024 * 1024, 0x41);

interface UploadForm {
  login: string;
  agent: TestAgent;
  form: FoundForm;
  file: FormField;
}

/** The image/document/table a form asks for, as another kind of file under a name and type it accepts. */
function mislabelled(file: FormField): { bytes: Buffer; filename: string; contentType: string } {
  const accepted = (file.accept ?? '').split(',').map((type) => type.trim());
  if (accepted.some((type) => type.startsWith('image/')))
    return { bytes: Buffer.from('Ceci est un texte, pas une image.\n'), filename: 'logo.png', contentType: 'image/png' };
  const extension = accepted.find((type) => type.startsWith('.')) ?? '.bin';
  const contentType = accepted.find((type) => type.includes('/')) ?? 'application/octet-stream';
  return { bytes: PNG, filename: `fichier${extension}`, contentType };
}

/** Every byte stored in the database, and every change recorded: equal before and after means nothing was stored. */
async function storedBytes(knex: Knex): Promise<string> {
  const columns = (await knex('information_schema.columns').where({ table_schema: 'public', data_type: 'bytea' }).select('table_name', 'column_name')) as {
    table_name: string;
    column_name: string;
  }[];
  const sums = await Promise.all(
    columns.map(
      async (column) =>
        (
          await knex(column.table_name)
            .sum({ bytes: knex.raw('length(??)', [column.column_name]) })
            .first()
        )?.bytes ?? 0,
    ),
  );
  const changes = ((await knex('audit_log').count({ n: '*' }).first()) as { n: string }).n;
  return `${sums.join(' ')} audit:${changes}`;
}

describe('hostile uploads', () => {
  let app: TestApp;
  const uploadForms: UploadForm[] = [];

  /** The multipart forms of a page, as an actor sees it. */
  async function uploadFormsOn(login: string, page: string) {
    const agent = await app.signIn(login);
    const html = (await agent.get(page).expect(200)).text;
    for (const form of formsIn(html, page).filter((candidate) => candidate.multipart)) {
      uploadForms.push({ login, agent, form: { ...form, page }, file: form.fields.find((field) => field.kind === 'file')! });
    }
  }

  beforeAll(async () => {
    app = await startTestApp();
    const sciences = (await app.knex('centre').where({ name: 'UFR Sciences et techniques' }).first('id')) as { id: number };
    const offer = (await app.knex('offer').where({ centre_id: sciences.id }).orderBy('id').first('id')) as { id: number };
    await uploadFormsOn('resp.sciences', `/centres/${sciences.id}`);
    await uploadFormsOn('gest.sciences', `/offers/${offer.id}/edit/content`);
    await uploadFormsOn('admin', '/admin/imports');
  }, 60_000);
  afterAll(async () => {
    await app.close();
    // Test files may share this process: the others keep the usual temporary directory.
    if (previousTemporaryDirectory === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = previousTemporaryDirectory;
    rmSync(temporaryDirectory, { recursive: true, force: true });
  });

  /** The form with its other fields as a person fills them: the first choice of a list, "a file" when a radio offers it. */
  function post({ agent, form, file }: UploadForm, upload: { bytes: Buffer; filename: string; contentType: string }) {
    let request = agent.post(form.action);
    for (const field of form.fields) {
      if (field.kind === 'file' || field.kind === 'button') continue;
      const value =
        field.kind === 'radio' && field.options.includes(file.name)
          ? file.name
          : field.kind === 'select' && field.values[0] === ''
            ? (field.options.find(Boolean) ?? '')
            : field.values[0];
      if (value !== undefined) request = request.field(field.name, value);
    }
    return request.attach(file.name, upload.bytes, { filename: upload.filename, contentType: upload.contentType });
  }

  it('finds the upload forms of the centre logo, the offer file and the directory import', () => {
    expect(uploadForms.map(({ form, file }) => `${form.action.replace(/\d+/g, ':n')} ${file.name}`)).toEqual([
      '/centres/:n/logo logo',
      '/offers/:n/edit/content file',
      '/admin/imports file',
    ]);
  });

  it.each([
    ['over the 5 MB the parser reads', () => ({ bytes: OVER_THE_PARSER_LIMIT, filename: 'grand.png', contentType: 'image/png' })],
    ['empty', () => ({ bytes: Buffer.alloc(0), filename: 'vide.png', contentType: 'image/png' })],
    ['of another type under an accepted name and type', mislabelled],
  ] as const)(
    'refuses a file %s with a French message next to the field, and stores nothing',
    async (_case, fileFor) => {
      for (const upload of uploadForms) {
        const before = await storedBytes(app.knex);
        const answer = await post(upload, fileFor(upload.file));
        const label = `${upload.login} ${upload.form.action}`;
        expect(answer.status, label).toBeGreaterThanOrEqual(400);
        expect(answer.status, label).toBeLessThan(500);
        expect(answer.text, label).toMatch(new RegExp(`id="field-${upload.file.name}-error">[^<]+<`));
        expect(await storedBytes(app.knex), label).toBe(before);
      }
    },
    60_000,
  );

  it('survives 50 concurrent oversized uploads: each refused with its message, memory bounded, nothing on disk', async () => {
    const logo = uploadForms[0]!;
    const before = await storedBytes(app.knex);
    const start = process.memoryUsage().rss;
    let peak = start;
    const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 10);
    const answers = await Promise.all(
      Array.from({ length: 50 }, () => post(logo, { bytes: OVER_THE_PARSER_LIMIT, filename: 'grand.png', contentType: 'image/png' })),
    );
    clearInterval(sampler);
    peak = Math.max(peak, process.memoryUsage().rss);

    expect(answers.map((answer) => answer.status)).toEqual(answers.map(() => 413));
    expect(answers.every((answer) => /id="field-logo-error">[^<]+</.test(answer.text))).toBe(true);
    // The parser holds at most 5 MB of each upload before it gives up: 50 × 5 MB is the worst case; the
    // requests themselves share one buffer. 300 MB would mean files are copied, kept or read whole.
    const growthMb = Math.round((peak - start) / 1024 / 1024);
    expect(growthMb, `the process grew by ${growthMb} MB`).toBeLessThan(300);
    expect(await storedBytes(app.knex)).toBe(before);
    expect(os.tmpdir()).toBe(temporaryDirectory);
    expect(readdirSync(temporaryDirectory)).toEqual([]);
  }, 120_000);

  it('refuses a form body over 200 KB whole, with a French message', async () => {
    const { agent, form } = uploadForms[0]!;
    const csrf = form.fields.find((field) => field.name === '_csrf')!.values[0]!;
    // The centre's settings, beside its logo: a plain form, whose body the application reads whole.
    const answer = await agent
      .post(form.action.replace(/\/logo$/, ''))
      .type('form')
      .send({ _csrf: csrf, name: 'x'.repeat(300 * 1024) });
    expect(answer.status).toBe(413);
    expect(answer.text).toContain('<h1>Envoi trop volumineux</h1>');
  });

  it('refuses anonymous uploads before reading them, even to the public deposit page', async () => {
    const link = await newDepositLink(app, await app.signIn('agent.stages'));
    const answers = await Promise.all(
      Array.from({ length: 20 }, () =>
        app
          .anonymous()
          .post(link)
          .field('title', 'Offre')
          .attach('file', OVER_THE_PARSER_LIMIT, { filename: 'grand.pdf', contentType: 'application/pdf' })
          .then(
            (answer) => ({ status: answer.status, text: answer.text }),
            (error: { code?: string }) => ({ status: 0, text: error.code ?? '' }),
          ),
      ),
    );
    const refused = answers.filter((answer) => answer.status === 401);
    expect(refused.length + answers.filter((answer) => answer.text === 'EPIPE' || answer.text === 'ECONNRESET').length).toBe(20);
    expect(refused.length).toBeGreaterThan(0);
    for (const answer of refused) expect(answer.text).toContain('Connexion nécessaire');
    expect(readdirSync(temporaryDirectory)).toEqual([]);
  }, 60_000);
});
