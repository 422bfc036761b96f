import { spawn } from 'node:child_process';

/** `npm start` as a person runs it: the real start-up script in its own process. */
export function startServer(environment: Record<string, string>) {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/server.ts'], {
    // Only what the test sets: a developer's own settings (PUBLIC_BASE_URL, SESSION_SECRET...) must not leak in.
    env: { PATH: process.env.PATH, HOME: process.env.HOME, NODE_ENV: 'development', AUTH_MODE: 'demo', LOG_LEVEL: 'warn', ...environment },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return {
    child,
    exited,
    output: () => ({ stdout, stderr }),
    async waitFor(text: string, timeoutMs = 30000) {
      const started = Date.now();
      while (!stdout.includes(text)) {
        if (child.exitCode !== null) throw new Error(`server exited: ${stderr}`);
        if (Date.now() - started > timeoutMs) throw new Error(`timed out waiting for "${text}": ${stdout} ${stderr}`);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    },
  };
}

export type ServerProcess = ReturnType<typeof startServer>;
