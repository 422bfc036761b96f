import type { Express } from 'express';
import request from 'supertest';
import type TestAgent from 'supertest/lib/agent.js';
import type { Knex } from 'knex';
import { expect } from 'vitest';
import { createApp } from '../../src/app.ts';
import { createServices, type Services } from '../../src/services.ts';
import { loadConfig, type Config } from '../../src/config.ts';
import { createLogger, type Logger } from '../../src/logger.ts';
import { createTestDatabase, TEST_DATABASE_WAIT_MS, type TestDatabase } from './database.ts';
import { startFakeCas, type FakeCas } from './fake-cas.ts';

export const PUBLIC_BASE_URL = 'http://conventio.test';

export interface TestApp {
  app: Express;
  knex: Knex;
  config: Config;
  cas: FakeCas;
  database: TestDatabase;
  /** An agent signed in through the real CAS sign-in code, with the fake CAS server. */
  signIn(login: string): Promise<TestAgent>;
  anonymous(): TestAgent;
  close(): Promise<void>;
}

export interface TestAppOptions {
  environment?: Record<string, string>;
  logger?: Logger;
  signInRateLimit?: number;
  /** Stand-ins for some of the modules' collaborators. */
  services?: Partial<Services>;
}

/** A Conventio on its own copy of the demo database, signing people in through a fake CAS server. */
export async function startTestApp(options: TestAppOptions = {}): Promise<TestApp> {
  const [database, cas] = await Promise.all([createTestDatabase(), startFakeCas()]);
  const config = loadConfig({
    NODE_ENV: 'test',
    AUTH_MODE: 'cas',
    CAS_BASE_URL: cas.baseUrl,
    PUBLIC_BASE_URL,
    ADMIN_LOGINS: 'admin',
    SESSION_SECRET: 'a-test-secret-that-is-long-enough-for-sessions',
    LOG_LEVEL: 'silent',
    ...options.environment,
  });
  const { app, close: closeApp } = createApp({
    knex: database.knex,
    config,
    logger: options.logger ?? createLogger(config.logLevel),
    databaseUrl: database.url,
    signInRateLimit: options.signInRateLimit,
    sessionConnectionTimeoutMs: TEST_DATABASE_WAIT_MS,
    services: { ...createServices(), ...options.services },
  });

  async function signIn(login: string): Promise<TestAgent> {
    const agent = request.agent(app);
    const toCas = await agent.get('/auth/login').expect(302);
    const location = new URL(toCas.headers.location as string);
    expect(`${location.origin}${location.pathname}`).toBe(`${cas.baseUrl}/login`);
    const service = location.searchParams.get('service')!;
    const ticket = cas.issueTicket(login, service);
    const back = await agent.get(`/auth/login?ticket=${ticket}`);
    expect(back.status, `sign-in of ${login}: ${back.text.slice(0, 300)}`).toBe(302);
    return agent;
  }

  return {
    app,
    knex: database.knex,
    config,
    cas,
    database,
    signIn,
    anonymous: () => request.agent(app),
    async close() {
      await closeApp();
      await Promise.all([database.drop(), cas.close()]);
    },
  };
}

/** The CSRF token of the form on a page, as a browser would submit it. */
export async function csrfTokenFrom(agent: TestAgent, path: string): Promise<string> {
  const page = await agent.get(path);
  const match = /name="_csrf" value="([^"]+)"/.exec(page.text);
  if (!match) throw new Error(`no CSRF token on ${path} (status ${page.status})`);
  return match[1]!;
}
