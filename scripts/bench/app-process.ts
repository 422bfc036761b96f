import { spawn, type ChildProcess } from 'node:child_process';
import { createServer, type AddressInfo } from 'node:net';

export interface AppProcess {
  baseUrl: string;
  child: ChildProcess;
}

/**
 * The application in its own process, as in production: its latency and memory are its own. Demo
 * sign-in unless `environment` (given the application's address) says otherwise.
 */
export async function startAppProcess(databaseUrl: string, environment: (baseUrl: string) => Record<string, string> = () => ({})): Promise<AppProcess> {
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/server.ts'], {
    env: {
      ...process.env,
      DATABASE_URL: databaseUrl,
      PORT: String(port),
      NODE_ENV: 'development',
      AUTH_MODE: 'demo',
      LOG_LEVEL: 'silent',
      SESSION_SECRET: 'benchmark-secret-long-enough-for-sessions',
      ...environment(baseUrl),
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  // An interrupted benchmark exits without its finally blocks: the application must not outlive it.
  const stopWithBenchmark = () => child.kill('SIGTERM');
  process.once('exit', stopWithBenchmark);
  child.once('exit', () => process.off('exit', stopWithBenchmark));
  await new Promise<void>((resolve, reject) => {
    let output = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('Conventio est prêt')) resolve();
    });
    child.once('exit', (code) => reject(new Error(`the application stopped (${code}) before it was ready:\n${output}`)));
  });
  child.stdout!.resume();
  return { baseUrl, child };
}

/** SIGTERM, as an operator stops it; false (and SIGKILL) when it has not stopped within 15 s. */
export async function stopAppProcess(child: ChildProcess): Promise<boolean> {
  if (child.exitCode !== null) return true;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  const stopped = await Promise.race([exited.then(() => true), new Promise<boolean>((resolve) => setTimeout(() => resolve(false), 15000).unref())]);
  if (!stopped) {
    child.kill('SIGKILL');
    await exited;
  }
  return stopped;
}

export async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise((resolve) => probe.close(resolve));
  return port;
}
