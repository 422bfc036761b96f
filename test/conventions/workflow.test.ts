import { describe, expect, it } from 'vitest';
import type { Actor } from '../../src/access/actor.ts';
import type { ConventionStatus } from '../../src/conventions/shared/repository.ts';
import {
  availableActions,
  awaitsValidationBy,
  decide,
  WORKFLOW_ACTIONS,
  workflowRoleOf,
  type WorkflowAction,
  type WorkflowRole,
} from '../../src/conventions/shared/workflow.ts';

/**
 * The state machine of the validation workflow (docs/domain.md), exhaustively: every action, from every
 * state, by every kind of person, with and without the centre's pedagogical validation. What is not
 * listed in ALLOWED must be refused.
 */
const STATUSES: ConventionStatus[] = ['draft', 'submitted', 'pedagogically_validated', 'validated', 'refused', 'cancelled'];

const KINDS: Record<string, WorkflowRole> = {
  owner: { owner: true, supervisor: false, staffWrite: false },
  supervisor: { owner: false, supervisor: true, staffWrite: false },
  staffWrite: { owner: false, supervisor: false, staffWrite: true },
  // Another student, another teacher, READ staff, WRITE staff of another centre: no role on this convention.
  nobody: { owner: false, supervisor: false, staffWrite: false },
};
type Kind = keyof typeof KINDS;

/** `required status action kind → target`; everything else is forbidden. */
const ALLOWED: Record<string, ConventionStatus> = {
  'yes submitted validate_pedagogically supervisor': 'pedagogically_validated',
  'yes submitted validate_pedagogically staffWrite': 'pedagogically_validated',
  'yes submitted refuse staffWrite': 'refused',
  'yes submitted cancel owner': 'cancelled',
  'yes pedagogically_validated validate staffWrite': 'validated',
  'yes pedagogically_validated refuse staffWrite': 'refused',
  'yes pedagogically_validated withdraw staffWrite': 'submitted',
  'yes pedagogically_validated withdraw supervisor': 'submitted',
  'yes pedagogically_validated cancel owner': 'cancelled',
  'yes validated withdraw staffWrite': 'pedagogically_validated',
  'yes refused resubmit owner': 'submitted',
  'yes refused resubmit staffWrite': 'submitted',
  'no submitted validate staffWrite': 'validated',
  'no submitted refuse staffWrite': 'refused',
  'no submitted cancel owner': 'cancelled',
  'no pedagogically_validated validate staffWrite': 'validated',
  'no pedagogically_validated refuse staffWrite': 'refused',
  'no pedagogically_validated withdraw staffWrite': 'submitted',
  'no pedagogically_validated withdraw supervisor': 'submitted',
  'no pedagogically_validated cancel owner': 'cancelled',
  'no validated withdraw staffWrite': 'submitted',
  'no refused resubmit owner': 'submitted',
  'no refused resubmit staffWrite': 'submitted',
};

