import type { Knex } from 'knex';
import { academicYearOf, todayInFrance, type SwitchOver } from '../src/rules/academic-year.ts';
import { seedDemoConventions } from '../src/conventions/demo-data.ts';
import { seedDemoOffers } from '../src/offers/demo-data.ts';

/**
 * Demo data: the institution's centres, steps, teachers, staff with their rights,
 * students with enrolments, hosts with services and contacts, conventions in each state and offers, so that
 * every demo login of the sign-in page has something to do.
 * Runs only on a database without any centre; everything in one transaction.
 */
const faculties = [
  { code: 'SCI', label: 'UFR Sciences et techniques' },
  { code: 'DEG', label: 'UFR Droit, économie et gestion' },
  { code: 'IUT', label: 'Institut universitaire de technologie' },
  { code: 'LLSH', label: 'UFR Lettres, langues et sciences humaines' },
];

const steps = [
  { code: 'L3INFO', label: 'Licence 3 Informatique', faculty_code: 'SCI' },
  { code: 'M1BIO', label: 'Master 1 Biologie', faculty_code: 'SCI' },
  { code: 'M2INFO', label: 'Master 2 Informatique', faculty_code: 'SCI' },
  { code: 'L3DROIT', label: 'Licence 3 Droit', faculty_code: 'DEG' },
  { code: 'M1ECO', label: 'Master 1 Économie', faculty_code: 'DEG' },
  { code: 'BUTGEA2', label: 'BUT Gestion des entreprises et des administrations 2', faculty_code: 'IUT' },
  { code: 'BUTINFO2', label: 'BUT Informatique 2', faculty_code: 'IUT' },
  { code: 'L2HIST', label: 'Licence 2 Histoire', faculty_code: 'LLSH' },
];

const centres = [
  {
    name: 'Université de démonstration',
    level: 'ETABLISSEMENT',
    address: '1 place de l’Université',
    postal_code: '75005',
    town: 'Paris',
    phone: '01 40 00 00 00',
    email: 'stages@univ-demo.fr',
    website: 'https://www.univ-demo.fr',
    signing_officer_name: 'Claire Président',
    signing_officer_title: 'Présidente de l’université',
    criteria: [] as { kind: string; code: string }[],
  },
  {
    name: 'UFR Sciences et techniques',
    level: 'UFR',
    address: '12 rue des Sciences',
    postal_code: '75005',
    town: 'Paris',
    phone: '01 40 00 10 00',
    email: 'stages-sciences@univ-demo.fr',
    signing_officer_name: 'Paul Doyen',
    signing_officer_title: 'Directeur de l’UFR Sciences et techniques',
    pedagogical_validation_required: true,
    criteria: [{ kind: 'faculty', code: 'SCI' }],
  },
  {
    name: 'UFR Droit et économie',
    level: 'UFR',
    address: '4 place du Panthéon',
    postal_code: '75005',
    town: 'Paris',
    phone: '01 40 00 20 00',
    email: 'stages-droit@univ-demo.fr',
    student_print_rule: 'after_administrative',
    tutor_mandatory: true,
    criteria: [{ kind: 'faculty', code: 'DEG' }],
  },
  {
    name: 'IUT',
    level: 'ETAPE',
    address: '143 avenue de Versailles',
    postal_code: '75016',
    town: 'Paris',
    phone: '01 40 00 30 00',
    email: 'stages-iut@univ-demo.fr',
    criteria: [
      { kind: 'step', code: 'BUTGEA2' },
      { kind: 'step', code: 'BUTINFO2' },
    ],
  },
  {
    name: 'Centre entreprises',
    level: 'ENTREPRISE',
    address: '1 place de l’Université',
    postal_code: '75005',
    town: 'Paris',
    phone: '01 40 00 40 00',
    email: 'entreprises@univ-demo.fr',
    criteria: [],
  },
];

const staff = [
  { login: 'admin', last_name: 'Admin', first_name: 'Alice', email: 'alice.admin@univ-demo.fr', department: 'Direction des systèmes d’information' },
  { login: 'resp.sciences', last_name: 'Responsable', first_name: 'Rémi', email: 'remi.responsable@univ-demo.fr', department: 'Scolarité Sciences' },
  { login: 'gest.sciences', last_name: 'Gestionnaire', first_name: 'Sophie', email: 'sophie.gestionnaire@univ-demo.fr', department: 'Scolarité Sciences' },
  { login: 'lect.sciences', last_name: 'Lecteur', first_name: 'Luc', email: 'luc.lecteur@univ-demo.fr', department: 'Scolarité Sciences' },
  { login: 'gest.droit', last_name: 'Gestionnaire', first_name: 'Denis', email: 'denis.gestionnaire@univ-demo.fr', department: 'Scolarité Droit' },
  { login: 'gest.iut', last_name: 'Bernard', first_name: 'Isabelle', email: 'isabelle.bernard@univ-demo.fr', department: 'Scolarité IUT' },
  { login: 'agent.stages', last_name: 'Lefèvre', first_name: 'Hélène', email: 'helene.lefevre@univ-demo.fr', department: 'Bureau des stages' },
];

