import type { Knex } from 'knex';
import { RuleViolation } from '../errors.ts';

export interface EnrolmentCodes {
  facultyCode: string;
  stepCode: string;
}

export interface ResolvedCentre {
  id: number;
  name: string;
}

/**
 * The centre that manages an enrolment: the one whose criteria name its study step, else its
 * faculty, else the institution-wide (ETABLISSEMENT) centre. One query for any number of enrolments.
 */
export async function findCentresForEnrolments(knex: Knex, enrolments: EnrolmentCodes[]): Promise<(ResolvedCentre | null)[]> {
  if (enrolments.length === 0) return [];
  const codes = [...new Set(enrolments.flatMap((enrolment) => [enrolment.facultyCode, enrolment.stepCode]))];
  const [criteria, fallback] = await Promise.all([
    knex('centre_criterion as k').join('centre as c', 'c.id', 'k.centre_id').whereIn('k.code', codes).select('k.kind', 'k.code', 'c.id', 'c.name'),
    knex('centre').where({ level: 'ETABLISSEMENT' }).first('id', 'name'),
  ]);
  const byKey = new Map<string, ResolvedCentre>(
    criteria.map((row: { kind: string; code: string; id: number; name: string }) => [`${row.kind}:${row.code}`, { id: row.id, name: row.name }]),
  );
  return enrolments.map(
    (enrolment) => byKey.get(`step:${enrolment.stepCode}`) ?? byKey.get(`faculty:${enrolment.facultyCode}`) ?? (fallback as ResolvedCentre | undefined) ?? null,
  );
}

/** The same, for work that cannot go on without a centre (creating a convention). */
export async function resolveCentreForEnrolments(knex: Knex, enrolments: EnrolmentCodes[]): Promise<ResolvedCentre[]> {
  return (await findCentresForEnrolments(knex, enrolments)).map((centre) => {
    if (!centre) throw RuleViolation.keyed('_form', 'centres.errors.noCentreForEnrolment', undefined, 'conflict');
    return centre;
  });
}
