import type { Knex } from 'knex';
import { hasCentreRight, type Actor } from '../directory/actor.ts';
import type { ConventionDetails, ConventionStatus } from './repository.ts';

/** The centre setting that says when a student may print their own convention (DESIGN §5). */
export type PrintRule = 'never' | 'always' | 'after_pedagogical' | 'after_administrative';

const PEDAGOGICALLY_DONE: ReadonlySet<ConventionStatus> = new Set(['pedagogically_validated', 'validated']);

/** Whether the actor may print a convention they can see: staff of its centre, its teacher, its student per the centre's rule. */
export function mayPrint(actor: Actor, convention: Pick<ConventionDetails, 'centre_id' | 'student_id' | 'supervisor_teacher_id' | 'status'>, rule: PrintRule): boolean {
  if (actor.superAdmin || hasCentreRight(actor, convention.centre_id, 'READ')) return true;
  if (actor.teacherId !== null && actor.teacherId === convention.supervisor_teacher_id) return true;
  if (actor.studentId !== null && actor.studentId === convention.student_id) {
    switch (rule) {
      case 'always':
        return true;
      case 'after_pedagogical':
        return PEDAGOGICALLY_DONE.has(convention.status);
      case 'after_administrative':
        return convention.status === 'validated';
      default:
        return false;
    }
  }
  return false;
}

export interface PrintableDocument {
  labelKey: string;
  href: string;
}

/** The documents of a created convention the actor may print, for the links of its page. */
export async function printableDocuments(db: Knex | Knex.Transaction, actor: Actor, convention: ConventionDetails): Promise<PrintableDocument[]> {
  if (convention.number === null) return [];
  const centre = (await db('centre').where({ id: convention.centre_id }).first('student_print_rule')) as { student_print_rule: PrintRule };
  if (!mayPrint(actor, convention, centre.student_print_rule)) return [];
  const base = `/conventions/${convention.number}`;
  const languages = ['fr', ...(convention.print_language && convention.print_language !== 'fr' ? [convention.print_language] : [])];
  return [
    ...languages.map((language) => ({ labelKey: `conventions.documents.convention.${language}`, href: `${base}/convention.pdf?lang=${language}` })),
    { labelKey: 'conventions.documents.summary', href: `${base}/summary.pdf` },
    ...(convention.status === 'validated' ? [{ labelKey: 'conventions.documents.certificate', href: `${base}/certificate.pdf` }] : []),
  ];
}
