import type { Db } from '../../db/knex.ts';
import type { Knex } from 'knex';
import { audit } from '../../audit/audit-log.ts';
import { hasValidatedAmendment } from '../amendments/repository.ts';
import type { Actor } from '../../access/actor.ts';
import { queueNotifications } from '../../notifications/queue.ts';
import { addDays } from '../../rules/calendar.ts';
import { todayInFrance } from '../../rules/academic-year.ts';
import { ForbiddenError, NotFoundError, StaleVersionError } from '../../errors.ts';
import { ConventionTransitionError } from '../shared/errors.ts';
import {
  insertTransition,
  latestTransitionTo,
  pendingVisibleConventions,
  transitionsOf,
  updateConvention,
  type AttentionRow,
  type ConventionDetails,
  type TransitionRow,
} from '../shared/repository.ts';
import { openConvention, type OpenConvention } from '../shared/open.ts';
import type { ChangeContext } from '../../audit/audit-log.ts';
import {
  availableActions,
  awaitsValidationBy,
  decide,
  workflowRoleOf,
  type WorkflowAction,
  type WorkflowRole,
  type WorkflowState,
} from '../shared/workflow.ts';

/**
 * The validation workflow applied (docs/domain.md): each action runs in one transaction that locks
 * the convention, checks the version the form was opened at, asks the state machine (workflow.ts), then
 * saves the new state, the history row, the audit entry and the notifications, all or nothing.
 */

/** Which notification an action announces; the others notify nobody. */
const NOTIFIED: Partial<Record<WorkflowAction, 'submitted' | 'validated' | 'refused'>> = {
  validate: 'validated',
  refuse: 'refused',
  resubmit: 'submitted',
};

/** Whether a validated amendment exists, which forbids withdrawing the validation (amendments/repository.ts). */
async function validatedAmendmentExists(db: Db, conventionId: number): Promise<boolean> {
  return hasValidatedAmendment(db, conventionId);
}

async function workflowState(db: Db, convention: ConventionDetails): Promise<WorkflowState> {
  const validation = convention.status === 'validated' ? await latestTransitionTo(db, convention.id, 'validated') : undefined;
  return {
    status: convention.status,
    pedagogicalValidationRequired: convention.centre_pedagogical_validation_required,
    validatedFrom: validation?.from_status ?? null,
    validatedAmendmentExists: convention.status === 'validated' ? await validatedAmendmentExists(db, convention.id) : false,
  };
}

export interface ValidationView extends OpenConvention {
  role: WorkflowRole;
  state: WorkflowState;
  /** What this person may do now. */
  actions: WorkflowAction[];
  /** The latest refusal, shown to the student while the convention is refused. */
  refusal: TransitionRow | null;
}

/** What the validation page shows: the state, the actions open to this person, the latest refusal. */
export async function validationView(db: Db, actor: Actor, number: number): Promise<ValidationView> {
  const open = await openConvention(db, actor, { number }, 'view');
  const role = workflowRoleOf(actor, open.convention);
  const state = await workflowState(db, open.convention);
  return { ...open, role, state, actions: availableActions(state, role), refusal: (await refusalOf(db, open.convention)) ?? null };
}

/** The reason of the refusal of a refused convention (the convention already opened by the actor). */
export async function refusalOf(db: Db, convention: Pick<ConventionDetails, 'id' | 'status'>): Promise<TransitionRow | undefined> {
  return convention.status === 'refused' ? latestTransitionTo(db, convention.id, 'refused') : undefined;
}

/** The history of a convention the actor may see, oldest first. */
export async function conventionHistory(db: Db, actor: Actor, number: number): Promise<OpenConvention & { transitions: TransitionRow[] }> {
  const open = await openConvention(db, actor, { number }, 'view');
  return { ...open, transitions: await transitionsOf(db, open.convention.id) };
}

/**
 * Takes a workflow action on the convention `number`, if nobody changed it since `version`.
 * Throws StaleVersionError (someone acted first), ConventionTransitionError (state, person, reason)
 * or NotFoundError (not visible). Returns the new state.
 */
