import { conventionHostUsage, type OfferLookup } from './conventions/index.ts';
import type { ConventionUsage } from './hosts/usage.ts';
import { offerLookup } from './offers/lookup.ts';

/**
 * The collaborators modules lend each other, built once and passed to the module factories
 * (docs/architecture.md, "Wiring"): a module that needs another's knowledge declares an interface and
 * receives its implementation here, so that a missing collaborator is a type error, never a silent default.
 */
export interface Services {
  /** What conventions use of the host directory (the directory refuses deleting those records). */
  conventionUsage: ConventionUsage;
  /** The offers a student may answer with a convention (step 1 of the wizard). */
  offerLookup: OfferLookup;
}

export function createServices(): Services {
  return { conventionUsage: conventionHostUsage, offerLookup };
}
