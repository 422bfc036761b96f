import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumAvailable, expectNoAccessibilityViolation, fieldLabelled, startBrowserHarness, type BrowserHarness } from '../support/browser.ts';
import { demoCentres, type DemoCentres } from '../centres/support.ts';
import { createApp } from '../../src/app.ts';
import { loadConfig } from '../../src/config.ts';
import { createLogger } from '../../src/logger.ts';
import { listRoutes } from '../../src/web/route-inventory.ts';

/** The GET routes that answer something else than a page (files, data, redirections), and why. */
const NOT_PAGES: Record<string, string> = {
  '/static/*splat': 'style sheets, scripts and images',
  '/favicon.ico': 'redirection to the icon',
  '/healthz': 'JSON for the supervision',
  '/centres/:id/logo': 'image',
  '/conventions/export.csv': 'download',
  '/statistics/export.xlsx': 'download',
  '/offers/:id/file': 'download',
  '/offers/:id/offer.pdf': 'download',
  '/conventions/:number/convention.pdf': 'download',
  '/conventions/:number/summary.pdf': 'download',
  '/conventions/:number/certificate.pdf': 'download',
  '/conventions/:number/amendments/:amendment/amendment.pdf': 'download',
  '/conventions/:number/summary': 'redirection to /conventions/:number',
  '/conventions/drafts/:id': 'redirection to the draft’s summary',
  '/me/data': 'download of one’s personal data (JSON)',
  '/metrics': 'measures for Prometheus',
};

/**
 * axe-core on one page of every page type of Conventio (every GET route rendering HTML, the error pages,
 * and the forms answered with their errors), each seen by the person who normally sees it, in one
 * browser session per person. A form in error must tie each message to its field (aria-describedby)
 * and mark the field invalid (aria-invalid), and its summary's links must lead to the fields.
 */