export async function applyTransition(knex: Knex, context: ChangeContext, number: number, version: number, action: WorkflowAction, reason?: string | null) {
  return knex.transaction(async (trx) => {
    const { convention } = await openConvention(trx, context.actor, { number }, 'view', { lock: true });
    if (convention.version !== version) throw new StaleVersionError();
    const role = workflowRoleOf(context.actor, convention);
    const decision = decide(action, await workflowState(trx, convention), role, reason);
    if (!decision.allowed) throw new ConventionTransitionError(decision.refusal);
    const cleanReason = reason?.trim() || null;
    if (!(await updateConvention(trx, convention.id, version, { status: decision.to }, context.actor.login))) throw new StaleVersionError();
    await insertTransition(trx, {
      conventionId: convention.id,
      action,
      from: convention.status,
      to: decision.to,
      actorLogin: context.actor.login,
      reason: cleanReason,
    });
    await audit(trx, {
      actorLogin: context.actor.login,
      requestId: context.requestId,
      action: `convention.workflow.${action}`,
      entity: 'convention',
      entityId: convention.id,
      before: { status: convention.status },
      after: { status: decision.to, ...(cleanReason ? { reason: cleanReason } : {}) },
    });
    const kind = NOTIFIED[action];
    if (kind)
      await queueNotifications(trx, { kind, conventionId: convention.id, actorLogin: context.actor.login, ...(cleanReason ? { reason: cleanReason } : {}) });
    return decision.to;
  });
}

// ---------------------------------------------------------------------------------------------------
// Bulk administrative validation (list of the centre's conventions)
// ---------------------------------------------------------------------------------------------------

export type SkipReason = 'notFound' | 'state' | 'actor' | 'stale';

export interface BulkValidationReport {
  validated: number[];
  skipped: { number: number; reason: SkipReason }[];
}

/**
 * Validates each chosen convention whose state allows it, each in its own transaction (one refused
 * does not stop the others), and reports what was skipped and why.
 */
export async function validateMany(knex: Knex, context: ChangeContext, numbers: readonly number[]): Promise<BulkValidationReport> {
  const report: BulkValidationReport = { validated: [], skipped: [] };
  for (const number of [...new Set(numbers)].sort((a, b) => a - b)) {
    try {
      // The version read now: a change between this read and the lock is reported as "stale".
      const { convention } = await openConvention(knex, context.actor, { number }, 'view');
      await applyTransition(knex, context, number, convention.version, 'validate');
      report.validated.push(number);
    } catch (error) {
      if (error instanceof NotFoundError) report.skipped.push({ number, reason: 'notFound' });
      else if (error instanceof ForbiddenError) report.skipped.push({ number, reason: 'actor' });
      else if (error instanceof StaleVersionError) report.skipped.push({ number, reason: 'stale' });
      else if (error instanceof ConventionTransitionError) report.skipped.push({ number, reason: error.refusal === 'actor' ? 'actor' : 'state' });
      else throw error;
    }
  }
  return report;
}

// ---------------------------------------------------------------------------------------------------
// Staff home page
// ---------------------------------------------------------------------------------------------------

export interface ValidationDashboard {
  /** Conventions this person may validate (pedagogically or administratively) now. */
  awaitingMyValidation: AttentionRow[];
  /** Conventions not validated whose internship starts within their centre's alert delay (or has started). */
  startingSoon: AttentionRow[];
}

const DASHBOARD_CANDIDATES = 500;

/**
 * The two lists of the staff (and teacher) home page, scoped by the actor like every query on
 * conventions. `today` is today in France unless given (tests).
 */
export async function validationDashboard(db: Db, actor: Actor, today: string = todayInFrance()): Promise<ValidationDashboard> {
  const rows = await pendingVisibleConventions(db, actor, today, DASHBOARD_CANDIDATES);
  const awaitingMyValidation = rows.filter((row) =>
    awaitsValidationBy({ status: row.status, pedagogicalValidationRequired: row.pedagogical_validation_required }, workflowRoleOf(actor, row)),
  );
  const startingSoon = rows.filter((row) => row.start_date <= addDays(today, row.alert_delay_days));
  return { awaitingMyValidation, startingSoon };
}
