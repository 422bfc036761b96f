import type { Actor } from '../access/actor.ts';
import { primaryRole, type Role } from '../access/policy.ts';

/**
 * The main menu. Each module adds its entry when it is mounted, so the menu never links to a page
 * that does not exist; each entry says which roles see it.
 */
export interface MenuEntry {
  href: string;
  labelKey: string;
  roles: readonly Role[];
  /** Entries are shown in this order. */
  order: number;
}

export function menuFor(entries: readonly MenuEntry[], actor: Actor | undefined): MenuEntry[] {
  if (!actor) return [];
  const role = primaryRole(actor);
  return entries.filter((entry) => entry.roles.includes(role)).sort((a, b) => a.order - b.order);
}
