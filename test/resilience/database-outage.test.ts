import net from 'node:net';
import type { Express } from 'express';
import type { Knex } from 'knex';
import request from 'supertest';
import type TestAgent from 'supertest/lib/agent.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/app.ts';
import { loadConfig } from '../../src/config.ts';
import { createKnex } from '../../src/db/knex.ts';
import { createLogger } from '../../src/logger.ts';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';
import { startFakeCas, type FakeCas } from '../support/fake-cas.ts';
import { PUBLIC_BASE_URL } from '../support/test-app.ts';
import { enrolmentOf, studentFields } from '../conventions/support.ts';

/**
 * The database going away under a running application: every connection of the app (its Knex pool and
 * the session store's) goes through a TCP proxy that the test cuts — open connections destroyed, new
 * ones refused, as when PostgreSQL stops — and then restores.
 */
interface DatabaseProxy {
  port: number;
  /** Destroys every connection and refuses new ones. */
  cut(): Promise<void>;
  /** Cuts the database the moment a client sends COMMIT, so that the COMMIT never arrives. */
  cutAtNextCommit(): void;
  restore(): Promise<void>;
  close(): Promise<void>;
}

async function startProxy(target: { host: string; port: number }): Promise<DatabaseProxy> {
  const sockets = new Set<net.Socket>();
  let cutAtCommit = false;
  let cutting: Promise<void> | undefined;
  let server: net.Server;

  const listen = (port: number) =>
    new Promise<net.Server>((resolve, reject) => {
      const listening = net.createServer((client) => {
        const upstream = net.connect(target.port, target.host);
        for (const socket of [client, upstream]) {
          sockets.add(socket);
          socket.on('close', () => sockets.delete(socket));
          // A cut socket's error is the very outage under test.
          socket.on('error', () => undefined);
        }
        client.on('data', (chunk: Buffer) => {
          // A simple-protocol Query message ('Q') whose text is COMMIT: the transaction's last step.
          if (cutAtCommit && chunk[0] === 0x51 && /^COMMIT;?\0$/i.test(chunk.subarray(5).toString('utf8'))) {
            cutAtCommit = false;
            void proxy.cut();
            return;
          }
          upstream.write(chunk);
        });
        upstream.pipe(client);
        client.on('close', () => upstream.destroy());
        upstream.on('close', () => client.destroy());
      });
      listening.once('error', reject);
      listening.listen(port, '127.0.0.1', () => resolve(listening));
    });

  server = await listen(0);
  const { port } = server.address() as net.AddressInfo;
  const proxy: DatabaseProxy = {
    port,
    cut() {
      cutting ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const socket of sockets) socket.destroy();
      });
      return cutting;
    },
    cutAtNextCommit() {
      cutAtCommit = true;
    },
    async restore() {
      await cutting;
      cutting = undefined;
      server = await listen(port);
    },
    async close() {
      await proxy.cut();
    },
  };
  return proxy;
}

const MAX_OUTAGE_ANSWER_MS = 2000;

