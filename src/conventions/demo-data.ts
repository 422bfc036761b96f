import type { Knex } from 'knex';
import { addDays, isoDayOfWeek } from '../rules/calendar.ts';
import { computePresence } from '../rules/presence-hours.ts';
import { loadLegalParameters } from './shared/legal.ts';
import { resolveCentreForEnrolments } from '../centres/resolution.ts';

/**
 * Demo conventions, a few in each state, for the demo students of
 * seeds/demo.ts. Call it after the demo people and hosts exist: `await seedDemoConventions(trx, today)`.
 * It uses the first demo host that has a service and a contact, and creates a small one when the
 * directory is empty. Runs only on a database without any convention.
 */
interface DemoConvention {
  login: string;
  status: 'draft' | 'submitted' | 'pedagogically_validated' | 'validated' | 'refused' | 'cancelled';
  /** Days from today to the start, and length in weeks. */
  startsIn: number;
  weeks: number;
  subject: string;
  supervisor?: string;
}

const DEMO_CONVENTIONS: DemoConvention[] = [
  { login: 'etu.sciences1', status: 'draft', startsIn: 120, weeks: 8, subject: 'Analyse de données de capteurs' },
  { login: 'etu.sciences1', status: 'submitted', startsIn: 90, weeks: 12, subject: 'Développement d’une application web de suivi', supervisor: 'prof.martin' },
  {
    login: 'etu.sciences2',
    status: 'pedagogically_validated',
    startsIn: 60,
    weeks: 10,
    subject: 'Étude de la biodiversité d’un site industriel',
    supervisor: 'prof.petit',
  },
  { login: 'etu.sciences2', status: 'cancelled', startsIn: 200, weeks: 4, subject: 'Stage annulé par l’organisme' },
  { login: 'etu.droit1', status: 'validated', startsIn: -20, weeks: 8, subject: 'Veille juridique en droit des contrats', supervisor: 'prof.durand' },
  { login: 'etu.droit1', status: 'refused', startsIn: 150, weeks: 6, subject: 'Assistanat juridique', supervisor: 'prof.durand' },
];

async function demoHost(trx: Knex.Transaction): Promise<{ hostId: number; serviceId: number; contactId: number }> {
  const existing = (await trx('host_contact as k')
    .join('host as h', 'h.id', 'k.host_id')
    .whereNull('k.deleted_at')
    .whereNull('h.deleted_at')
    .orderBy('k.id')
    .first('k.host_id', 'k.service_id', 'k.id')) as { host_id: number; service_id: number; id: number } | undefined;
  if (existing) return { hostId: existing.host_id, serviceId: existing.service_id, contactId: existing.id };
  const [host] = (await trx('host')
    .insert({
      name: 'Laboratoire de démonstration',
      siret: '73282932000074',
      naf_code: '72.19Z',
      legal_status_code: 'SAS',
      host_type_code: '3',
      address: '5 avenue de la Recherche',
      postal_code: '69007',
      town: 'Lyon',
      country_code: 'FR',
      phone: '04 72 00 00 00',
      created_by: 'demo',
      updated_by: 'demo',
    })
    .returning('id')) as { id: number }[];
  const [service] = (await trx('host_service')
    .insert({ host_id: host!.id, name: 'Service recherche et développement', created_by: 'demo', updated_by: 'demo' })
    .returning('id')) as { id: number }[];
  const [contact] = (await trx('host_contact')
    .insert({
      host_id: host!.id,
      service_id: service!.id,
      civility: 'MME',
      last_name: 'Lambert',
      first_name: 'Claire',
      function: 'Directrice de recherche',
      phone: '04 72 00 00 01',
      email: 'claire.lambert@labo-demo.fr',
      created_by: 'demo',
      updated_by: 'demo',
    })
    .returning('id')) as { id: number }[];
  return { hostId: host!.id, serviceId: service!.id, contactId: contact!.id };
}

/** The Monday on or after a date, so that demo internships start at the beginning of a week. */
function nextMonday(date: string): string {
  return addDays(date, (8 - isoDayOfWeek(date)) % 7);
}

/** The history that led a demo convention to its state, by the people who would have acted. */
function demoHistory(conventionId: number, demo: (typeof DEMO_CONVENTIONS)[number]) {
  const staff = demo.login.startsWith('etu.droit') ? 'gest.droit' : 'gest.sciences';
  const steps: { action: string; from_status: string; to_status: string; actor_login: string; reason?: string }[] = [
    { action: 'submit', from_status: 'draft', to_status: 'submitted', actor_login: demo.login },
  ];
  if (demo.status === 'pedagogically_validated')
    steps.push({ action: 'validate_pedagogically', from_status: 'submitted', to_status: 'pedagogically_validated', actor_login: demo.supervisor ?? staff });
  if (demo.status === 'validated') steps.push({ action: 'validate', from_status: 'submitted', to_status: 'validated', actor_login: staff });
  if (demo.status === 'cancelled') steps.push({ action: 'cancel', from_status: 'submitted', to_status: 'cancelled', actor_login: demo.login });
  if (demo.status === 'refused') {
    steps.push({
      action: 'refuse',
      from_status: 'submitted',
      to_status: 'refused',
      actor_login: staff,
      reason: 'Les missions confiées sont trop peu détaillées : décrivez précisément les activités du stage.',
    });
  }
  return steps.map((step, index) => ({ ...step, convention_id: conventionId, at: new Date(Date.now() - (steps.length - index) * 3_600_000) }));
}

