import type { Express } from 'express';

/** One address the application answers, as registered: `GET /conventions/:number`. */
export interface RouteEntry {
  method: string;
  path: string;
}

// The parts of router 2.x's stack that tell what a layer answers; its typings do not describe them.
interface StackLayer {
  rawPath?: string | RegExp | (string | RegExp)[];
  handle: { stack?: StackLayer[]; name?: string };
  route?: { methods: Record<string, boolean> };
}

/**
 * Every (method, path) an Express 5 application answers, nested routers included, in registration
 * order and without duplicates. A GET route's automatic HEAD is not listed; a static directory is
 * listed as `GET <mount>/*splat`, since it answers any address below its mount point.
 */
export function listRoutes(app: Express): RouteEntry[] {
  const entries = new Map<string, RouteEntry>();
  const add = (method: string, path: string) => entries.set(routeKey({ method, path }), { method, path });

  function walk(stack: StackLayer[], prefix: string): void {
    for (const layer of stack) {
      for (const path of layerPaths(layer)) {
        const full = joinPaths(prefix, path);
        if (layer.route) {
          for (const method of Object.keys(layer.route.methods)) add(method === '_all' ? '*' : method.toUpperCase(), full);
        } else if (Array.isArray(layer.handle.stack)) {
          walk(layer.handle.stack, full);
        } else if (layer.handle.name === 'serveStatic') {
          add('GET', joinPaths(full, '/*splat'));
        }
      }
    }
  }

  walk((app as unknown as { router: { stack: StackLayer[] } }).router.stack, '');
  return [...entries.values()];
}

/** `GET /offers/:id`: how a route is named in messages and used as a key. */
export function routeKey({ method, path }: RouteEntry): string {
  return `${method} ${path}`;
}

function layerPaths(layer: StackLayer): string[] {
  const raw = layer.rawPath ?? '/';
  return (Array.isArray(raw) ? raw : [raw]).map((path) => (path instanceof RegExp ? path.toString() : path));
}

function joinPaths(prefix: string, path: string): string {
  if (path === '/' || path === '') return prefix || '/';
  return `${prefix.replace(/\/$/, '')}${path}`;
}
