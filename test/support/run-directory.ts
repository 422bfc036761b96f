import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { chmod, mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

/**
 * Everything a test run writes on disk (the embedded clusters, the files of the tests) lives in one
 * temporary folder, removed at the end of the run, also when it is interrupted.
 */
export async function createRunDirectory(): Promise<string> {
  const directory = await mkdtemp(path.join(os.tmpdir(), 'conventio-test-'));
  // mkdtemp makes a 0700 folder, which the `postgres` user running the embedded servers could not enter.
  await chmod(directory, 0o755);
  // Ctrl-C ends Vitest with process.exit, skipping the global teardown: only an exit listener still runs.
  process.once('exit', () => removeWithItsServers(directory));
  return directory;
}

/** Stops the PostgreSQL servers still running on a cluster in the folder, then removes it. */
export function removeWithItsServers(directory: string): void {
  for (const pidFile of postmasterPidFiles(directory, 3)) {
    try {
      // Immediate shutdown: nothing in these clusters is worth keeping.
      process.kill(Number(readFileSync(pidFile, 'utf8').split('\n')[0]), 'SIGQUIT');
    } catch {
      // Stopped meanwhile.
    }
  }
  try {
    rmSync(directory, { recursive: true, force: true, maxRetries: 10, retryDelay: 100 });
  } catch (error) {
    process.stderr.write(`Could not remove ${directory}: ${String(error)}\n`);
  }
}

function postmasterPidFiles(directory: string, depth: number): string[] {
  let entries;
  try {
    entries = readdirSync(directory, { withFileTypes: true });
  } catch {
    return [];
  }
  return entries.flatMap((entry) => {
    const full = path.join(directory, entry.name);
    if (entry.isFile() && entry.name === 'postmaster.pid') return [full];
    return entry.isDirectory() && depth > 1 ? postmasterPidFiles(full, depth - 1) : [];
  });
}
