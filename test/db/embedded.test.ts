import { chmod, mkdtemp, rm, stat, writeFile, mkdir } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import net from 'node:net';
import { freePort } from '../support/ports.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmbeddedDatabase, EmbeddedDatabaseError } from '../../src/db/embedded.ts';
import { createKnex } from '../../src/db/knex.ts';

describe('embedded PostgreSQL', () => {
  let root: string;
  beforeAll(async () => {
    root = await mkdtemp(path.join(os.tmpdir(), 'conventio-embedded-'));
    await chmod(root, 0o755);
  });
  afterAll(() => rm(root, { recursive: true, force: true }));

  it('recovers the directory from a server left running by a killed run, keeping its data', async () => {
    const directory = path.join(root, 'orphaned');
    const first = await startEmbeddedDatabase({ directory, port: await freePort(), ephemeral: true });
    expect((await stat(`${directory}.password`)).mode & 0o777).toBe(0o600);
    expect(first.url('postgres')).not.toContain('conventio-embedded');
    const before = createKnex(first.url('postgres'), { poolMax: 1 });
    await before.raw('CREATE TABLE kept (value text)');
    await before.raw("INSERT INTO kept VALUES ('still here')");
    await before.destroy();
    // The first server is never stopped, as after a SIGKILL of the app: the next start must cope.
    const second = await startEmbeddedDatabase({ directory, port: await freePort(), ephemeral: true });
    const after = createKnex(second.url('postgres'), { poolMax: 1 });
    try {
      expect((await after.raw('SELECT value FROM kept')).rows).toEqual([{ value: 'still here' }]);
    } finally {
      await after.destroy();
      await second.stop();
    }
  });

  it('explains in one line that its port is taken', async () => {
    const blocker = net.createServer();
    const port = await freePort();
    await new Promise<void>((resolve) => blocker.listen(port, '127.0.0.1', resolve));
    try {
      const attempt = startEmbeddedDatabase({ directory: path.join(root, 'busy'), port });
      await expect(attempt).rejects.toThrow(EmbeddedDatabaseError);
      await expect(attempt).rejects.toThrow(`Le port ${port} de PostgreSQL embarqué est déjà utilisé : choisissez-en un autre avec EMBEDDED_PG_PORT.`);
    } finally {
      blocker.close();
    }
  });

  it('refuses a data directory that holds something else', async () => {
    const directory = path.join(root, 'not-a-cluster');
    await mkdir(directory);
    await writeFile(path.join(directory, 'notes.txt'), 'mes fichiers');
    await expect(startEmbeddedDatabase({ directory, port: await freePort() })).rejects.toThrow(
      /Répertoire de données inutilisable .*n'est pas vide et ne contient pas de base PostgreSQL.*EMBEDDED_PG_DIR/,
    );
  });

  it('refuses a data directory that is a file', async () => {
    const file = path.join(root, 'a-file');
    await writeFile(file, '');
    await expect(startEmbeddedDatabase({ directory: file, port: await freePort() })).rejects.toThrow(/Répertoire de données inutilisable/);
  });
});
