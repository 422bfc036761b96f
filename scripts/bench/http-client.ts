import http from 'node:http';

export interface BenchClient {
  /** GETs `path` and reads the whole answer; resolves to its status. */
  get(path: string, cookie: string): Promise<number>;
  close(): void;
}

/**
 * The benchmark's GETs, through node:http and one pool of kept-alive connections. The client runs on
 * the same cores as the application it measures, so it should take as little of them as it can:
 * fetch took about 2 ms of CPU per page, node:http takes a fraction of that.
 */
export function benchClient(baseUrl: string, connections: number): BenchClient {
  const agent = new http.Agent({ keepAlive: true, maxSockets: connections });
  const getOnce = (path: string, cookie: string) =>
    new Promise<number>((resolve, reject) => {
      const request = http.get(new URL(path, baseUrl), { agent, headers: { cookie } }, (response) => {
        response.on('data', () => undefined);
        response.on('end', () => resolve(response.statusCode!));
        response.on('error', reject);
      });
      request.on('error', (error: NodeJS.ErrnoException) => reject(Object.assign(error, { reusedSocket: request.reusedSocket })));
    });
  return {
    async get(path, cookie) {
      try {
        return await getOnce(path, cookie);
      } catch (error) {
        // A kept-alive connection the server had just closed (its 5-second idle timeout): a browser
        // sends the request again, and so does this client, once. Any other failure stops the benchmark.
        const { code, reusedSocket } = error as NodeJS.ErrnoException & { reusedSocket?: boolean };
        if (!(reusedSocket && code === 'ECONNRESET')) throw error;
        return getOnce(path, cookie);
      }
    },
    close: () => agent.destroy(),
  };
}