const memberships = [
  { login: 'resp.sciences', centre: 'UFR Sciences et techniques', access_right: 'ADMIN', appears_on_conventions: true },
  { login: 'gest.sciences', centre: 'UFR Sciences et techniques', access_right: 'WRITE', appears_on_conventions: true, notify: true },
  { login: 'lect.sciences', centre: 'UFR Sciences et techniques', access_right: 'READ', appears_on_conventions: false },
  { login: 'gest.droit', centre: 'UFR Droit et économie', access_right: 'WRITE', appears_on_conventions: true, notify: true },
  { login: 'gest.iut', centre: 'IUT', access_right: 'ADMIN', appears_on_conventions: true },
  { login: 'agent.stages', centre: 'Université de démonstration', access_right: 'WRITE', appears_on_conventions: true },
  { login: 'agent.stages', centre: 'Centre entreprises', access_right: 'WRITE', appears_on_conventions: false },
];

const teachers = [
  { login: 'prof.martin', last_name: 'Martin', first_name: 'Jeanne', email: 'jeanne.martin@univ-demo.fr', department: 'Informatique' },
  { login: 'prof.durand', last_name: 'Durand', first_name: 'Pierre', email: 'pierre.durand@univ-demo.fr', department: 'Droit privé' },
  { login: 'prof.petit', last_name: 'Petit', first_name: 'Nadia', email: 'nadia.petit@univ-demo.fr', department: 'Biologie' },
];

const students = [
  { login: 'etu.sciences1', student_number: '22100001', last_name: 'Moreau', first_name: 'Léa', birth_date: '2003-04-12', steps: ['L3INFO'] },
  { login: 'etu.sciences2', student_number: '22100002', last_name: 'Nguyen', first_name: 'Thomas', birth_date: '2002-11-30', steps: ['M1BIO'] },
  { login: 'etu.droit1', student_number: '22100003', last_name: 'Garcia', first_name: 'Inès', birth_date: '2003-01-05', steps: ['L3DROIT'] },
  { login: 'etu.iut1', student_number: '22100004', last_name: 'Robert', first_name: 'Hugo', birth_date: '2004-06-21', steps: ['BUTINFO2'] },
  { login: 'etu.lettres1', student_number: '22100005', last_name: 'Dubois', first_name: 'Chloé', birth_date: '2004-09-02', steps: ['L2HIST'] },
];

