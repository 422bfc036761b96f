import type { Knex } from 'knex';
import type { AccessRight, Actor } from './actor.ts';

/**
 * Every "who may" of the application (docs/architecture.md, "Access policy"). No other file compares
 * rights, memberships or identities: modules ask these predicates, and scope their queries with
 * `scopeToCentres`. The per-entity entry points (`openConvention`, `openCentre`, `openOffer`,
 * `openHostDirectory`) are built on them in their modules.
 */

// ---------------------------------------------------------------------------------------------------
// Kinds of actor and rights per centre
// ---------------------------------------------------------------------------------------------------

export type Role = 'super_admin' | 'staff' | 'teacher' | 'student';

/** The role that decides the menu and home page when a person is known in several directories. */
export function primaryRole(actor: Actor): Role {
  if (actor.superAdmin) return 'super_admin';
  if (actor.memberships.length > 0) return 'staff';
  if (actor.teacherId !== null) return 'teacher';
  if (actor.studentId !== null) return 'student';
  return 'staff';
}

export const isSuperAdmin = (actor: Actor): boolean => actor.superAdmin;

/** Staff of any right on any centre, or the super-admin. */
export function isStaff(actor: Actor): boolean {
  return actor.superAdmin || actor.memberships.length > 0;
}

const rank: Record<AccessRight, number> = { READ: 1, WRITE: 2, ADMIN: 3 };

export function hasCentreRight(actor: Actor, centreId: number, needed: AccessRight): boolean {
  if (actor.superAdmin) return true;
  return actor.memberships.some((membership) => membership.centreId === centreId && rank[membership.right] >= rank[needed]);
}

/** WRITE (or ADMIN) on at least one centre, or super-admin: may work on records for some centre. */
export function writesForSomeCentre(actor: Actor): boolean {
  return actor.superAdmin || actor.memberships.some((membership) => rank[membership.right] >= rank.WRITE);
}

/** The actor's own right on a centre, if they are attached to it (not the super-admin's implied right). */
export function membershipRight(actor: Actor, centreId: number): AccessRight | null {
  return actor.memberships.find((membership) => membership.centreId === centreId)?.right ?? null;
}

/** The centres where the actor has at least `needed`; `'all'` for the super-admin. */
export function centreIdsOf(actor: Actor, needed: AccessRight = 'READ'): number[] | 'all' {
  if (actor.superAdmin) return 'all';
  return actor.memberships.filter((membership) => rank[membership.right] >= rank[needed]).map((membership) => membership.centreId);
}

/** The centres the actor is attached to, whatever the right (the super-admin's own memberships only). */
export function memberCentreIds(actor: Actor): number[] {
  return actor.memberships.map((membership) => membership.centreId);
}

/** Keeps `query` to rows whose `column` is a centre where the actor has at least `needed`. */
export function scopeToCentres<Q extends Knex.QueryBuilder>(query: Q, column: string, actor: Actor, needed: AccessRight = 'READ'): Q {
  const centres = centreIdsOf(actor, needed);
  if (centres !== 'all') query.whereIn(column, centres);
  return query;
}

// ---------------------------------------------------------------------------------------------------
// Centres
// ---------------------------------------------------------------------------------------------------

/** What a person may do with a centre: see it (any member) or administer it (ADMIN or super-admin). */
export type CentreAccess = 'read' | 'admin';
export type NeededCentreAccess = CentreAccess | 'super_admin';

export function centreAccessOf(actor: Actor, centreId: number): CentreAccess | null {
  if (hasCentreRight(actor, centreId, 'ADMIN')) return 'admin';
  if (hasCentreRight(actor, centreId, 'READ')) return 'read';
  return null;
}

export function mayOnCentre(actor: Actor, centreId: number, needed: NeededCentreAccess): boolean {
  const access = centreAccessOf(actor, centreId);
  if (needed === 'super_admin') return actor.superAdmin;
  return needed === 'admin' ? access === 'admin' : access !== null;
}

/** Creating centres and changing a centre's level are the super-admin's. */
export const mayCreateCentres = isSuperAdmin;
export const mayChangeCentreLevel = isSuperAdmin;

// ---------------------------------------------------------------------------------------------------
// Conventions
// ---------------------------------------------------------------------------------------------------

/** What the actor is to one convention: only these facts decide their rights on it. */
export interface ConventionParty {
  /** The student of the convention. */
  owner: boolean;
  /** The convention's academic supervisor (teacher). */
  supervisor: boolean;
  /** READ (or more) on the convention's centre, or super-admin. */
  staffRead: boolean;
  /** WRITE (or ADMIN) on the convention's centre, or super-admin. */
  staffWrite: boolean;
}

