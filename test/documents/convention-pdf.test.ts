import type TestAgent from 'supertest/lib/agent.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadLegalParameters } from '../../src/conventions/shared/legal.ts';
import { documentTexts, DOCUMENT_LANGUAGES, ARTICLE_KEYS } from '../../src/documents/texts.ts';
import { computePresence } from '../../src/rules/presence-hours.ts';
import { formatEuros, formatHours } from '../../src/rules/units.ts';
import { startTestApp, type TestApp } from '../support/test-app.ts';
import { fetchPdf, normalise } from './support.ts';

/**
 * The printed convention (docs/domain.md), read back with pdf-parse: parties, computed hours, every
 * D124-4 mention in each language, copies marked for their recipient, page n / N, no "undefined".
 */
const texts = documentTexts().convention;
const fr = texts.fr;

// A 1×1 PNG, as a centre's logo.
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64');

interface DemoConvention {
  number: number;
  status: string;
  start_date: string;
  end_date: string;
  days_per_week: string;
  hours_per_week: string;
  gratification_amount_cents: number;
  student_first_name: string;
  student_last_name: string;
  host_name: string;
  tutor_first_name: string;
  tutor_last_name: string;
  supervisor_first_name: string | null;
  supervisor_last_name: string | null;
  centre_name: string;
  centre_id: number;
}