const hosts = [
  {
    name: 'Logiciels Atlantique',
    siret: '44287651200017',
    naf_code: '62.01Z',
    legal_status_code: 'SAS',
    host_type_code: '3',
    headcount_code: '12',
    address: '8 quai de la Fosse',
    postal_code: '44000',
    town: 'Nantes',
    phone: '02 40 00 00 01',
    email: 'contact@logiciels-atlantique.fr',
    website: 'https://www.logiciels-atlantique.fr',
    services: [
      {
        name: 'Pôle développement web',
        contacts: [
          {
            civility: 'MME',
            last_name: 'Leroy',
            first_name: 'Camille',
            function: 'Responsable technique',
            phone: '02 40 00 00 11',
            email: 'camille.leroy@logiciels-atlantique.fr',
          },
          {
            civility: 'M',
            last_name: 'Fabre',
            first_name: 'Antoine',
            function: 'Président',
            phone: '02 40 00 00 10',
            email: 'antoine.fabre@logiciels-atlantique.fr',
          },
        ],
      },
    ],
  },
  {
    name: 'Laboratoire Océan Bleu',
    siret: '81234567800013',
    naf_code: '72.19Z',
    legal_status_code: 'ASSO',
    host_type_code: '2',
    headcount_code: '11',
    address: '2 rue de l’Estran',
    postal_code: '29200',
    town: 'Brest',
    phone: '02 98 00 00 02',
    email: 'accueil@ocean-bleu.org',
    services: [
      {
        name: 'Équipe biodiversité marine',
        contacts: [
          { civility: 'M', last_name: 'Kerouac', first_name: 'Yann', function: 'Chercheur', phone: '02 98 00 00 12', email: 'yann.kerouac@ocean-bleu.org' },
        ],
      },
    ],
  },
  {
    name: 'Cabinet Lefèvre Avocats',
    siret: '53210987600021',
    naf_code: '69.10Z',
    legal_status_code: 'SCP',
    host_type_code: '3',
    headcount_code: '03',
    address: '15 place Bellecour',
    postal_code: '69002',
    town: 'Lyon',
    phone: '04 72 00 00 03',
    email: 'cabinet@lefevre-avocats.fr',
    services: [
      {
        name: 'Droit des affaires',
        contacts: [
          {
            civility: 'MME',
            last_name: 'Lefèvre',
            first_name: 'Anne',
            function: 'Avocate associée',
            phone: '04 72 00 00 13',
            email: 'anne.lefevre@lefevre-avocats.fr',
          },
        ],
      },
    ],
  },
  {
    name: 'Mairie de Montreuil',
    siret: '21930485700010',
    naf_code: '84.11Z',
    legal_status_code: 'CT',
    host_type_code: '1',
    headcount_code: '21',
    address: '1 place Jean Jaurès',
    postal_code: '93100',
    town: 'Montreuil',
    phone: '01 48 00 00 04',
    services: [
      {
        name: 'Service urbanisme',
        contacts: [
          {
            civility: 'M',
            last_name: 'Diallo',
            first_name: 'Moussa',
            function: 'Chef de service',
            phone: '01 48 00 00 14',
            email: 'moussa.diallo@montreuil.fr',
          },
        ],
      },
    ],
  },
];

export async function seed(knex: Knex, switchOver: SwitchOver = { month: 9, day: 1 }): Promise<void> {
  const academicYear = academicYearOf(todayInFrance(), switchOver);
  await knex.transaction(async (trx) => {
    await trx('faculty').insert(faculties);
    await trx('study_step').insert(steps);

    const centreIds = new Map<string, number>();
    for (const { criteria, ...centre } of centres) {
      const [row] = await trx('centre')
        .insert({ ...centre, created_by: 'demo' })
        .returning('id');
      centreIds.set(centre.name, row.id);
      if (criteria.length > 0) await trx('centre_criterion').insert(criteria.map((criterion) => ({ ...criterion, centre_id: row.id })));
    }

    const staffIds = new Map<string, number>(
      (await trx('staff').insert(staff).returning(['id', 'login'])).map((row: { id: number; login: string }) => [row.login, row.id]),
    );
    await trx('centre_member').insert(
      memberships.map(({ login, centre, ...membership }) => ({
        ...membership,
        staff_id: staffIds.get(login),
        centre_id: centreIds.get(centre),
        created_by: 'demo',
      })),
    );

    await trx('teacher').insert(teachers);

    for (const { steps: studentSteps, ...student } of students) {
      const [row] = await trx('student')
        .insert({
          ...student,
          email: `${student.first_name.toLowerCase().normalize('NFD').replace(/\p{M}/gu, '')}.${student.last_name.toLowerCase()}@etu.univ-demo.fr`,
          phone: '01 23 45 67 89',
          address: '10 rue des Écoles',
          postal_code: '75005',
          town: 'Paris',
          country: 'FRANCE',
        })
        .returning('id');
      await trx('enrolment').insert(
        studentSteps.map((stepCode) => ({
          student_id: row.id,
          academic_year: academicYear,
          step_code: stepCode,
          faculty_code: steps.find((step) => step.code === stepCode)!.faculty_code,
        })),
      );
    }

    for (const { services, ...host } of hosts) {
      const [hostRow] = await trx('host')
        .insert({ ...host, country_code: 'FR', created_by: 'demo' })
        .returning('id');
      for (const { contacts, ...service } of services) {
        const [serviceRow] = await trx('host_service')
          .insert({ ...service, host_id: hostRow.id, created_by: 'demo' })
          .returning('id');
        await trx('host_contact').insert(contacts.map((contact) => ({ ...contact, host_id: hostRow.id, service_id: serviceRow.id, created_by: 'demo' })));
      }
    }

    await seedDemoConventions(trx, todayInFrance());
    await seedDemoOffers(trx, todayInFrance(), switchOver);
  });
}

export async function databaseIsEmpty(knex: Knex): Promise<boolean> {
  const row = await knex('centre').count<{ count: number }[]>({ count: '*' }).first();
  return Number(row?.count ?? 0) === 0;
}
