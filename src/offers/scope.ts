import type { Knex } from 'knex';
import { findCentresForEnrolments } from '../centres/resolution.ts';
import type { Actor } from '../access/actor.ts';
import { scopeOffers } from '../access/policy.ts';
import type { Db } from '../db/knex.ts';

/**
 * The only door of routes to the offer table: who sees which offer is the access policy's
 * (`scopeOffers`); this adds what the policy needs to know of a student — the centres whose published
 * offers reach them: the centre of each of their enrolments and the institution-wide (ETABLISSEMENT)
 * centre, which reaches every student.
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
  const enrolments = (await db('enrolment').where({ student_id: studentId }).select('faculty_code', 'step_code')) as {
    faculty_code: string;
    step_code: string;
  }[];
  const [centres, institution] = await Promise.all([
    findCentresForEnrolments(
      db as Knex,
      enrolments.map((enrolment) => ({ facultyCode: enrolment.faculty_code, stepCode: enrolment.step_code })),
    ),
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

/** The offers the audience may see: `offer as o`, nothing selected yet. */
export function visibleOffers(db: Db, audience: OfferAudience): Knex.QueryBuilder {
  return scopeOffers(db, db('offer as o'), audience.actor, audience.studentCentreIds, audience.today);
}
