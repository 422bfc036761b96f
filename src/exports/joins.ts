/**
 * The tables an export may join to the convention (`c`), each under the alias that the SQL of the
 * columns (columns.ts) and of the sorts (`searchOrder`, src/conventions/search/repository.ts) use. A
 * query joins only what its chosen columns and its sort need: a three-column export of 100,000
 * conventions must not pay for twenty joins.
 *
 * Student, enrolment, faculty, step and centre are always there (inner joins keep every row); the
 * host side is optional on a convention, hence left joins. Place, tutor and supervisor are the
 * effective ones, after validated amendments.
 */
export type JoinName =
  | 'student'
  | 'enrolment'
  | 'faculty'
  | 'step'
  | 'centre'
  | 'validations'
  | 'supervisor'
  | 'signatory'
  | 'host'
  | 'service'
  | 'tutor'
  | 'conventionType'
  | 'internshipKind'
  | 'theme'
  | 'workingTime'
  | 'language'
  | 'origin'
  | 'internshipCountry'
  | 'gratificationBasis'
  | 'paymentMode'
  | 'naf'
  | 'legalStatus'
  | 'hostType'
  | 'headcount'
  | 'hostCountry';

interface Join {
  sql: string;
  requires?: readonly JoinName[];
}

/** The label of a code of a reference list, under `alias` (`alias.label`). */
const reference = (alias: string, list: string, code: string) => `LEFT JOIN reference_item ${alias} ON ${alias}.list = '${list}' AND ${alias}.code = ${code}`;

/** In the order they are written: a join comes after the ones it requires. */
const JOINS: Record<JoinName, Join> = {
  student: { sql: 'JOIN student s ON s.id = c.student_id' },
  enrolment: { sql: 'JOIN enrolment e ON e.id = c.enrolment_id' },
  faculty: { sql: 'JOIN faculty f ON f.code = e.faculty_code', requires: ['enrolment'] },
  step: { sql: 'JOIN study_step st ON st.code = e.step_code', requires: ['enrolment'] },
  centre: { sql: 'JOIN centre ce ON ce.id = c.centre_id' },
  // When the validations in force were given, from the history (the convention row keeps no date of its own).
  validations: {
    sql: `LEFT JOIN LATERAL (
            SELECT max(tr.at) FILTER (WHERE tr.action = 'validate') AS validated_at,
                   max(tr.at) FILTER (WHERE tr.action = 'validate_pedagogically') AS pedagogically_validated_at,
                   max(tr.at) FILTER (WHERE tr.to_status = 'submitted') AS back_to_submitted_at
            FROM convention_transition tr WHERE tr.convention_id = c.id) v ON true`,
  },
  supervisor: { sql: 'LEFT JOIN teacher t ON t.id = c.effective_supervisor_teacher_id' },
  signatory: { sql: 'LEFT JOIN host_contact sg ON sg.id = c.signatory_id' },
  host: { sql: 'LEFT JOIN host h ON h.id = c.host_id' },
  service: { sql: 'LEFT JOIN host_service sv ON sv.id = c.effective_service_id' },
  tutor: { sql: 'LEFT JOIN host_contact tu ON tu.id = c.effective_tutor_id' },
  conventionType: { sql: reference('r_type', 'conventionTypes', 'c.convention_type') },
  internshipKind: { sql: reference('r_kind', 'internshipKinds', 'c.internship_kind') },
  theme: { sql: reference('r_theme', 'themes', 'c.theme') },
  workingTime: { sql: reference('r_time', 'workingTime', 'c.working_time') },
  language: { sql: reference('r_language', 'conventionLanguages', 'c.print_language') },
  origin: { sql: reference('r_origin', 'internshipOrigins', 'c.internship_origin') },
  internshipCountry: { sql: reference('r_country', 'countries', 'c.internship_country') },
  gratificationBasis: { sql: reference('r_basis', 'gratificationUnits', 'c.effective_gratification_basis') },
  paymentMode: { sql: reference('r_payment', 'gratificationPaymentModes', 'c.gratification_payment_mode') },
  naf: { sql: reference('r_naf', 'nafClasses', 'h.naf_code'), requires: ['host'] },
  legalStatus: { sql: reference('r_legal', 'legalStatuses', 'h.legal_status_code'), requires: ['host'] },
  hostType: { sql: reference('r_host_type', 'hostTypes', 'h.host_type_code'), requires: ['host'] },
  headcount: { sql: reference('r_headcount', 'headcountBands', 'h.headcount_code'), requires: ['host'] },
  hostCountry: { sql: reference('r_host_country', 'countries', 'h.country_code'), requires: ['host'] },
};

/** The JOIN clauses of these joins and of those they require, each once, in an order SQL accepts. */
export function joinClauses(names: Iterable<JoinName>): string[] {
  const needed = new Set<JoinName>();
  const add = (name: JoinName) => {
    if (needed.has(name)) return;
    needed.add(name);
    for (const required of JOINS[name].requires ?? []) add(required);
  };
  for (const name of names) add(name);
  return (Object.keys(JOINS) as JoinName[]).filter((name) => needed.has(name)).map((name) => JOINS[name].sql);
}
