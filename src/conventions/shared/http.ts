import type { Request } from 'express';
import { idFrom } from '../../web/http.ts';
import type { ConventionKey } from './repository.ts';

/**
 * Addresses of a convention (docs/architecture.md, "Addresses"): a created convention is
 * `/conventions/:number[/step]`; a draft, which has no number yet, is `/conventions/drafts/:id[/step]`.
 */
export function keyFrom(req: Request): ConventionKey {
  const params = req.params as Record<string, string | undefined>;
  return params.id !== undefined ? { id: idFrom(params.id) } : { number: idFrom(params.number) };
}
