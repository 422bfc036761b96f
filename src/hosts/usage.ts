import type { Db } from '../db/knex.ts';

/**
 * What, outside the directory, uses a host, a service or a contact. The directory does not know the
 * conventions: the conventions module implements this, and the application's wiring (src/services.ts)
 * passes it to the directory, so that no directory can be built without it.
 */
export interface ConventionUsage {
  /** Number of conventions (any status) of each host; hosts without any may be missing from the map. */
  conventionCounts(db: Db, hostIds: readonly number[]): Promise<Map<number, number>>;
  /** Whether conventions use the service (as the place of the internship): it may then not be deleted. */
  serviceInUse(db: Db, serviceId: number): Promise<boolean>;
  /** Whether a validated convention names the contact (tutor or signatory): it may then not be deleted. */
  contactInUse(db: Db, contactId: number): Promise<boolean>;
}

export async function conventionCountOf(usage: ConventionUsage, db: Db, hostId: number): Promise<number> {
  return (await usage.conventionCounts(db, [hostId])).get(hostId) ?? 0;
}
