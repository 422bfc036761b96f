import type { Actor } from '../../access/actor.ts';
import { conventionPartyOf } from '../../access/policy.ts';
import type { Db } from '../../db/knex.ts';
import { ForbiddenError, NotFoundError } from '../../errors.ts';
import type { ActorRole } from '../../rules/convention-checks.ts';
import { findVisibleConvention, type ConventionDetails, type ConventionKey } from './repository.ts';
import { isDeletable, isEditable, targetOf } from './workflow.ts';

/** The steps of the wizard, in order; after creation the same steps are the tabs. */
export const STEPS = ['student', 'host', 'service', 'tutor', 'internship', 'supervisor', 'signatory', 'summary'] as const;
export type StepName = (typeof STEPS)[number];

export interface ConventionAccess {
  /** The student of the convention. */
  owner: boolean;
  /** WRITE (or ADMIN) on the convention's centre, or super-admin. */
  staffWrite: boolean;
  edit: boolean;
  delete: boolean;
  cancel: boolean;
  /** Whose rules apply to the legal checks (a student is blocked where staff are warned). */
  role: ActorRole;
  /** Whether this person may choose or enter the tutor (centre setting for students). */
  tutorEntry: boolean;
}

export function accessOf(
  actor: Actor,
  convention: Pick<ConventionDetails, 'student_id' | 'centre_id' | 'supervisor_teacher_id' | 'status' | 'centre_students_may_enter_tutor'>,
): ConventionAccess {
  const { owner, staffWrite } = conventionPartyOf(actor, convention);
  return {
    owner,
    staffWrite,
    edit: isEditable(convention.status) && (owner || staffWrite),
    delete: isDeletable(convention.status) && (owner || staffWrite),
    cancel: owner && targetOf('cancel', { status: convention.status, pedagogicalValidationRequired: false }) !== null,
    role: staffWrite ? 'staff' : 'student',
    tutorEntry: staffWrite || convention.centre_students_may_enter_tutor,
  };
}

export type Needed = 'view' | 'edit' | 'delete' | 'cancel';

export interface OpenConvention {
  convention: ConventionDetails;
  access: ConventionAccess;
}

/**
 * The convention at `key`, once the actor's right is established: every service function goes through
 * here. Not visible → not found (its existence does not leak); visible but not allowed → forbidden.
 */
export async function openConvention(db: Db, actor: Actor, key: ConventionKey, needed: Needed, options: { lock?: boolean } = {}): Promise<OpenConvention> {
  const convention = await findVisibleConvention(db, actor, key, options);
  if (!convention) throw new NotFoundError('convention');
  const access = accessOf(actor, convention);
  if (needed !== 'view' && !access[needed]) throw new ForbiddenError();
  return { convention, access };
}

/** The address of a convention's pages: drafts by id, created conventions by number. */
export function basePath(convention: Pick<ConventionDetails, 'id' | 'number'>): string {
  return convention.number === null ? `/conventions/drafts/${convention.id}` : `/conventions/${convention.number}`;
}
