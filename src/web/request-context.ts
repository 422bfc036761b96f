import { randomUUID } from 'node:crypto';
import type { RequestHandler } from 'express';
import type { Logger } from '../logger.ts';

const ACCEPTABLE_REQUEST_ID = /^[\w.-]{8,64}$/;

/** Gives each request an id (kept from a reverse proxy's X-Request-Id when sane) and logs its outcome. */
export function requestContext(logger: Logger): RequestHandler {
  return (req, res, next) => {
    const incoming = req.get('x-request-id');
    req.id = incoming && ACCEPTABLE_REQUEST_ID.test(incoming) ? incoming : randomUUID();
    req.log = logger.child({ requestId: req.id });
    res.setHeader('X-Request-Id', req.id);
    const started = process.hrtime.bigint();
    res.on('finish', () => {
      req.log.info(
        {
          method: req.method,
          // Only the path: query strings may carry CAS tickets or personal search terms.
          path: req.path,
          status: res.statusCode,
          durationMs: Number(process.hrtime.bigint() - started) / 1e6,
          login: req.actor?.login,
        },
        'request',
      );
    });
    next();
  };
}
