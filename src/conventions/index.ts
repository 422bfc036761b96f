/**
 * The conventions module's public face: what other modules (documents, exports, statistics, home,
 * offers, the wiring) may use of it. Nothing outside `src/conventions/` imports its sub-modules
 * directly (docs/architecture.md, "Conventions").
 */
export { conventionsModule } from './module.ts';
export { conventionHostUsage } from './host-usage.ts';
export type { OfferLookup, OfferMatch } from './wizard/offer-hook.ts';

// Reading one convention, with the actor's rights established.
export { openConvention, type OpenConvention } from './shared/open.ts';
export { loadReferenceChoices, type ConventionDetails, type ConventionStatus } from './shared/repository.ts';
export { labeller } from './shared/presenter.ts';
export { loadLegalParameters } from './shared/legal.ts';
export { LIST_STATUSES } from './shared/schemas.ts';

// The search, which exports and statistics start from: the same rows, the same scope.
export { matchingConventions, searchOrder } from './search/repository.ts';
export {
  parseSearch,
  queryStringOf,
  searchParametersOf,
  STATUS_CHOICES,
  type ConventionSearch,
  type ParsedSearch,
  type SearchOrder,
  type StatusChoice,
} from './search/schemas.ts';

// Amendments as documents print them.
export { amendmentOf } from './amendments/service.ts';
export { changeRows } from './amendments/presenter.ts';
export type { AmendmentRow } from './amendments/repository.ts';

// What waits for the person's validation (home page).
export { validationDashboard } from './validation/service.ts';
