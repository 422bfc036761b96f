import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/logger.ts';
import { startTestApp, type TestApp } from '../support/test-app.ts';

describe('request logs', () => {
  const lines: Record<string, unknown>[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString().split('\n').filter(Boolean)) lines.push(JSON.parse(line) as Record<string, unknown>);
      done();
    },
  });
  let testApp: TestApp;
  beforeAll(async () => {
    testApp = await startTestApp({ logger: createLogger('info', sink) });
  });
  afterAll(() => testApp.close());

  it('writes one JSON line per request with its id, and no ticket, cookie or secret', async () => {
    const agent = testApp.anonymous();
    const toCas = await agent.get('/auth/login');
    const service = new URL(toCas.headers.location as string).searchParams.get('service')!;
    const ticket = testApp.cas.issueTicket('gest.sciences', service);
    const back = await agent.get(`/auth/login?ticket=${ticket}`).set('X-Request-Id', 'proxy-request-0001').expect(302);
    const sessionId = /conventio\.sid=([^;]+)/.exec(String(back.headers['set-cookie']))![1]!;
    await agent.get('/').expect(200);

    const requests = lines.filter((line) => line.msg === 'request');
    expect(requests.length).toBeGreaterThanOrEqual(3);
    const signIn = requests.find((line) => line.requestId === 'proxy-request-0001');
    expect(signIn).toMatchObject({ method: 'GET', path: '/auth/login', status: 302 });
    expect(requests.at(-1)).toMatchObject({ path: '/', status: 200, login: 'gest.sciences' });

    const everything = JSON.stringify(lines);
    expect(everything).not.toContain(ticket);
    expect(everything).not.toContain(decodeURIComponent(sessionId));
    expect(everything).not.toContain(testApp.config.sessionSecret!);
  });
});