describe('the validation state machine', () => {
  const cases: [string, boolean, ConventionStatus, WorkflowAction, Kind][] = [];
  for (const required of [true, false]) {
    for (const status of STATUSES)
      for (const action of WORKFLOW_ACTIONS)
        for (const kind of Object.keys(KINDS)) cases.push([`${required ? 'yes' : 'no'} ${status} ${action} ${kind}`, required, status, action, kind]);
  }

  it.each(cases)('%s', (key, required, status, action, kind) => {
    const state = {
      status,
      pedagogicalValidationRequired: required,
      validatedFrom: status === 'validated' ? (required ? 'pedagogically_validated' : 'submitted') : null,
    } as const;
    const decision = decide(action, state, KINDS[kind]!, 'Un motif');
    const expected = ALLOWED[key];
    if (expected) expect(decision).toEqual({ allowed: true, to: expected });
    else {
      expect(decision.allowed).toBe(false);
      // The state is checked before the person: an action impossible in this state says so to everyone.
      const possibleForSomeone = Object.keys(KINDS).some((other) => ALLOWED[`${required ? 'yes' : 'no'} ${status} ${action} ${other}`]);
      expect(decision).toEqual({ allowed: false, refusal: possibleForSomeone ? 'actor' : 'state' });
    }
  });

  it('has every allowed transition listed reachable', () => {
    const reached = cases.filter(
      ([, required, status, action, kind]) =>
        decide(action, { status, pedagogicalValidationRequired: required, validatedFrom: null }, KINDS[kind]!, 'm').allowed,
    );
    expect(reached.map(([key]) => key).sort()).toEqual(Object.keys(ALLOWED).sort());
  });

  it('refuses a refusal without a reason, or with blanks only', () => {
    const state = { status: 'submitted', pedagogicalValidationRequired: true } as const;
    expect(decide('refuse', state, KINDS.staffWrite!)).toEqual({ allowed: false, refusal: 'reason' });
    expect(decide('refuse', state, KINDS.staffWrite!, '   ')).toEqual({ allowed: false, refusal: 'reason' });
    expect(decide('refuse', state, KINDS.staffWrite!, 'Sujet imprécis')).toEqual({ allowed: true, to: 'refused' });
  });

  it('withdraws a validation to the state it was given from, while no validated amendment exists', () => {
    const staff = KINDS.staffWrite!;
    // The centre changed its setting after the validation: the history decides.
    expect(decide('withdraw', { status: 'validated', pedagogicalValidationRequired: true, validatedFrom: 'submitted' }, staff)).toEqual({
      allowed: true,
      to: 'submitted',
    });
    expect(decide('withdraw', { status: 'validated', pedagogicalValidationRequired: false, validatedFrom: 'pedagogically_validated' }, staff)).toEqual({
      allowed: true,
      to: 'pedagogically_validated',
    });
    // No history (older data): the centre's setting decides.
    expect(decide('withdraw', { status: 'validated', pedagogicalValidationRequired: true, validatedFrom: null }, staff)).toEqual({
      allowed: true,
      to: 'pedagogically_validated',
    });
    expect(decide('withdraw', { status: 'validated', pedagogicalValidationRequired: false, validatedAmendmentExists: true }, staff)).toEqual({
      allowed: false,
      refusal: 'amendment',
    });
  });

  it('offers each person the actions open to them now', () => {
    const state = { status: 'submitted', pedagogicalValidationRequired: true } as const;
    expect(availableActions(state, KINDS.staffWrite!)).toEqual(['validate_pedagogically', 'refuse']);
    expect(availableActions(state, KINDS.supervisor!)).toEqual(['validate_pedagogically']);
    expect(availableActions(state, KINDS.owner!)).toEqual(['cancel']);
    expect(availableActions(state, KINDS.nobody!)).toEqual([]);
    expect(awaitsValidationBy(state, KINDS.supervisor!)).toBe(true);
    expect(awaitsValidationBy({ status: 'submitted', pedagogicalValidationRequired: false }, KINDS.supervisor!)).toBe(false);
    expect(awaitsValidationBy({ status: 'pedagogically_validated', pedagogicalValidationRequired: true }, KINDS.staffWrite!)).toBe(true);
  });

  it('tells each kind of person their role on a convention', () => {
    const convention = { student_id: 7, centre_id: 2, supervisor_teacher_id: 3 };
    const actor = (overrides: Partial<Actor>): Actor => ({
      login: 'x',
      displayName: 'X',
      studentId: null,
      teacherId: null,
      staffId: null,
      superAdmin: false,
      memberships: [],
      ...overrides,
    });
    expect(workflowRoleOf(actor({ studentId: 7 }), convention)).toEqual(KINDS.owner);
    expect(workflowRoleOf(actor({ studentId: 8 }), convention)).toEqual(KINDS.nobody);
    expect(workflowRoleOf(actor({ teacherId: 3 }), convention)).toEqual(KINDS.supervisor);
    expect(workflowRoleOf(actor({ teacherId: 4 }), convention)).toEqual(KINDS.nobody);
    expect(workflowRoleOf(actor({ staffId: 1, memberships: [{ centreId: 2, right: 'READ' }] }), convention)).toEqual(KINDS.nobody);
    expect(workflowRoleOf(actor({ staffId: 1, memberships: [{ centreId: 2, right: 'WRITE' }] }), convention)).toEqual(KINDS.staffWrite);
    expect(workflowRoleOf(actor({ staffId: 1, memberships: [{ centreId: 2, right: 'ADMIN' }] }), convention)).toEqual(KINDS.staffWrite);
    expect(workflowRoleOf(actor({ staffId: 1, memberships: [{ centreId: 3, right: 'WRITE' }] }), convention)).toEqual(KINDS.nobody);
    expect(workflowRoleOf(actor({ superAdmin: true }), convention)).toEqual(KINDS.staffWrite);
  });
});
