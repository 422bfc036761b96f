import type { Knex } from 'knex';
import type { Actor } from '../../access/actor.ts';
import { mayPrint, type PrintRule } from '../../access/policy.ts';
import type { ConventionDetails } from './repository.ts';

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
