import type { AmendmentStatus } from './repository.ts';

/**
 * The life cycle of an amendment, as an explicit table (docs/domain.md, "Amendments"):
 *
 *   submitted ──validate──▶ validated     (WRITE staff; its values become the convention's effective values)
 *   validated ──withdraw──▶ submitted     (WRITE staff; only the latest validated amendment)
 *
 * A submitted amendment is edited and deleted freely by those who may write it; a validated one is
 * read-only (the database refuses changes too).
 */
export const AMENDMENT_TRANSITIONS = {
  validate: { from: 'submitted', to: 'validated' },
  withdraw: { from: 'validated', to: 'submitted' },
} as const satisfies Record<string, { from: AmendmentStatus; to: AmendmentStatus }>;

export type AmendmentAction = keyof typeof AMENDMENT_TRANSITIONS;

/** Whether the action applies to an amendment in this state (who may take it is the service's check). */
export function amendmentActionAllowed(action: AmendmentAction, status: AmendmentStatus): boolean {
  return AMENDMENT_TRANSITIONS[action].from === status;
}

/** Edited and deleted only while not validated. */
export const amendmentEditable = (status: AmendmentStatus): boolean => status === 'submitted';
