import type { Actor } from '../../access/actor.ts';
import { conventionPartyOf } from '../../access/policy.ts';
import type { ConventionStatus } from './repository.ts';

/**
 * The life cycle of a created convention (docs/domain.md), as an explicit and pure state machine: which
 * action leads from which state to which, and who may take it. The service applies it in a transaction
 * (version check, row lock, history, audit); the pages ask it what to offer.
 *
 *   submitted ──validate_pedagogically──▶ pedagogically_validated    (centre requires it)
 *   submitted ──validate──▶ validated                                 (centre does not require it)
 *   pedagogically_validated ──validate──▶ validated
 *   submitted | pedagogically_validated ──refuse (reason)──▶ refused
 *   refused ──resubmit──▶ submitted
 *   validated ──withdraw──▶ the state it was validated from           (while no validated amendment exists)
 *   pedagogically_validated ──withdraw──▶ submitted
 *   submitted | pedagogically_validated ──cancel──▶ cancelled
 *
 * `draft → submitted` is the creation of the convention (submitConvention), not an action of this page.
 */
export const WORKFLOW_ACTIONS = ['validate_pedagogically', 'validate', 'refuse', 'resubmit', 'withdraw', 'cancel'] as const;
export type WorkflowAction = (typeof WORKFLOW_ACTIONS)[number];

/** Until validated, a convention is edited through the same steps as it was written. */
const EDITABLE: ReadonlySet<ConventionStatus> = new Set(['draft', 'submitted', 'pedagogically_validated', 'refused']);

export const isEditable = (status: ConventionStatus): boolean => EDITABLE.has(status);

/** A validated convention is a signed legal document: it is never deleted (cancelled ones may be). */
export const isDeletable = (status: ConventionStatus): boolean => status !== 'validated';

/** What the actor is to this convention; only these facts decide the rights of the machine. */
export interface WorkflowRole {
  /** The student of the convention. */
  owner: boolean;
  /** The convention's academic supervisor (teacher). */
  supervisor: boolean;
  /** WRITE (or ADMIN) on the convention's centre, or super-admin. */
  staffWrite: boolean;
}

export interface WorkflowState {
  status: ConventionStatus;
  /** Centre setting `pedagogical_validation_required`. */
  pedagogicalValidationRequired: boolean;
  /** For a validated convention: the state it was validated from (its history), when known. */
  validatedFrom?: ConventionStatus | null;
  /** A validated amendment forbids withdrawing the validation (validation/service.ts asks the amendments). */
  validatedAmendmentExists?: boolean;
}

export type WorkflowRefusal = 'state' | 'actor' | 'reason' | 'amendment';

export type WorkflowDecision = { allowed: true; to: ConventionStatus } | { allowed: false; refusal: WorkflowRefusal };

/** Actions that need a reason: a refusal tells the student what to correct. */
export const REASON_REQUIRED: ReadonlySet<WorkflowAction> = new Set(['refuse']);

export function workflowRoleOf(actor: Actor, convention: { student_id: number; centre_id: number; supervisor_teacher_id: number | null }): WorkflowRole {
  const { owner, supervisor, staffWrite } = conventionPartyOf(actor, convention);
  return { owner, supervisor, staffWrite };
}

/** The state an action leads to from `state`, or null when the state does not allow it (whoever asks). */
export function targetOf(action: WorkflowAction, state: WorkflowState): ConventionStatus | null {
  const { status, pedagogicalValidationRequired: required } = state;
  switch (action) {
    case 'validate_pedagogically':
      return status === 'submitted' && required ? 'pedagogically_validated' : null;
    case 'validate':
      if (status === 'pedagogically_validated') return 'validated';
      return status === 'submitted' && !required ? 'validated' : null;
    case 'refuse':
      return status === 'submitted' || status === 'pedagogically_validated' ? 'refused' : null;
    case 'resubmit':
      return status === 'refused' ? 'submitted' : null;
    case 'withdraw':
      if (status === 'pedagogically_validated') return 'submitted';
      if (status !== 'validated') return null;
      if (state.validatedFrom === 'submitted' || state.validatedFrom === 'pedagogically_validated') return state.validatedFrom;
      return required ? 'pedagogically_validated' : 'submitted';
    case 'cancel':
      return status === 'submitted' || status === 'pedagogically_validated' ? 'cancelled' : null;
  }
}

/** Whether this kind of person may take the action (the state being right). */
function actorMay(action: WorkflowAction, state: WorkflowState, role: WorkflowRole): boolean {
  switch (action) {
    case 'validate_pedagogically':
      return role.supervisor || role.staffWrite;
    case 'validate':
    case 'refuse':
      return role.staffWrite;
    case 'resubmit':
      return role.owner || role.staffWrite;
    case 'withdraw':
      // The supervisor gives or withdraws the pedagogical validation; staff withdraw any validation.
      return role.staffWrite || (state.status === 'pedagogically_validated' && role.supervisor);
    case 'cancel':
      return role.owner;
  }
}

/** Decides an action: the state first, then the person, then the amendments hook and the reason. */
export function decide(action: WorkflowAction, state: WorkflowState, role: WorkflowRole, reason?: string | null): WorkflowDecision {
  const to = targetOf(action, state);
  if (to === null) return { allowed: false, refusal: 'state' };
  if (!actorMay(action, state, role)) return { allowed: false, refusal: 'actor' };
  if (action === 'withdraw' && state.status === 'validated' && state.validatedAmendmentExists) return { allowed: false, refusal: 'amendment' };
  if (REASON_REQUIRED.has(action) && !(reason ?? '').trim()) return { allowed: false, refusal: 'reason' };
  return { allowed: true, to };
}

/** The actions the person may take now (the reason aside): what the validation page offers. */
export function availableActions(state: WorkflowState, role: WorkflowRole): WorkflowAction[] {
  return WORKFLOW_ACTIONS.filter((action) => {
    const decision = decide(action, state, role, 'x');
    return decision.allowed;
  });
}

/** Whether this person would take part in validating the convention now (home page: "waiting for my validation"). */
export function awaitsValidationBy(state: WorkflowState, role: WorkflowRole): boolean {
  return decide('validate_pedagogically', state, role).allowed || decide('validate', state, role).allowed;
}
