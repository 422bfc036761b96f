import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { inject } from 'vitest';
import { startEmbeddedDatabase } from '../../src/db/embedded.ts';
import { freePort } from './ports.ts';

/**
 * initdb takes seconds: a run initialises one embedded cluster, and every test that needs a data
 * directory of its own (`npm start`, the backup commands) starts from a copy of it.
 */
const run = promisify(execFile);

/** A cluster created as the application creates it (started once, then stopped): its folder. */
export async function initialiseCluster(directory: string): Promise<string> {
  const cluster = await startEmbeddedDatabase({ directory, port: await freePort(), ephemeral: true });
  await cluster.stop();
  return directory;
}

/** The cluster's folder and its password file, with their owner (the `postgres` user when run as root) and modes. */
export async function copyCluster(from: string, to: string): Promise<void> {
  await run('cp', ['-a', from, to]);
  await run('cp', ['-a', `${from}.password`, `${to}.password`]);
}

/** A data directory at `directory` holding a copy of the run's initialised cluster. */
export function copyOfInitialisedCluster(directory: string): Promise<void> {
  return copyCluster(inject('initialisedCluster'), directory);
}
