import type { Db } from './repository.ts';

/**
 * What, outside the directory, uses a host, a service or a contact. The directory itself does not know
 * the conventions: the conventions module provides this once, when it is mounted
 * (`provideConventionUsage({...})` in its module factory). Until then nothing uses a directory record:
 * deletions are allowed and the host sheet shows no number of conventions (rather than a made-up 0).
 */
export interface ConventionUsage {
  /** Number of conventions (any status) of each host; hosts without any may be missing from the map. */
  conventionCounts(db: Db, hostIds: readonly number[]): Promise<Map<number, number>>;
  /** Whether conventions use the service (as the place of the internship): it may then not be deleted. */
  serviceInUse(db: Db, serviceId: number): Promise<boolean>;
  /** Whether a validated convention names the contact (tutor or signatory): it may then not be deleted. */
  contactInUse(db: Db, contactId: number): Promise<boolean>;
}

let conventionUsage: ConventionUsage | null = null;

export function provideConventionUsage(usage: ConventionUsage): void {
  conventionUsage = usage;
}

/** The number of conventions of a host, or null while conventions are not tracked by this installation. */
export async function conventionCountOf(db: Db, hostId: number): Promise<number | null> {
  if (!conventionUsage) return null;
  return (await conventionUsage.conventionCounts(db, [hostId])).get(hostId) ?? 0;
}

/** A host may be deleted (kept as history, hidden from searches) only while no convention uses it. */
export async function hostDeletionBlocked(db: Db, hostId: number): Promise<{ conventions: number } | null> {
  const conventions = await conventionCountOf(db, hostId);
  return conventions ? { conventions } : null;
}

export async function serviceDeletionBlocked(db: Db, serviceId: number): Promise<boolean> {
  return conventionUsage ? conventionUsage.serviceInUse(db, serviceId) : false;
}

export async function contactDeletionBlocked(db: Db, contactId: number): Promise<boolean> {
  return conventionUsage ? conventionUsage.contactInUse(db, contactId) : false;
}