export function conventionPartyOf(actor: Actor, convention: { student_id: number; centre_id: number; supervisor_teacher_id: number | null }): ConventionParty {
  return {
    owner: actor.studentId !== null && actor.studentId === convention.student_id,
    supervisor: actor.teacherId !== null && actor.teacherId === convention.supervisor_teacher_id,
    staffRead: hasCentreRight(actor, convention.centre_id, 'READ'),
    staffWrite: hasCentreRight(actor, convention.centre_id, 'WRITE'),
  };
}

/**
 * The conventions the actor may see, added to a query on `convention as c`: a student their own (drafts
 * included); staff those of their centres, but not the drafts that students are still writing; a
 * teacher those they supervise (or supervised before an amendment); a super-admin all of them.
 */
export function scopeConventions<Q extends Knex.QueryBuilder>(query: Q, actor: Actor): Q {
  if (actor.superAdmin) return query;
  const centres = memberCentreIds(actor);
  query.where((scope) => {
    scope.whereRaw('false');
    if (actor.studentId !== null) scope.orWhere('c.student_id', actor.studentId);
    if (centres.length > 0) {
      scope.orWhere((staff) =>
        staff.whereIn('c.centre_id', centres).andWhere((state) => state.whereNot('c.status', 'draft').orWhere('c.entered_by_staff', true)),
      );
    }
    // The supervisor named on the convention and the one an amendment put in place both follow it.
    if (actor.teacherId !== null) {
      scope.orWhere((teacher) =>
        teacher
          .where((supervisor) => supervisor.where('c.supervisor_teacher_id', actor.teacherId).orWhere('c.effective_supervisor_teacher_id', actor.teacherId))
          .whereNot('c.status', 'draft'),
      );
    }
  });
  return query;
}

/** Whether the actor acts for themselves (the student) rather than as staff, for a given student. */
export function isTheStudent(actor: Actor, studentId: number): boolean {
  return actor.studentId !== null && actor.studentId === studentId;
}

/** Students start their own conventions (where a centre of theirs allows it); WRITE staff for students of their centres. */
export function mayStartConventions(actor: Actor): boolean {
  return actor.studentId !== null || writesForSomeCentre(actor);
}

/** Staff start conventions for a student they choose first. */
export const startsConventionsAsStaff = writesForSomeCentre;

/** WRITE staff of a centre enter and edit the conventions of its students. */
export function entersConventionsFor(actor: Actor, centreId: number): boolean {
  return hasCentreRight(actor, centreId, 'WRITE');
}

/**
 * Whether the actor may put a convention on an enrolment managed by `centreId`: WRITE staff of that
 * centre, or the student themselves when the convention exists already or the centre lets students create.
 */
export function mayUseEnrolment(actor: Actor, studentId: number, centreId: number, purpose: 'create' | 'edit', studentsMayCreate: boolean): boolean {
  return entersConventionsFor(actor, centreId) || (isTheStudent(actor, studentId) && (purpose === 'edit' || studentsMayCreate));
}

/** Staff see the search filters; a student sees their own conventions only. */
export const seesConventionFilters = isStaff;

/** Bulk administrative validation is offered to those who validate for some centre. */
export const mayValidateInBulk = writesForSomeCentre;

/** Staff of any right (READ included: exporting is reading) and the super-admin; never students nor teachers. */
export const mayExportConventions = isStaff;

/** The centre setting that says when a student may print their own convention. */
export type PrintRule = 'never' | 'always' | 'after_pedagogical' | 'after_administrative';

/** Whether the actor may print a convention they can see: staff of its centre, its teacher, its student per the centre's rule. */
export function mayPrint(
  actor: Actor,
  convention: { centre_id: number; student_id: number; supervisor_teacher_id: number | null; status: string },
  rule: PrintRule,
): boolean {
  const party = conventionPartyOf(actor, convention);
  if (party.staffRead || party.supervisor) return true;
  if (!party.owner) return false;
  switch (rule) {
    case 'always':
      return true;
    case 'after_pedagogical':
      return convention.status === 'pedagogically_validated' || convention.status === 'validated';
    case 'after_administrative':
      return convention.status === 'validated';
    default:
      return false;
  }
}

// ---------------------------------------------------------------------------------------------------
// Offers
// ---------------------------------------------------------------------------------------------------

