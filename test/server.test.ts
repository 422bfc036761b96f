import net from 'node:net';
import { freePort } from './support/ports.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from './support/database.ts';
import { startServer } from './support/server-process.ts';

describe('npm start', () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(() => database.drop());

  it('serves the app, prints the address and the demo logins, and stops cleanly on SIGTERM', async () => {
    const port = await freePort();
    const server = startServer({ DATABASE_URL: database.url, PORT: String(port) });
    await server.waitFor('Ctrl-C');
    const { stdout } = server.output();
    expect(stdout).toContain(`Conventio est prêt : http://localhost:${port}`);
    expect(stdout).toContain('gest.sciences');
    expect(stdout).toContain('etu.droit1');
    const health = await fetch(`http://127.0.0.1:${port}/healthz`);
    expect(await health.json()).toEqual({ status: 'ok', database: 'ok' });
    const demo = await fetch(`http://127.0.0.1:${port}/auth/login`);
    expect(await demo.text()).toContain('Connexion de démonstration');
    server.child.kill('SIGTERM');
    expect(await server.exited).toBe(0);
    expect(server.output().stdout).toContain('Conventio est arrêté.');
  });

  it('explains in one line that the port is taken', async () => {
    const blocker = net.createServer();
    const port = await freePort();
    await new Promise<void>((resolve) => blocker.listen(port, resolve));
    try {
      const server = startServer({ DATABASE_URL: database.url, PORT: String(port) });
      expect(await server.exited).toBe(1);
      const lines = server.output().stderr.trim().split('\n');
      expect(lines).toEqual([`Conventio n'a pas démarré : le port ${port} est déjà utilisé. Choisissez-en un autre, par exemple : PORT=${port + 1} npm start`]);
    } finally {
      blocker.close();
    }
  });

  it('names the variable of a wrong setting', async () => {
    const server = startServer({ DATABASE_URL: database.url, PORT: 'trois-mille' });
    expect(await server.exited).toBe(1);
    expect(server.output().stderr).toMatch(/^Conventio n'a pas démarré : Configuration invalide — PORT : /);
  });
});
