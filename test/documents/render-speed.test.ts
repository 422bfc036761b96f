import { deflateSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pdf from 'pdf-parse/lib/pdf-parse.js';
import { loadActor } from '../../src/access/actor.ts';
import { renderConvention } from '../../src/documents/pdf.ts';
import { documentData, type DocumentData } from '../../src/documents/service.ts';
import { startTestApp, type TestApp } from '../support/test-app.ts';

/**
 * Speed of a 5-page convention (one bilingual English copy of the validated demo convention);
 * `npm run bench` prints the milliseconds of the machine it runs on. Milliseconds vary too much between
 * machines and loads to be asserted, so the rendering is compared with a fixed reference work done just
 * before it: the limit, about twice the usual ratio, catches a drawing that has become twice as costly.
 */
const RATIO_LIMIT = 20;

const SAMPLE = Array.from({ length: 2000 }, (_, line) => ({
  line,
  text: `Article ${line} — la convention règle les relations entre l’établissement, l’organisme d’accueil et le stagiaire.`,
}));

/** A fixed amount of work of the kinds the drawing does (objects, strings, compression). */
function referenceWork(): void {
  for (let round = 0; round < 5; round += 1) deflateSync(Buffer.from(JSON.stringify(SAMPLE.map((row) => ({ ...row, text: row.text.toUpperCase() })))));
}

async function processorTime(work: () => unknown): Promise<number> {
  const started = process.cpuUsage();
  await work();
  const used = process.cpuUsage(started);
  return (used.user + used.system) / 1000;
}

describe('rendering speed', () => {
  let app: TestApp;
  let data: DocumentData;

  beforeAll(async () => {
    app = await startTestApp();
    const admin = await loadActor(app.knex, 'admin', ['admin']);
    const { number } = (await app.knex('convention').where({ status: 'validated' }).first('number')) as { number: number };
    data = await documentData(app.knex, admin!, number, 'convention');
  });

  afterAll(async () => {
    await app?.close();
  });

  it('renders a 5-page convention within 20 times a reference work (median of 15 warm runs)', async () => {
    const render = () => renderConvention(data, { language: 'en', printedOn: '2026-11-23', copies: 1 });
    const first = await render();
    expect((await pdf(first)).numpages).toBe(5);
    for (let warm = 0; warm < 3; warm += 1) await render();
    const ratios: number[] = [];
    const rendering: number[] = [];
    for (let run = 0; run < 15; run += 1) {
      const reference = await processorTime(referenceWork);
      const drawing = await processorTime(render);
      rendering.push(drawing);
      ratios.push(drawing / reference);
    }
    const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
    process.stdout.write(
      `convention.pdf, 5 pages: ${median(rendering).toFixed(1)} ms of processor time (median), ${median(ratios).toFixed(2)} times the reference work\n`,
    );
    expect(median(ratios)).toBeLessThan(RATIO_LIMIT);
  });
});
