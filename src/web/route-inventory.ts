import type { Express } from 'express';
import type { RouteInfo } from 'router';

/** One address the application answers, as registered: `GET /conventions/:number`. */
export interface RouteEntry {
  method: string;
  path: string;
}

/** Express 5's router (the `router` package), whose listRoutes() the typings of Express do not describe. */
interface ListingRouter {
  listRoutes(): RouteInfo[];
  stack: StaticLayer[];
}

/** The two parts of a router's layer that tell a static directory and where it is mounted. */
interface StaticLayer {
  rawPath?: unknown;
  handle: { name?: string };
}

/**
 * Every (method, path) an Express 5 application answers, nested routers included, without duplicates:
 * the routes in registration order, then the static directories. A GET route's automatic HEAD is not
 * listed; a static directory is listed as `GET <mount>/*splat`, since it answers any address below its
 * mount point.
 */
export function listRoutes(app: Express): RouteEntry[] {
  const entries = new Map<string, RouteEntry>();
  const add = (method: string, path: string) => entries.set(routeKey({ method, path }), { method, path });

  function walk(router: ListingRouter, prefix: string): void {
    for (const route of router.listRoutes()) {
      const full = joinPaths(prefix, String(route.path));
      if (route.router) walk(route.router as unknown as ListingRouter, full);
      else for (const method of route.methods) if (!(method === 'HEAD' && route.methods.includes('GET'))) add(method, full);
    }
  }

  const router = app.router as unknown as ListingRouter;
  walk(router, '');
  // listRoutes() leaves out middleware, static directories included, and nothing public tells where
  // express.static is mounted: those layers are the one part of the router's stack still read.
  for (const layer of router.stack) {
    if (layer.handle.name === 'serveStatic' && typeof layer.rawPath === 'string') add('GET', joinPaths(layer.rawPath, '/*splat'));
  }
  return [...entries.values()];
}

/** `GET /offers/:id`: how a route is named in messages and used as a key. */
export function routeKey({ method, path }: RouteEntry): string {
  return `${method} ${path}`;
}

function joinPaths(prefix: string, path: string): string {
  if (path === '/' || path === '') return prefix || '/';
  return `${prefix.replace(/\/$/, '')}${path}`;
}