describe('convention.pdf, summary.pdf and certificate.pdf', () => {
  let app: TestApp;
  let admin: TestAgent;
  let demo: DemoConvention[];
  let validated: DemoConvention;

  beforeAll(async () => {
    app = await startTestApp();
    admin = await app.signIn('admin');
    demo = (await app
      .knex('convention as c')
      .join('student as s', 's.id', 'c.student_id')
      .join('host as h', 'h.id', 'c.host_id')
      .join('host_contact as k', 'k.id', 'c.tutor_id')
      .join('centre as ce', 'ce.id', 'c.centre_id')
      .leftJoin('teacher as t', 't.id', 'c.supervisor_teacher_id')
      .whereNotNull('c.number')
      .orderBy('c.number')
      .select(
        'c.number',
        'c.status',
        'c.start_date',
        'c.end_date',
        'c.days_per_week',
        'c.hours_per_week',
        'c.gratification_amount_cents',
        's.first_name as student_first_name',
        's.last_name as student_last_name',
        'h.name as host_name',
        'k.first_name as tutor_first_name',
        'k.last_name as tutor_last_name',
        't.first_name as supervisor_first_name',
        't.last_name as supervisor_last_name',
        'ce.name as centre_name',
        'ce.id as centre_id',
      )) as DemoConvention[];
    validated = demo.find((convention) => convention.status === 'validated')!;
  });

  afterAll(async () => {
    await app?.close();
  });

  const hoursOf = async (convention: DemoConvention) => {
    const parameters = await loadLegalParameters(app.knex);
    return computePresence(
      {
        startDate: convention.start_date,
        endDate: convention.end_date,
        daysPerWeek: Number(convention.days_per_week),
        hoursPerWeek: convention.hours_per_week,
      },
      parameters,
    ).totalMinutes;
  };

  it('keeps the 15 mentions of D124-4 of the database in every language of the texts', async () => {
    const rows = await app.knex('legal_mention').where({ article: 'D124-4' }).count({ count: '*' }).first();
    expect(Number(rows?.count)).toBe(15);
    for (const language of DOCUMENT_LANGUAGES) {
      expect(texts[language].mentions).toHaveLength(15);
      expect(texts[language].articles.map((article) => article.key)).toEqual([...ARTICLE_KEYS]);
      expect(Object.keys(texts[language].labels).sort()).toEqual(Object.keys(fr.labels).sort());
    }
  });

  it('prints the French convention with the parties, the computed hours, every D124-4 mention and three marked copies', async () => {
    const answer = await fetchPdf(admin, `/conventions/${validated.number}/convention.pdf`);
    expect(answer.status).toBe(200);
    expect(answer.headers['content-type']).toBe('application/pdf');
    expect(answer.headers['content-disposition']).toBe(`inline; filename="convention-${validated.number}-fr.pdf"`);
    expect(answer.headers['cache-control']).toBe('no-store');
    expect(answer.bytes.includes('/FontFile2')).toBe(true);
    const { text } = answer;
    expect(text).toContain(`${validated.student_first_name} ${validated.student_last_name}`);
    expect(text).toContain(validated.host_name);
    expect(text).toContain(`${validated.tutor_first_name} ${validated.tutor_last_name}`);
    expect(text).toContain(`${validated.supervisor_first_name} ${validated.supervisor_last_name}`);
    expect(text).toContain(validated.centre_name);
    expect(text).toContain(normalise(`Durée totale de présence effective : ${formatHours(await hoursOf(validated))}`));
    expect(text).toContain(normalise(`Durée hebdomadaire de présence : ${formatHours(35 * 60)}`));
    for (const mention of fr.mentions) expect(text).toContain(normalise(mention));
    for (const article of fr.articles) expect(text).toContain(normalise(article.title));
    for (const block of ['signatureInstitution', 'signatureHost', 'signatureStudent', 'signatureSupervisor', 'signatureTutor'])
      expect(text).toContain(normalise(fr.labels[block]!));
    for (const recipient of ["l'organisme d'accueil", "l'étudiant", "l'établissement"]) expect(text).toContain(`Exemplaire destiné à : ${recipient}`);
    // Three copies of the same length, each numbered on its own.
    expect(answer.pages % 3).toBe(0);
    const perCopy = answer.pages / 3;
    for (let n = 1; n <= perCopy; n += 1) expect(text.split(`page ${n} / ${perCopy}`).length - 1).toBe(3);
    expect(text).toMatch(/Imprimé le \d{2}\/\d{2}\/\d{4}/);
    expect(text).not.toMatch(/undefined|null|NaN/);
  });

  it('prints the English convention bilingual: each D124-4 mention in English followed by the French', async () => {
    const { status, text } = await fetchPdf(admin, `/conventions/${validated.number}/convention.pdf?lang=en`);
    expect(status).toBe(200);
    expect(text).toContain('Internship agreement / Convention de stage');
    texts.en.mentions.forEach((mention, index) => expect(text).toContain(normalise(`${mention} / ${fr.mentions[index]}`)));
    expect(text).toContain(normalise(`Total duration of effective presence / Durée totale de présence effective : ${formatHours(await hoursOf(validated))}`));
    expect(text).toContain("Copy for: / Exemplaire destiné à : the student / l'étudiant");
    expect(text).not.toMatch(/undefined|null|NaN/);
  });

  it.each(['es', 'de', 'it'] as const)('prints the convention in %s, each text followed by the French', async (language) => {
    const { status, text } = await fetchPdf(admin, `/conventions/${validated.number}/convention.pdf?lang=${language}`);
    expect(status).toBe(200);
    texts[language].mentions.forEach((mention, index) => expect(text).toContain(normalise(`${mention} / ${fr.mentions[index]}`)));
    expect(text).toContain(normalise(texts[language].articles[12]!.body));
    expect(text).toContain(normalise(fr.articles[12]!.body));
    expect(text).not.toMatch(/undefined|null|NaN/);
  });

  it('answers 400 to an unknown language', async () => {
    const response = await admin.get(`/conventions/${validated.number}/convention.pdf?lang=xx`);
    expect(response.status).toBe(400);
    expect((await admin.get(`/conventions/${validated.number}/convention.pdf?lang=en&lang=fr`)).status).toBe(400);
  });

  it('prints the number of copies of the centre, with its logo, and leaves out missing optional values', async () => {
    await app.knex('centre').where({ id: validated.centre_id }).update({ copies: 2, logo: PNG, logo_mime_type: 'image/png' });
    try {
      const answer = await fetchPdf(admin, `/conventions/${validated.number}/convention.pdf`);
      expect(answer.status).toBe(200);
      expect(answer.bytes.includes('/Subtype /Image')).toBe(true);
      expect(answer.text).toContain("Exemplaire destiné à : l'organisme d'accueil");
      expect(answer.text).toContain("Exemplaire destiné à : l'étudiant");
      expect(answer.text).not.toContain("Exemplaire destiné à : l'établissement");
      // The Droit centre has no signing officer, the demo student no phone: their lines are left out.
      expect(answer.text).toContain("Courriel : stages-droit@univ-demo.fr L'organisme d'accueil");
      expect(answer.text).toMatch(/Date de naissance : [\d/]+ Adresse : [^:]+ Courriel : /);
    } finally {
      await app.knex('centre').where({ id: validated.centre_id }).update({ copies: 3, logo: null, logo_mime_type: null });
    }
  });

  it('prints the certificate (D124-9) of a validated convention with the computed duration and gratification', async () => {
    const answer = await fetchPdf(admin, `/conventions/${validated.number}/certificate.pdf`);
    expect(answer.status).toBe(200);
    expect(answer.headers['cache-control']).toBe('no-store');
    expect(answer.headers['content-disposition']).toMatch(/^inline; filename="attestation-stage-\d+\.pdf"$/);
    const minutes = await hoursOf(validated);
    expect(answer.text).toContain('Attestation de stage');
    expect(answer.text).toContain(normalise(`Durée effective totale du stage : ${formatHours(minutes)}`));
    expect(answer.text).toContain(
      normalise(`Montant total de la gratification versée : ${formatEuros(Math.round((validated.gratification_amount_cents * minutes) / 60))}`),
    );
    expect(answer.text).toContain(`${validated.student_first_name} ${validated.student_last_name}`);
    expect(answer.text).toContain('page 1 / 1');
  });

  it('prints no "undefined" or "null" in any document of the demo conventions', async () => {
    expect(demo.length).toBeGreaterThanOrEqual(5);
    for (const convention of demo) {
      const paths = [
        `/conventions/${convention.number}/convention.pdf`,
        `/conventions/${convention.number}/convention.pdf?lang=en`,
        `/conventions/${convention.number}/summary.pdf`,
      ];
      if (convention.status === 'validated') paths.push(`/conventions/${convention.number}/certificate.pdf`);
      for (const path of paths) {
        const answer = await fetchPdf(admin, path);
        expect(answer.status, path).toBe(200);
        expect(answer.text, path).not.toMatch(/undefined|null|NaN|\[object/);
        expect(answer.text, path).toContain(`${convention.student_first_name} ${convention.student_last_name}`);
        expect(answer.text, path).toMatch(/page 1 \/ \d+/);
      }
    }
  });
});
