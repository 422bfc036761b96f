import type { Knex } from 'knex';
import { findCentresForEnrolments } from '../centres/resolution.ts';
import { hasCentreRight, type Actor } from '../directory/actor.ts';

type Db = Knex | Knex.Transaction;

/**
 * Who sees which offer (DESIGN §2, §3; issue 6) — the only door of routes to the offer table.
 * - Staff: the offers their centres manage, in every state (deleted ones are history, found with the
 *   "archived" state), and the offers other centres publish to them while the publication runs.
 * - Students: published, unexpired offers targeted at their centres — the centre of each of their
 *   enrolments and the institution-wide (ETABLISSEMENT) centre, which reaches every student.
 * - Super-admin: every offer. Teachers who are nothing else: none.
 * An offer is targeted at its managing centre and at the centres of `offer_target`.
 */
export interface OfferAudience {
  actor: Actor;
  /** The centres whose published offers the actor may read as a student. */
  studentCentreIds: number[];
  today: string;
}

export async function offerAudience(db: Db, actor: Actor, today: string): Promise<OfferAudience> {
  return { actor, studentCentreIds: actor.studentId === null ? [] : await studentCentreIds(db, actor.studentId), today };
}

async function studentCentreIds(db: Db, studentId: number): Promise<number[]> {
  const enrolments = (await db('enrolment').where({ student_id: studentId }).select('faculty_code', 'step_code')) as { faculty_code: string; step_code: string }[];
  const [centres, institution] = await Promise.all([
    findCentresForEnrolments(db as Knex, enrolments.map((enrolment) => ({ facultyCode: enrolment.faculty_code, stepCode: enrolment.step_code }))),
    db('centre').where({ level: 'ETABLISSEMENT' }).first('id') as Promise<{ id: number } | undefined>,
  ]);
  const ids = centres.filter((centre) => centre !== null).map((centre) => centre.id);
  if (institution) ids.push(institution.id);
  return [...new Set(ids)];
}

/** Published and not yet expired on `today`. */
export function whereRunning(query: Knex.QueryBuilder, today: string, alias = 'o'): Knex.QueryBuilder {
  return query.where(`${alias}.state`, 'published').where(`${alias}.published_until`, '>=', today);
}

/** Targeted at one of `centreIds`: managed by one of them or published to one of them. */
function whereTargetedAt(db: Db, query: Knex.QueryBuilder, centreIds: readonly number[]): void {
  query.where((target) =>
    target.whereIn('o.centre_id', centreIds).orWhereExists(db('offer_target as ot').whereRaw('ot.offer_id = o.id').whereIn('ot.centre_id', centreIds)),
  );
}

/** The offers the audience may see: `offer as o`, nothing selected yet. */
export function visibleOffers(db: Db, audience: OfferAudience): Knex.QueryBuilder {
  const query = db('offer as o');
  const { actor } = audience;
  if (actor.superAdmin) return query;
  const staffCentres = actor.memberships.map((membership) => membership.centreId);
  return query.where((scope) => {
    scope.whereRaw('false');
    if (staffCentres.length > 0) {
      scope.orWhereIn('o.centre_id', staffCentres);
      scope.orWhere((published) => {
        whereRunning(published, audience.today);
        whereTargetedAt(db, published, staffCentres);
      });
    }
    if (audience.studentCentreIds.length > 0) {
      scope.orWhere((published) => {
        whereRunning(published, audience.today);
        whereTargetedAt(db, published, audience.studentCentreIds);
      });
    }
  });
}

/** Managing an offer (edit, publish, transfer, delete): WRITE staff of its managing centre. */
export function mayManageOffer(actor: Actor, offer: { centre_id: number }): boolean {
  return hasCentreRight(actor, offer.centre_id, 'WRITE');
}

/** Seeing everything of an offer (states, history, contacts even when hidden from students): staff of its centre. */
export function mayReadOfferAsStaff(actor: Actor, offer: { centre_id: number }): boolean {
  return hasCentreRight(actor, offer.centre_id, 'READ');
}
