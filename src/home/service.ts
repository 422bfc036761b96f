import type { Knex } from 'knex';
import type { Actor } from '../access/actor.ts';
import { isSuperAdmin, memberCentreIds, membershipRight } from '../access/policy.ts';
import { findCentresForEnrolments } from '../centres/resolution.ts';

export interface EnrolmentSummary {
  academicYear: string;
  facultyLabel: string;
  stepLabel: string;
  centreName: string;
}

export interface MembershipSummary {
  centreId: number;
  centreName: string;
  right: string;
}

export interface HomeDashboard {
  enrolments: EnrolmentSummary[];
  memberships: MembershipSummary[];
  counts: { centres: number; students: number; teachers: number; staff: number } | null;
}

/** What the signed-in person finds on their home page, according to who they are. */
export async function homeDashboard(knex: Knex, actor: Actor): Promise<HomeDashboard> {
  const enrolments: EnrolmentSummary[] = [];
  if (actor.studentId !== null) {
    const rows = await knex('enrolment as e')
      .join('faculty as f', 'f.code', 'e.faculty_code')
      .join('study_step as s', 's.code', 'e.step_code')
      .where('e.student_id', actor.studentId)
      .orderBy([{ column: 'e.academic_year', order: 'desc' }, 's.label'])
      .select('e.academic_year', 'e.faculty_code', 'e.step_code', 'f.label as faculty_label', 's.label as step_label');
    const centres = await findCentresForEnrolments(
      knex,
      rows.map((row: { faculty_code: string; step_code: string }) => ({ facultyCode: row.faculty_code, stepCode: row.step_code })),
    );
    rows.forEach((row: { academic_year: string; faculty_label: string; step_label: string }, index: number) =>
      enrolments.push({ academicYear: row.academic_year, facultyLabel: row.faculty_label, stepLabel: row.step_label, centreName: centres[index]?.name ?? '—' }),
    );
  }

  const centreIds = memberCentreIds(actor);
  const memberships: MembershipSummary[] =
    centreIds.length === 0
      ? []
      : (await knex('centre').whereIn('id', centreIds).select('id', 'name').orderBy('name')).map((centre: { id: number; name: string }) => ({
          centreId: centre.id,
          centreName: centre.name,
          right: membershipRight(actor, centre.id)!,
        }));

  let counts: HomeDashboard['counts'] = null;
  if (isSuperAdmin(actor)) {
    const row = (await knex
      .select(
        knex.raw('(SELECT count(*) FROM centre)::int AS centres'),
        knex.raw('(SELECT count(*) FROM student)::int AS students'),
        knex.raw('(SELECT count(*) FROM teacher)::int AS teachers'),
        knex.raw('(SELECT count(*) FROM staff)::int AS staff'),
      )
      .first()) as HomeDashboard['counts'];
    counts = row;
  }
  return { enrolments, memberships, counts };
}
