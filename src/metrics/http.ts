import type { Request, RequestHandler } from 'express';
import type { Registry } from 'prom-client';
import { boundedCounter, boundedHistogram } from './bounded.ts';

/**
 * Requests counted by method, route pattern and status class, with their latency. The route is the
 * pattern that answered (/conventions/:number/student), never the address typed: ids and secrets stay out
 * of the labels.
 */
const LATENCY_BUCKETS_SECONDS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

/**
 * A router mounted on a pattern (`/conventions/:number`) leaves the matched path in req.baseUrl: its
 * numbers become `:id`, and any other segment that is not a plain word becomes `:param`.
 */
function mountPattern(baseUrl: string): string {
  return baseUrl
    .split('/')
    .map((segment) => (segment === '' ? segment : /^\d+$/.test(segment) ? ':id' : /^[a-z][a-z-]*$/.test(segment) ? segment : ':param'))
    .join('/');
}

export function routeLabel(req: Request): string {
  const route = req.route as { path?: unknown } | undefined;
  if (route && typeof route.path === 'string') return `${mountPattern(req.baseUrl)}${route.path}` || '/';
  // Static files are served by a middleware, not a route; everything else without a route is a 404.
  return req.baseUrl ? `${mountPattern(req.baseUrl)}/*` : 'unmatched';
}

/** Registers the HTTP metrics in `registry`; the middleware returned measures each request. */
export function httpMetrics(registry: Registry): RequestHandler {
  const requests = boundedCounter(registry, {
    name: 'conventio_http_requests_total',
    help: 'HTTP requests answered, by method, route pattern and status class.',
    labelNames: ['method', 'route', 'status'],
  });
  const duration = boundedHistogram(registry, {
    name: 'conventio_http_request_duration_seconds',
    help: 'Time from the request to the end of the response, by method and route pattern.',
    labelNames: ['method', 'route'],
    buckets: LATENCY_BUCKETS_SECONDS,
  });
  const serverErrors = boundedCounter(registry, {
    name: 'conventio_http_server_errors_total',
    help: 'Responses with a 5xx status, by method and route pattern.',
    labelNames: ['method', 'route'],
  });
  return (req, res, next) => {
    const started = process.hrtime.bigint();
    res.on('finish', () => {
      const labels = { method: req.method, route: routeLabel(req) };
      requests.inc({ ...labels, status: `${Math.floor(res.statusCode / 100)}xx` });
      duration.observe(labels, Number(process.hrtime.bigint() - started) / 1e9);
      if (res.statusCode >= 500) serverErrors.inc(labels);
    });
    next();
  };
}
