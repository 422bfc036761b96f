import { existsSync } from 'node:fs';
import { chmod, mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { copyOfInitialisedCluster } from '../support/embedded-cluster.ts';
import { freePort } from '../support/ports.ts';
import { startServer } from '../support/server-process.ts';

/**
 * `npm start` on its embedded PostgreSQL, stopped by SIGTERM (systemd, docker stop, a deployment) while an
 * administrator is still uploading a directory file: the upload must complete and be imported, no new
 * connection accepted meanwhile, then the process exits 0 and leaves no PostgreSQL behind.
 */
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The PostgreSQL processes started on a data directory, read from /proc as `ps` would. */
async function postgresProcessesOf(directory: string): Promise<number[]> {
  const found: number[] = [];
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const args = (await readFile(`/proc/${entry}/cmdline`, 'utf8')).split('\0');
      const flag = args.indexOf('-D');
      if (args[0]?.endsWith('postgres') && flag >= 0 && path.resolve(args[flag + 1]!) === directory) found.push(Number(entry));
    } catch {
      // The process ended while being looked at.
    }
  }
  return found;
}

/** Connection refused, as a new visitor (or the proxy's health check) would find it. */
function connectionRefused(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', (error: NodeJS.ErrnoException) => resolve(error.code === 'ECONNREFUSED'));
  });
}

class Cookies {
  private readonly jar = new Map<string, string>();

  header(): string {
    return [...this.jar].map(([name, value]) => `${name}=${value}`).join('; ');
  }

  keep(response: Response): Response {
    for (const cookie of response.headers.getSetCookie()) {
      const [pair] = cookie.split(';');
      const separator = pair!.indexOf('=');
      this.jar.set(pair!.slice(0, separator), pair!.slice(separator + 1));
    }
    return response;
  }
}

describe('graceful shutdown of npm start', () => {
  let root: string;
  let dataDirectory: string;
  beforeAll(async () => {
    root = await mkdtemp(path.join(os.tmpdir(), 'conventio-shutdown-'));
    // The embedded server runs as the `postgres` user when the tests run as root: it must enter the folder.
    await chmod(root, 0o755);
    dataDirectory = path.join(root, 'pg');
    await copyOfInitialisedCluster(dataDirectory);
  });
  afterAll(() => rm(root, { recursive: true, force: true }));

  it('finishes the upload in progress, refuses new connections, then stops the database and exits 0', { timeout: 180_000 }, async () => {
    const port = await freePort();
    const server = startServer({ PORT: String(port), EMBEDDED_PG_DIR: dataDirectory, EMBEDDED_PG_PORT: String(await freePort()) });
    const { child, exited } = server;
    try {
      await server.waitFor('Ctrl-C', 150_000);
      expect(await postgresProcessesOf(dataDirectory)).not.toEqual([]);

      // The demo sign-in of the super-administrator, then the import form's CSRF token.
      const base = `http://127.0.0.1:${port}`;
      const cookies = new Cookies();
      const loginPage = await (await fetch(`${base}/auth/login`).then((response) => cookies.keep(response))).text();
      const signInToken = /name="_csrf" value="([^"]+)"/.exec(loginPage)![1]!;
      const signedIn = cookies.keep(
        await fetch(`${base}/auth/demo`, {
          method: 'POST',
          headers: { Cookie: cookies.header(), 'Content-Type': 'application/x-www-form-urlencoded' },
          body: new URLSearchParams({ _csrf: signInToken, login: 'admin' }).toString(),
          redirect: 'manual',
        }),
      );
      expect(signedIn.status).toBe(302);
      const importPage = await (await fetch(`${base}/admin/imports`, { headers: { Cookie: cookies.header() } })).text();
      const token = /name="_csrf" value="([^"]+)"/.exec(importPage)![1]!;

      const boundary = 'ConventioShutdownBoundary';
      const csv = 'login;last_name;first_name;email\nprof.lent;Lent;Léon;leon.lent@univ.example\n';
      const body = Buffer.from(
        [
          `--${boundary}\r\nContent-Disposition: form-data; name="_csrf"\r\n\r\n${token}\r\n`,
          `--${boundary}\r\nContent-Disposition: form-data; name="kind"\r\n\r\nteachers\r\n`,
          `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="enseignants.csv"\r\nContent-Type: text/csv\r\n\r\n${csv}\r\n`,
          `--${boundary}--\r\n`,
        ].join(''),
      );
      const head = [
        'POST /admin/imports HTTP/1.1',
        `Host: 127.0.0.1:${port}`,
        `Cookie: ${cookies.header()}`,
        `Content-Type: multipart/form-data; boundary=${boundary}`,
        `Content-Length: ${body.length}`,
        '',
        '',
      ].join('\r\n');

      const upload = net.connect(port, '127.0.0.1');
      const chunks: Buffer[] = [];
      let answeredAt = 0;
      upload.on('data', (chunk: Buffer) => {
        answeredAt ||= Date.now();
        chunks.push(chunk);
      });
      // Like a browser, the upload asks to keep its connection: the server has to close it once answered.
      const answered = new Promise<{ text: string; closedAfterMs: number }>((resolve, reject) => {
        upload.once('end', () => resolve({ text: Buffer.concat(chunks).toString('utf8'), closedAfterMs: Date.now() - answeredAt }));
        upload.once('error', reject);
      });
      await new Promise<void>((resolve) => upload.once('connect', () => resolve()));
      const cut = body.length - 40;
      upload.write(head);
      upload.write(body.subarray(0, cut));
      // Another request answered after the first bytes of the upload: the server has read them and is waiting for the rest.
      expect((await fetch(`${base}/healthz`)).status).toBe(200);

      child.kill('SIGTERM');
      let refused = false;
      for (const started = Date.now(); !refused && Date.now() - started < 10_000; await sleep(50)) refused = await connectionRefused(port);
      expect(refused).toBe(true);
      // Still running: the upload is not finished, and the database is still there for it.
      expect(child.exitCode).toBeNull();
      expect(await postgresProcessesOf(dataDirectory)).not.toEqual([]);

      upload.write(body.subarray(cut));
      const { text: response, closedAfterMs } = await answered;
      expect(response.split('\r\n')[0]).toBe('HTTP/1.1 200 OK');
      expect(response).toContain('Import terminé');
      expect(response).toContain('enseignants.csv');
      // Not kept open for the 5 s of keep-alive: the shutdown goes on at once.
      expect(closedAfterMs).toBeLessThan(2500);

      expect(await exited).toBe(0);
      const { stdout, stderr } = server.output();
      expect(stdout).toContain('Conventio est arrêté.');
      expect(stdout).not.toContain('requests still running');
      expect(stderr).toBe('');
      expect(await postgresProcessesOf(dataDirectory)).toEqual([]);
      expect(existsSync(path.join(dataDirectory, 'postmaster.pid'))).toBe(false);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
      for (const pid of await postgresProcessesOf(dataDirectory)) process.kill(pid, 'SIGQUIT');
    }
  });
});