/** Writing offers (and company contacts for them) is for WRITE staff of some centre. */
export const mayCreateOffers = writesForSomeCentre;

/** Managing an offer (edit, publish, transfer, delete): WRITE staff of its managing centre. */
export function mayManageOffer(actor: Actor, offer: { centre_id: number }): boolean {
  return hasCentreRight(actor, offer.centre_id, 'WRITE');
}

/** Seeing everything of an offer (states, history, contacts even when hidden from students): staff of its centre. */
export function mayReadOfferAsStaff(actor: Actor, offer: { centre_id: number }): boolean {
  return hasCentreRight(actor, offer.centre_id, 'READ');
}

/** The offers pages are for staff and students; a teacher who is nothing else has no offers. */
export function maySearchOffers(actor: Actor): boolean {
  return isStaff(actor) || actor.studentId !== null;
}

/** Whether the offers pages show the student's view (published offers only) rather than staff's. */
export function seesOffersAsStudent(actor: Actor): boolean {
  return !isStaff(actor);
}

/**
 * Who sees which offer, added to a query on `offer as o`: staff the offers their centres manage, in
 * every state, and the offers other centres publish to them while the publication runs; students the
 * published, unexpired offers targeted at `studentCentreIds`; the super-admin every offer.
 */
export function scopeOffers<Q extends Knex.QueryBuilder>(
  db: Knex | Knex.Transaction,
  query: Q,
  actor: Actor,
  studentCentreIds: readonly number[],
  today: string,
): Q {
  if (actor.superAdmin) return query;
  const staffCentres = memberCentreIds(actor);
  const targetedAt = (published: Knex.QueryBuilder, centreIds: readonly number[]) =>
    published
      .where('o.state', 'published')
      .where('o.published_until', '>=', today)
      .where((target) =>
        target.whereIn('o.centre_id', centreIds).orWhereExists(db('offer_target as ot').whereRaw('ot.offer_id = o.id').whereIn('ot.centre_id', centreIds)),
      );
  query.where((scope) => {
    scope.whereRaw('false');
    if (staffCentres.length > 0) {
      scope.orWhereIn('o.centre_id', staffCentres);
      scope.orWhere((published) => targetedAt(published, staffCentres));
    }
    if (studentCentreIds.length > 0) scope.orWhere((published) => targetedAt(published, studentCentreIds));
  });
  return query;
}

/** The company centres whose deposited offers the actor moderates: WRITE on them. */
export function mayModerateDepositsOf(actor: Actor, centreId: number): boolean {
  return hasCentreRight(actor, centreId, 'WRITE');
}

// ---------------------------------------------------------------------------------------------------
// Host directory
// ---------------------------------------------------------------------------------------------------

/**
 * Rights on the host directory, shared by the whole institution:
 * - `manage`: staff with WRITE or ADMIN on at least one centre, and the super-admin: search, view,
 *   create, edit, delete, validate hosts "to check";
 * - `view`: staff with READ only: search and view;
 * - `student`: search, view, and create hosts, services and contacts (from the convention wizard);
 *   the hosts they create are flagged "to check";
 * - nobody else (teachers, people without any centre) has any right on the directory.
 */
export type HostAccess = 'manage' | 'view' | 'student';
export type HostAction = 'read' | 'create' | 'manage';

export function hostAccessOf(actor: Actor): HostAccess | null {
  if (writesForSomeCentre(actor)) return 'manage';
  if (actor.memberships.length > 0) return 'view';
  if (actor.studentId !== null) return 'student';
  return null;
}

/** The directory's own pages are the staff's; students reach hosts only through the convention wizard. */
export const mayUseDirectoryPages = isStaff;

const HOST_ACTIONS: Record<HostAction, readonly HostAccess[]> = {
  read: ['manage', 'view', 'student'],
  create: ['manage', 'student'],
  manage: ['manage'],
};

export function mayOnHosts(actor: Actor, action: HostAction): boolean {
  const access = hostAccessOf(actor);
  return access !== null && HOST_ACTIONS[action].includes(access);
}

// ---------------------------------------------------------------------------------------------------
// People and administration
// ---------------------------------------------------------------------------------------------------

/** Whether the page is about the actor themselves (their personal data, their enrolments). */
export function isThePerson(actor: Actor, person: { kind: 'student' | 'teacher' | 'staff'; id: number }): boolean {
  const own = { student: actor.studentId, teacher: actor.teacherId, staff: actor.staffId }[person.kind];
  return own !== null && own === person.id;
}