describe.skipIf(!chromiumAvailable)('every page type in Chromium', () => {
  let harness: BrowserHarness;
  let centres: DemoCentres;
  const ids = { draft: 0, submitted: 0, pedagogical: 0, validated: 0, refused: 0, host: 0, service: 0, contact: 0, publishedOffer: 0, savedOffer: 0 };
  let depositLink = '';
  // Two cores shared with other test files: a person's pages may take longer than the default 30 s.
  const TIMEOUT = 90000;
  /** The route patterns visited, to be compared with the application's routes. */
  const visited = new Set<string>();
  /** One browser session per person, kept from one test to the next. */
  const sessions = new Map<string, Page>();

  beforeAll(async () => {
    harness = await startBrowserHarness();
    const knex = harness.database.knex;
    centres = await demoCentres(knex);
    const conventions = (await knex('convention').select('id', 'number', 'subject', 'host_id', 'service_id', 'tutor_id')) as {
      id: number;
      number: number | null;
      subject: string;
      host_id: number;
      service_id: number;
      tutor_id: number;
    }[];
    const convention = (subject: string) => conventions.find((row) => row.subject === subject)!;
    ids.draft = convention('Analyse de données de capteurs').id;
    const submitted = convention('Développement d’une application web de suivi');
    Object.assign(ids, { submitted: submitted.number, host: submitted.host_id, service: submitted.service_id, contact: submitted.tutor_id });
    ids.pedagogical = convention('Étude de la biodiversité d’un site industriel').number!;
    ids.validated = convention('Veille juridique en droit des contrats').number!;
    ids.refused = convention('Assistanat juridique').number!;
    const offer = async (title: string) => ((await knex('offer').where({ title }).first('id')) as { id: number }).id;
    ids.publishedOffer = await offer('Stage développement d’une application mobile');
    ids.savedOffer = await offer('Alternance développeur back-end');
  });
  afterAll(async () => {
    for (const page of sessions.values()) await page.context().close();
    await harness?.close();
  });

  async function as(login: string): Promise<Page> {
    if (!sessions.has(login)) {
      const page = await harness.pageSignedInAs(login);
      page.setDefaultTimeout(10000);
      sessions.set(login, page);
    }
    return sessions.get(login)!;
  }

  async function anonymousPage(): Promise<Page> {
    const context = await harness.browser.newContext({ baseURL: harness.baseUrl, locale: 'fr-FR' });
    const page = await context.newPage();
    page.setDefaultTimeout(10000);
    return page;
  }

  /** Opens `path` (an instance of `route`), checks the status of the answer and runs axe on the page. */
  async function visit(page: Page, route: string, path: string, status = 200): Promise<void> {
    const response = await page.goto(path);
    expect(response?.status(), path).toBe(status);
    expect(new URL(page.url()).pathname, 'not redirected').toBe(path.replace(/\?.*$/, ''));
    await expectNoAccessibilityViolation(page);
    visited.add(route);
  }

  /**
   * Sends the form holding the field `name` as a browser without HTML validation would (so that the
   * server's own checks answer), then checks the page in error: status, messages tied to their fields, axe.
   */
  async function submitInvalid(page: Page, name: string, status = 422): Promise<void> {
    const form = page.locator('form', { has: page.locator(`[name="${name}"]`) }).first();
    await form.evaluate((element: HTMLFormElement) => {
      element.noValidate = true;
    });
    const [response] = await Promise.all([page.waitForNavigation(), form.locator('button[type="submit"]').first().click()]);
    expect(response?.status(), `${page.url()} after sending the form of ${name}`).toBe(status);
    await expectErrorsTiedToFields(page);
    await expectNoAccessibilityViolation(page);
  }

  async function expectErrorsTiedToFields(page: Page): Promise<void> {
    const problems = await page.evaluate(() => {
      const found: string[] = [];
      const messages = Array.from(document.querySelectorAll<HTMLElement>('.field__error'));
      if (messages.length === 0) found.push('no error message next to a field');
      for (const message of messages) {
        const owners = Array.from(document.querySelectorAll<HTMLElement>('[aria-describedby]')).filter((element) =>
          element.getAttribute('aria-describedby')!.split(/\s+/).includes(message.id),
        );
        if (message.id === '' || owners.length === 0) {
          found.push(`"${message.textContent?.trim()}" is not tied to a field`);
          continue;
        }
        for (const owner of owners) {
          const controls = owner.matches('input, select, textarea') ? [owner] : Array.from(owner.querySelectorAll<HTMLElement>('input, select, textarea'));
          if (controls.length === 0 || controls.some((control) => control.getAttribute('aria-invalid') !== 'true'))
            found.push(`the field of "${message.textContent?.trim()}" is not marked invalid`);
        }
      }
      for (const link of Array.from(document.querySelectorAll<HTMLAnchorElement>('#error-summary a[href^="#"]'))) {
        if (!document.getElementById(link.hash.slice(1))) found.push(`the summary link "${link.textContent?.trim()}" leads nowhere`);
      }
      return found;
    });
    expect(problems, page.url()).toEqual([]);
  }

  it(
    'anonymous visitors: sign-in, welcome, help, errors',
    async () => {
      const page = await anonymousPage();
      try {
        await visit(page, '/auth/login', '/auth/login');
        await visit(page, '/', '/');
        await visit(page, '/help', '/help');
        await visit(page, '/privacy', '/privacy');
        await visit(page, '/accessibility', '/accessibility');
        await visit(page, '404', '/aucune-page-ici', 404);
        // A private page sends the visitor to the sign-in page.
        await page.goto('/conventions');
        expect(new URL(page.url()).pathname).toBe('/auth/login');
        // A demo account that does not exist: the sign-in page in error.
        await page
          .locator('form[action="/auth/demo"]')
          .first()
          .evaluate((form: HTMLFormElement) => {
            (form.elements.namedItem('login') as HTMLInputElement).value = 'inconnu';
          });
        const [refused] = await Promise.all([page.waitForNavigation(), page.locator('form[action="/auth/demo"] button').first().click()]);
        expect(refused?.status()).toBe(400);
        await expectNoAccessibilityViolation(page);
      } finally {
        await page.context().close();
      }
    },
    TIMEOUT,
  );

  it(
    'a student: home, the wizard’s steps and their errors, offers, refused pages',
    async () => {
      const page = await as('etu.sciences1');
      const draft = `/conventions/drafts/${ids.draft}`;
      await visit(page, '/', '/');
      await visit(page, '/auth/logout', '/auth/logout');
      await visit(page, '/conventions', '/conventions');
      await visit(page, '/conventions/new', '/conventions/new');
      await visit(page, '/conventions/new/student', '/conventions/new/student');
      await submitInvalid(page, 'student_postal_code');
      for (const step of [
        'student',
        'host',
        'host/new',
        'service',
        'service/new',
        'tutor',
        'tutor/new',
        'internship',
        'internship/confirm',
        'supervisor',
        'signatory',
        'signatory/new',
        'summary',
        'delete',
      ]) {
        await visit(page, `/conventions/drafts/:id/${step}`, `${draft}/${step}`);
      }
      await visit(page, '/conventions/drafts/:id/supervisor', `${draft}/supervisor?lastName=martin`);
      await visit(page, '/conventions/drafts/:id/supervisor', `${draft}/supervisor?lastName=`, 422);
      await visit(page, '/conventions/drafts/:id/host', `${draft}/host?name=zzzzzz`);
      await visit(page, '/conventions/drafts/:id/host/new', `${draft}/host/new`);
      await submitInvalid(page, 'siret');
      await visit(page, '/conventions/drafts/:id/internship', `${draft}/internship`);
      await page.locator('[name="hours_per_week"]').fill('60');
      await submitInvalid(page, 'hours_per_week');
      await visit(page, '/conventions/:number', `/conventions/${ids.submitted}`);
      await visit(page, '/conventions/:number/cancel', `/conventions/${ids.submitted}/cancel`);
      // A draft is deleted, not cancelled.
      await visit(page, '/conventions/drafts/:id/cancel', `${draft}/cancel`, 403);
      await visit(page, '/offers', '/offers?title=application');
      await visit(page, '/offers/:id', `/offers/${ids.publishedOffer}`);
      await visit(page, '403', '/hosts', 403);
      await visit(page, '404', '/conventions/999999', 404);
    },
    TIMEOUT,
  );

  it(
    'a teacher: home, supervised conventions, pedagogical validation',
    async () => {
      const page = await as('prof.martin');
      await visit(page, '/', '/');
      await visit(page, '/conventions', '/conventions');
      await visit(page, '/conventions/:number/validation', `/conventions/${ids.submitted}/validation`);
      await visit(page, '403', '/statistics', 403);
    },
    TIMEOUT,
  );

  it(
    'READ staff: search, conventions, hosts, offers, centres, statistics',
    async () => {
      const page = await as('lect.sciences');
      await visit(page, '/conventions', '/conventions?lastName=a');
      await visit(page, '/conventions/:number', `/conventions/${ids.pedagogical}`);
      await visit(page, '/hosts', '/hosts?name=a');
      await visit(page, '/hosts/:id', `/hosts/${ids.host}`);
      await visit(page, '/offers', '/offers');
      await visit(page, '/centres', '/centres');
      await visit(page, '/centres/:id', `/centres/${centres.sciences}`);
      await visit(page, '/centres/:id/members', `/centres/${centres.sciences}/members`);
      await visit(page, '/statistics', '/statistics');
    },
    TIMEOUT,
  );

  it(
    'WRITE staff: the staff wizard, a convention’s tabs, its validation and the bulk validation',
    async () => {
      const page = await as('gest.sciences');
      const submitted = `/conventions/${ids.submitted}`;
      await visit(page, '/', '/');
      await visit(page, '/conventions', '/conventions?period=between&from=2020-01-01&to=2030-12-31&advanced=1');
      await visit(page, '/conventions/new/student', '/conventions/new/student');
      await visit(page, '/conventions/new/student', '/conventions/new/student?search=', 422);
      await visit(page, '/conventions/new/student', '/conventions/new/student?search=durand');
      for (const tab of [
        'student',
        'host',
        'host/new',
        'service',
        'service/new',
        'tutor',
        'tutor/new',
        'internship',
        'internship/confirm',
        'supervisor',
        'signatory',
        'signatory/new',
        'validation',
        'history',
        'amendments',
        'delete',
      ]) {
        await visit(page, `/conventions/:number/${tab}`, `${submitted}/${tab}`);
      }
      await visit(page, '/conventions/:number/student', `${submitted}/student`);
      await page.locator('[name="student_postal_code"]').fill('12');
      await submitInvalid(page, 'student_postal_code');
      await visit(page, '/conventions/:number/validation', `${submitted}/validation`);
      await submitInvalid(page, 'reason');
      await page.goto('/conventions');
      await page.getByRole('checkbox', { name: `Sélectionner la convention n° ${ids.pedagogical}`, exact: true }).check();
      await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: 'Valider les conventions sélectionnées' }).click()]);
      await page.getByRole('heading', { level: 1, name: 'Validation groupée' }).waitFor();
      await expectNoAccessibilityViolation(page);
    },
    TIMEOUT,
  );

  it(
    'WRITE staff: the export chooser and the statistics, with their errors',
    async () => {
      const page = await as('gest.sciences');
      await visit(page, '/conventions/export', '/conventions/export?lastName=a');
      await page.evaluate(() => {
        for (const box of Array.from(document.querySelectorAll<HTMLInputElement>('input[type="checkbox"]'))) box.checked = false;
      });
      await submitInvalid(page, 'columns', 400);
      await visit(page, '/conventions/export.xlsx', '/conventions/export.xlsx?columns=salaire', 400);
      await visit(page, '/statistics', '/statistics?first=faculty&second=duration');
      await visit(page, '/statistics', '/statistics?academicYear=2026', 400);
    },
    TIMEOUT,
  );

  it(
    'WRITE staff: the host directory and its forms in error',
    async () => {
      const page = await as('gest.sciences');
      await visit(page, '/hosts', '/hosts?department=ZZ', 422);
      await visit(page, '/hosts/to-check', '/hosts/to-check');
      await visit(page, '/hosts/new', '/hosts/new');
      await submitInvalid(page, 'siret');
      await visit(page, '/hosts/:id/edit', `/hosts/${ids.host}/edit`);
      await page.locator('[name="name"]').fill('');
      await submitInvalid(page, 'name');
      await visit(page, '/hosts/:id/services/new', `/hosts/${ids.host}/services/new`);
      await submitInvalid(page, 'name');
      await visit(page, '/hosts/:id/services/:serviceId/edit', `/hosts/${ids.host}/services/${ids.service}/edit`);
      await visit(page, '/hosts/:id/contacts/new', `/hosts/${ids.host}/contacts/new`);
      await submitInvalid(page, 'last_name');
      await visit(page, '/hosts/:id/contacts/:contactId/edit', `/hosts/${ids.host}/contacts/${ids.contact}/edit`);
      await visit(page, '403', `/centres/${centres.droit}`, 403);
    },
    TIMEOUT,
  );

  it(
    'WRITE staff: the offers, their forms and blocks in error',
    async () => {
      const page = await as('gest.sciences');
      await visit(page, '/offers/new', '/offers/new?name=Atlantique');
      await visit(page, '/offers/new/host', '/offers/new/host');
      await submitInvalid(page, 'siret');
      await visit(page, '/offers/new', `/offers/new?host=${ids.host}`);
      await submitInvalid(page, 'title');
      await visit(page, '/offers/:id', `/offers/${ids.savedOffer}`);
      for (const block of ['centre', 'host', 'content', 'details']) {
        await visit(page, '/offers/:id/edit/:block', `/offers/${ids.publishedOffer}/edit/${block}`);
      }
      await page.locator('[name="title"]').fill('');
      await submitInvalid(page, 'title');
      await visit(page, '/offers/:id/transfer', `/offers/${ids.publishedOffer}/transfer`);
      await visit(page, '/offers/contacts/new', `/offers/contacts/new?host=${ids.host}&offer=${ids.publishedOffer}`);
      await submitInvalid(page, 'last_name');
    },
    TIMEOUT,
  );

  it(
    'WRITE staff of Droit: a refused convention and the amendment pages',
    async () => {
      const page = await as('gest.droit');
      const validated = `/conventions/${ids.validated}`;
      await visit(page, '/conventions/:number', `/conventions/${ids.refused}`);
      await visit(page, '/conventions/:number/validation', `/conventions/${ids.refused}/validation`);
      await visit(page, '/conventions/:number', validated);
      await visit(page, '/conventions/:number/amendments', `${validated}/amendments`);
      await visit(page, '/conventions/:number/amendments/new', `${validated}/amendments/new`);
      await submitInvalid(page, 'reason');
      await page.locator('[name="reason"]').fill('Le sujet est précisé à la demande du tuteur.');
      await page.locator('[name="subject"]').fill('Veille juridique et notes de synthèse');
      await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: 'Vérifier l’avenant', exact: true }).click()]);
      await page.getByRole('heading', { level: 2, name: 'Vérifiez l’avenant avant de le créer' }).waitFor();
      await expectNoAccessibilityViolation(page);
      await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: 'Créer l’avenant', exact: true }).click()]);
      await visit(page, '/conventions/:number/amendments/:amendment', `${validated}/amendments/1`);
      await page.locator('[name="reason"]').fill('');
      await submitInvalid(page, 'reason');
      await visit(page, '404', `${validated}/amendments/99`, 404);
    },
    TIMEOUT,
  );

  it(
    'ADMIN staff of a centre: the centre, its members and their errors',
    async () => {
      const page = await as('resp.sciences');
      await visit(page, '/centres/:id', `/centres/${centres.sciences}`);
      await page.locator('[name="name"]').fill('');
      await submitInvalid(page, 'name');
      await visit(page, '/centres/:id/members', `/centres/${centres.sciences}/members?lastName=gest`);
      await visit(page, '/centres/:id/members', `/centres/${centres.sciences}/members?lastName=`, 422);
    },
    TIMEOUT,
  );

  it(
    'the super-admin: administration, imports, outbox, settings, legal rates, centres, deposit link',
    async () => {
      const page = await as('admin');
      await visit(page, '/', '/');
      await visit(page, '/admin', '/admin');
      await visit(page, '/admin/imports', '/admin/imports');
      await submitInvalid(page, 'kind', 400);
      await page.getByLabel('Annuaire').selectOption({ index: 1 });
      await fieldLabelled(page, 'Fichier CSV').setInputFiles({
        name: 'etudiants.csv',
        mimeType: 'text/csv',
        buffer: Buffer.from('student_number;login\n123;x\n'),
      });
      const [report] = await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: 'Importer', exact: true }).click()]);
      expect(report?.status()).toBe(422);
      await expectNoAccessibilityViolation(page);
      await visit(page, '/admin/outbox', '/admin/outbox');
      await visit(page, '/admin/settings', '/admin/settings');
      await page.locator('[name="retention_years"]').fill('0');
      await submitInvalid(page, 'retention_years');
      await visit(page, '/admin/settings/anonymisation', '/admin/settings/anonymisation');
      await visit(page, '/admin/legal-rates', '/admin/legal-rates');
      await page.locator('[name="hourly_social_security_ceiling"]').fill('trente');
      await submitInvalid(page, 'hourly_social_security_ceiling');
      await visit(page, '/centres', '/centres');
      await visit(page, '/centres/new', '/centres/new');
      await submitInvalid(page, 'name');
      await visit(page, '/centres/:id/delete', `/centres/${centres.iut}/delete`);
      await visit(page, '/centres/:id/delete', `/centres/${centres.sciences}/delete`);
      await visit(page, '/offers/deposit-link', '/offers/deposit-link');
      await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: 'Créer le lien' }).first().click()]);
      depositLink = new URL(await page.getByLabel('Lien à envoyer aux entreprises', { exact: true }).inputValue()).pathname;
      await expectNoAccessibilityViolation(page);
    },
    TIMEOUT,
  );

  it(
    'a company through its deposit link: form, errors, thanks',
    async () => {
      expect(depositLink).toMatch(/^\/offers\/deposit\/[\w-]+$/);
      const page = await anonymousPage();
      try {
        await visit(page, '/offers/deposit/:secret', depositLink);
        await submitInvalid(page, 'title');
        await visit(page, '/offers/deposit/:secret/thanks', `${depositLink}/thanks`);
        await visit(page, '404', '/offers/deposit/pas-un-secret', 404);
      } finally {
        await page.context().close();
      }
    },
    TIMEOUT,
  );

  it('has visited every GET route of the application that answers a page', async () => {
    const { app, close } = createApp({
      knex: harness.database.knex,
      config: loadConfig({ NODE_ENV: 'test', AUTH_MODE: 'demo', LOG_LEVEL: 'silent', SESSION_SECRET: 'browser-tests-secret-long-enough-for-sessions' }),
      logger: createLogger('silent'),
      databaseUrl: harness.database.url,
    });
    try {
      const pages = listRoutes(app)
        .filter((route) => route.method === 'GET' && NOT_PAGES[route.path] === undefined)
        .map((route) => route.path);
      expect(pages.filter((path) => !visited.has(path))).toEqual([]);
      expect(
        Object.keys(NOT_PAGES).filter((path) => !listRoutes(app).some((route) => route.path === path)),
        'routes that no longer exist',
      ).toEqual([]);
    } finally {
      await close();
    }
  });
});
