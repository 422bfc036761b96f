import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { chromium, type Browser, type Page } from 'playwright-core';
import { expect } from 'vitest';
import { createApp } from '../../src/app.ts';
import { loadConfig } from '../../src/config.ts';
import { createLogger } from '../../src/logger.ts';
import { createTestDatabase, TEST_DATABASE_WAIT_MS, type TestDatabase } from './database.ts';

/**
 * Browser tests drive Debian's Chromium (never a downloaded browser) against the app served on a free
 * local port, in demo sign-in mode: the people sign in as a visitor would, through the demo page.
 */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const chromiumAvailable = existsSync(CHROMIUM_PATH);
if (!chromiumAvailable && process.env.CI) {
  throw new Error(`No Chromium at ${CHROMIUM_PATH}: CI must run the browser tests (set CHROMIUM_PATH).`);
}
if (!chromiumAvailable) {
  process.stderr.write(`Browser tests skipped: no Chromium at ${CHROMIUM_PATH} (install Debian's chromium package).\n`);
}

export interface BrowserHarness {
  baseUrl: string;
  browser: Browser;
  database: TestDatabase;
  /** A fresh browser context signed in through the demo page as `login`. */
  pageSignedInAs(login: string): Promise<Page>;
  close(): Promise<void>;
}

let launched: Promise<Browser> | undefined;

/**
 * One Chromium per test worker, launched by its first browser test and shared by the files it then
 * runs, each in contexts of its own; Playwright stops it when the worker exits.
 */
function chromiumOfThisWorker(): Promise<Browser> {
  launched ??= chromium
    .launch({
      executablePath: CHROMIUM_PATH,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    })
    .then((browser) => {
      // A crashed Chromium is launched again for the next file rather than failing every one after it.
      browser.on('disconnected', () => (launched = undefined));
      return browser;
    });
  return launched;
}

export async function startBrowserHarness(): Promise<BrowserHarness> {
  const database = await createTestDatabase();
  const config = loadConfig({ NODE_ENV: 'test', AUTH_MODE: 'demo', LOG_LEVEL: 'silent', SESSION_SECRET: 'browser-tests-secret-long-enough-for-sessions' });
  const { app, close: closeApp } = createApp({
    knex: database.knex,
    config,
    logger: createLogger('silent'),
    databaseUrl: database.url,
    sessionConnectionTimeoutMs: TEST_DATABASE_WAIT_MS,
  });
  const server: Server = await new Promise((resolve) => {
    const listening = app.listen(0, '127.0.0.1', () => resolve(listening));
  });
  const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const browser = await chromiumOfThisWorker();

  return {
    baseUrl,
    browser,
    database,
    async pageSignedInAs(login) {
      const context = await browser.newContext({ baseURL: baseUrl, locale: 'fr-FR' });
      const page = await context.newPage();
      await page.goto('/auth/login');
      await page.getByRole('button', { name: `Se connecter en tant que ${login}`, exact: true }).click();
      await page.waitForURL(`${baseUrl}/`);
      return page;
    },
    async close() {
      // The contexts of this file (the worker runs one file at a time); Chromium stays for the next file.
      await Promise.all(browser.contexts().map((context) => context.close()));
      await new Promise((resolve) => server.close(resolve));
      await closeApp();
      await database.drop();
    },
  };
}

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/** Runs axe-core (WCAG 2.1 A and AA rules) on the page and fails with the list of violations. */
export async function expectNoAccessibilityViolation(page: Page): Promise<void> {
  // Evaluated through the DevTools protocol, so the page's strict CSP does not block it.
  await page.evaluate(axeSource);
  const violations = await page.evaluate(async () => {
    const axe = (
      globalThis as unknown as {
        axe: { run(context: unknown, options: unknown): Promise<{ violations: { id: string; help: string; nodes: { target: string[] }[] }[] }> };
      }
    ).axe;
    const results = await axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] } });
    return results.violations.map((violation) => `${violation.id}: ${violation.help} (${violation.nodes.map((node) => node.target.join(' ')).join(', ')})`);
  });
  expect(violations, `axe on ${page.url()}`).toEqual([]);
}

/** A form field by its label: the text, followed by an asterisk (hidden from screen readers) when required. */
export const fieldLabelled = (page: Page, label: string) => page.getByLabel(new RegExp(`^${label.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(\\s*\\*)?$`));

export const buttonNamed = (page: Page, name: string) => page.getByRole('button', { name, exact: true });