describe('database outage', () => {
  let database: TestDatabase;
  let proxy: DatabaseProxy;
  let knex: Knex;
  let cas: FakeCas;
  let app: Express;
  let closeApp: () => Promise<void>;

  beforeAll(async () => {
    [database, cas] = await Promise.all([createTestDatabase(), startFakeCas()]);
    const direct = new URL(database.url);
    proxy = await startProxy({ host: direct.hostname, port: Number(direct.port) });
    const proxied = new URL(database.url);
    proxied.port = String(proxy.port);
    // The production settings: the 2-second waits for a connection are what is under test.
    knex = createKnex(proxied.toString());
    const config = loadConfig({
      NODE_ENV: 'test',
      AUTH_MODE: 'cas',
      CAS_BASE_URL: cas.baseUrl,
      PUBLIC_BASE_URL,
      ADMIN_LOGINS: 'admin',
      SESSION_SECRET: 'a-test-secret-that-is-long-enough-for-sessions',
      LOG_LEVEL: 'silent',
    });
    ({ app, close: closeApp } = createApp({ knex, config, logger: createLogger('silent'), databaseUrl: proxied.toString() }));
  });

  afterAll(async () => {
    await closeApp();
    await knex.destroy();
    await proxy.close();
    await Promise.all([database.drop(), cas.close()]);
  });

  async function signIn(login: string): Promise<TestAgent> {
    const agent = request.agent(app);
    const toCas = await agent.get('/auth/login').expect(302);
    const service = new URL(toCas.headers.location as string).searchParams.get('service')!;
    await agent.get(`/auth/login?ticket=${cas.issueTicket(login, service)}`).expect(302);
    return agent;
  }

  async function csrfToken(agent: TestAgent): Promise<string> {
    const page = await agent.get('/conventions/new/student').expect(200);
    return /name="_csrf" value="([^"]+)"/.exec(page.text)![1]!;
  }

  /** A request, timed: during an outage nobody may wait for an answer. */
  async function timed(send: () => Promise<request.Response>): Promise<{ response: request.Response; ms: number }> {
    const started = performance.now();
    const response = await send();
    return { response, ms: performance.now() - started };
  }

  async function expectUnavailable(send: () => Promise<request.Response>): Promise<void> {
    const { response, ms } = await timed(send);
    expect(response.status, response.text.slice(0, 300)).toBe(503);
    expect(response.text).toContain('La base de données ne répond pas pour le moment');
    expect(ms).toBeLessThan(MAX_OUTAGE_ANSWER_MS);
  }

  /** The app by itself, without restart, answers again once the database is back. */
  async function waitForRecovery(): Promise<number> {
    const started = performance.now();
    for (;;) {
      const health = await request(app).get('/healthz');
      if (health.status === 200) return performance.now() - started;
      if (performance.now() - started > 10000) throw new Error(`still ${health.status} 10 s after the database came back`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  const draftsOf = async (studentId: number) =>
    Number((await database.knex('convention').where({ student_id: studentId, status: 'draft' }).count({ n: '*' }).first())!.n);
  const auditRows = async () => Number((await database.knex('audit_log').count({ n: '*' }).first())!.n);

  it('answers 503 within 2 s while the database is gone, writes nothing, and serves again once it is back', async () => {
    const staff = await signIn('gest.sciences');
    const student = await signIn('etu.sciences1');
    const { id: enrolmentId, studentId } = await enrolmentOf(database.knex, 'etu.sciences1');
    await staff.get('/conventions').expect(200);
    const token = await csrfToken(student);
    const draftsBefore = await draftsOf(studentId);

    await proxy.cut();
    for (const path of ['/', '/conventions', '/hosts', '/offers']) await expectUnavailable(() => staff.get(path));
    const health = await timed(() => request(app).get('/healthz'));
    expect(health.response.status).toBe(503);
    expect(health.response.body).toEqual({ status: 'error', database: 'down' });
    expect(health.ms).toBeLessThan(MAX_OUTAGE_ANSWER_MS);
    await expectUnavailable(() =>
      student
        .post('/conventions/new/student')
        .type('form')
        .send({ _csrf: token, ...studentFields(enrolmentId) }),
    );

    await proxy.restore();
    expect(await waitForRecovery()).toBeLessThan(5000);
    // The same sessions still work: nobody was signed out by the outage.
    const list = await staff.get('/conventions').expect(200);
    expect(list.text).toContain('Conventions');
    expect(await draftsOf(studentId)).toBe(draftsBefore);
    const saved = await student
      .post('/conventions/new/student')
      .type('form')
      .send({ _csrf: token, ...studentFields(enrolmentId) });
    expect(saved.status).toBe(302);
    expect(await draftsOf(studentId)).toBe(draftsBefore + 1);
  });

  it('leaves no partial write when the database goes away just before a change is committed', async () => {
    const student = await signIn('etu.sciences2');
    const { id: enrolmentId, studentId } = await enrolmentOf(database.knex, 'etu.sciences2');
    const token = await csrfToken(student);
    const draftsBefore = await draftsOf(studentId);
    const auditBefore = await auditRows();

    proxy.cutAtNextCommit();
    await expectUnavailable(() =>
      student
        .post('/conventions/new/student')
        .type('form')
        .send({ _csrf: token, ...studentFields(enrolmentId) }),
    );

    await proxy.restore();
    await waitForRecovery();
    // The draft's row and its audit row were written inside the transaction: neither survived.
    expect(await draftsOf(studentId)).toBe(draftsBefore);
    expect(await auditRows()).toBe(auditBefore);
    const saved = await student
      .post('/conventions/new/student')
      .type('form')
      .send({ _csrf: token, ...studentFields(enrolmentId) });
    expect(saved.status).toBe(302);
    expect(await draftsOf(studentId)).toBe(draftsBefore + 1);
  });
});