export async function seedDemoConventions(knex: Knex | Knex.Transaction, today: string): Promise<void> {
  const run = async (trx: Knex.Transaction) => {
    const existing = (await trx('convention').count({ count: '*' }).first()) as { count: number } | undefined;
    if (Number(existing?.count ?? 0) > 0) return;
    const parameters = await loadLegalParameters(trx);
    const { hostId, serviceId, contactId } = await demoHost(trx);
    for (const demo of DEMO_CONVENTIONS) {
      const enrolment = (await trx('enrolment as e')
        .join('student as s', 's.id', 'e.student_id')
        .where('s.login', demo.login)
        .orderBy('e.academic_year', 'desc')
        .first('e.id', 'e.student_id', 'e.academic_year', 'e.faculty_code', 'e.step_code', 's.address', 's.postal_code', 's.town')) as
        | {
            id: number;
            student_id: number;
            academic_year: string;
            faculty_code: string;
            step_code: string;
            address: string | null;
            postal_code: string | null;
            town: string | null;
          }
        | undefined;
      if (!enrolment) continue;
      const [centre] = await resolveCentreForEnrolments(trx, [{ facultyCode: enrolment.faculty_code, stepCode: enrolment.step_code }]);
      const supervisor = demo.supervisor ? ((await trx('teacher').where({ login: demo.supervisor }).first('id')) as { id: number } | undefined) : undefined;
      const startDate = nextMonday(addDays(today, demo.startsIn));
      const endDate = addDays(startDate, demo.weeks * 7 - 3);
      const presence = computePresence({ startDate, endDate, daysPerWeek: 5, hoursPerWeek: '35' }, parameters);
      const number =
        demo.status === 'draft'
          ? null
          : ((await trx.raw("SELECT nextval('convention_number_seq')::int AS number")) as { rows: { number: number }[] }).rows[0]!.number;
      const [inserted] = (await trx('convention')
        .insert({
          number,
          status: demo.status,
          student_id: enrolment.student_id,
          enrolment_id: enrolment.id,
          centre_id: centre!.id,
          academic_year: enrolment.academic_year,
          host_id: hostId,
          service_id: serviceId,
          tutor_id: contactId,
          signatory_id: demo.status === 'draft' ? null : contactId,
          supervisor_teacher_id: supervisor?.id ?? null,
          student_address: enrolment.address ?? '10 rue des Écoles',
          student_postal_code: enrolment.postal_code ?? '75005',
          student_town: enrolment.town ?? 'Paris',
          student_country: 'FR',
          social_security_affiliation: 'ASSETUDIANT',
          health_insurance_scheme: 'CPAM',
          cpam_office: "Caisse primaire d'assurance maladie (CPAM) de Paris - 75948 Paris Cedex 19",
          convention_type: 'FI',
          internship_kind: 'OBL',
          theme: '8',
          subject: demo.subject,
          activities: 'Participation aux projets de l’équipe, sous la responsabilité de la tutrice.',
          skills: 'Travail en équipe, rigueur, communication écrite.',
          start_date: startDate,
          end_date: endDate,
          days_per_week: 5,
          hours_per_week: 35,
          working_time: 'TCOMP',
          supervision_terms: 'Un point hebdomadaire avec la tutrice ; une visite de l’enseignant référent.',
          // Paid in every case: a demo student's conventions with the one demo host add up past the threshold.
          gratification: true,
          gratification_amount_cents: 450,
          gratification_basis: 'NET',
          gratification_per: 'hour',
          gratification_payment_mode: 'VIREMENT',
          gratification_currency: 'EUR',
          internship_origin: '2',
          internship_country: 'FR',
          print_language: 'fr',
          total_presence_minutes: presence.totalMinutes,
          completed_steps: ['student', 'host', 'service', 'tutor', 'internship', 'supervisor', 'signatory'],
          submitted_at: number === null ? null : new Date(),
          submitted_by: number === null ? null : demo.login,
          created_by: 'demo',
          updated_by: 'demo',
        })
        .returning('id')) as { id: number }[];
      if (number !== null) await trx('convention_transition').insert(demoHistory(inserted!.id, demo));
    }
  };
  if (knex.isTransaction) await run(knex as Knex.Transaction);
  else await (knex as Knex).transaction(run);
}
