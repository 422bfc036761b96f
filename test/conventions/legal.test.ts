import type TestAgent from 'supertest/lib/agent.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/test-app.ts';
import { completeWizard, conventionTables, enrolmentOf, expectRedirect, post, postStep, studentFields } from './support.ts';

/**
 * The legal checks of step 5 and of Create (docs/domain.md), with the parameters of the database and the
 * centre's settings, and the student's other conventions with the same host.
 */
describe('legal checks and centre settings in the wizard', () => {
  let app: TestApp;
  let student: TestAgent;

  beforeAll(async () => {
    app = await startTestApp();
    student = await app.signIn('etu.sciences1');
  });
  afterAll(() => app.close());

  const sciences = async () => (await app.knex('centre').where({ name: 'UFR Sciences et techniques' }).first('id')).id as number;

  it('shows the computed hours with their breakdown, the obligation and the minimum on the confirmation page', async () => {
    // 1 March – 28 May 2027, Monday–Friday, 35 h: 65 weekdays minus Easter Monday (29/03), Ascension (06/05) and Whit Monday (17/05) = 62 days = 434 h.
    const { base } = await completeWizard(student, app.knex, { login: 'etu.sciences1' });
    const page = await student.get(`${base}/internship/confirm`).expect(200);
    expect(page.text).toContain('434\u00a0h');
    expect(page.text).toContain('soit 2 mois, 18 jour(s) et 0 h');
    expect(page.text).toContain('Lundi de Pâques (29/03/2027)');
    expect(page.text).toContain('Ascension (06/05/2027)');
    expect(page.text).toContain('Lundi de Pentecôte (17/05/2027)');
    expect(page.text).toContain('La gratification est obligatoire : la durée dépasse 308\u00a0h.');
    expect(page.text).toContain('2027 : 4,50\u00a0€ par heure (taux provisoire)');
    const row = await app
      .knex('convention')
      .where({ id: Number(base.split('/').pop()) })
      .first('total_presence_minutes');
    expect(row.total_presence_minutes).toBe(434 * 60);
  });

  it('counts the student’s other conventions with the same host in the academic year: 924 h at most', async () => {
    // A first convention of 434 h is created with the host; a second one of 511 h there would make 945 h.
    await completeWizard(student, app.knex, { login: 'etu.sciences1', create: true });
    const { base } = await completeWizard(student, app.knex, { login: 'etu.sciences1', internship: { start_date: '2027-06-01', end_date: '2027-06-30' } });
    const before = await conventionTables(app.knex);
    const response = await postStep(student, base, 'internship', {
      ...(await import('./support.ts')).internshipFields({ start_date: '2027-06-01', end_date: '2027-09-10' }),
    });
    expect(response.status).toBe(422);
    expect(response.text).toMatch(/y compris les autres conventions de l’étudiant dans cet organisme \(n° \d+\)/);
    expect(response.text).toMatch(/ne peut pas dépasser 924\s*h/);
    expect(await conventionTables(app.knex)).toBe(before);
  });

  it('makes the gratification mandatory when the hours with the same host pass 308 h', async () => {
    // 4 weeks alone are 140 h; with the 434 h already there, the gratification is owed.
    const { base } = await completeWizard(student, app.knex, { login: 'etu.sciences1', internship: { start_date: '2027-06-01', end_date: '2027-06-28' } });
    const fields = (await import('./support.ts')).internshipFields({
      start_date: '2027-06-01',
      end_date: '2027-06-28',
      gratification: 'no',
      gratification_amount: '',
      gratification_per: '',
      gratification_basis: '',
      gratification_payment_mode: '',
    });
    const response = await postStep(student, base, 'internship', fields);
    expect(response.status).toBe(422);
    expect(response.text).toContain('une gratification est obligatoire');
  });

  it('asks to confirm warnings before Create, and takes the parameters from the database', async () => {
    const { base } = await completeWizard(student, app.knex, {
      login: 'etu.sciences1',
      host: { name: 'Autre organisme', siret: '', country_code: 'ES', postal_code: '28001', town: 'Madrid', phone: '+34 912 345 678' },
      internship: {
        start_date: '2027-07-05',
        end_date: '2027-07-16',
        hours_per_week: '39',
        internship_country: 'ES',
        print_language: 'es',
        gratification: 'no',
        gratification_amount: '',
        gratification_per: '',
        gratification_basis: '',
        gratification_payment_mode: '',
      },
    });
    const summary = await student.get(`${base}/summary`).expect(200);
    expect(summary.text).toContain('dépasse la durée légale de 35\u00a0h');
    const version = /name="version" value="(\d+)"/.exec(summary.text)![1]!;
    const refused = await post(student, `${base}/create`, { version }, `${base}/summary`);
    expect(refused.status).toBe(422);
    expect(refused.text).toContain('Cochez la case pour confirmer');
    expect(
      (
        await app
          .knex('convention')
          .where({ id: Number(base.split('/').pop()) })
          .first('status')
      ).status,
    ).toBe('draft');

    // A stricter weekly maximum in the database applies at once.
    await app
      .knex('legal_parameter')
      .where({ key: 'maxWeeklyHours' })
      .update({ value: JSON.stringify({ value: 38 }) });
    try {
      const blocked = await post(student, `${base}/create`, { version, confirm_warnings: 'on' }, `${base}/summary`);
      expect(blocked.status).toBe(422);
      expect(blocked.text).toMatch(/dépasse le maximum autorisé de 38\s*h/);
    } finally {
      await app
        .knex('legal_parameter')
        .where({ key: 'maxWeeklyHours' })
        .update({ value: JSON.stringify({ value: 48 }) });
    }
    const created = await post(student, `${base}/create`, { version, confirm_warnings: 'on' }, `${base}/summary`);
    expectRedirect(created, /^\/conventions\/\d+$/);
  });

  it('blocks overlapping internships when the centre forbids them, and warns otherwise', async () => {
    const centre = await sciences();
    const { base } = await completeWizard(student, app.knex, {
      login: 'etu.sciences1',
      host: { name: 'Troisième organisme', siret: '', country_code: 'IT', postal_code: '00100', town: 'Roma', phone: '+39 06 1234 5678' },
      internship: {
        start_date: '2027-03-15',
        end_date: '2027-03-26',
        internship_country: 'IT',
        print_language: 'it',
        gratification: 'no',
        gratification_amount: '',
        gratification_per: '',
        gratification_basis: '',
        gratification_payment_mode: '',
      },
    });
    const warned = await student.get(`${base}/internship/confirm`).expect(200);
    expect(warned.text).toContain('chevauchent celles d’une autre convention');
    await app.knex('centre').where({ id: centre }).update({ overlapping_internships_allowed: false });
    try {
      const blocked = await student.get(`${base}/internship/confirm`).expect(200);
      expect(blocked.text).toContain('le centre de gestion n’autorise pas les stages simultanés');
      expect(blocked.text).not.toContain('Confirmer et continuer');
      const version = /name="version" value="(\d+)"/.exec(blocked.text)![1]!;
      expect((await post(student, `${base}/internship/confirm`, { version }, `${base}/internship/confirm`)).status).toBe(422);
    } finally {
      await app.knex('centre').where({ id: centre }).update({ overlapping_internships_allowed: true });
    }
  });

  it('honours the centre settings on the tutor and the academic supervisor', async () => {
    const centre = await sciences();
    const { id } = await enrolmentOf(app.knex, 'etu.sciences1');
    const base = expectRedirect(await post(student, '/conventions/new/student', studentFields(id), '/conventions/new/student')).replace(/\/host$/, '');
    await app.knex('centre').where({ id: centre }).update({ supervisor_mandatory: true, tutor_mandatory: true, students_may_enter_tutor: false });
    try {
      const supervisor = await student.get(`${base}/supervisor`).expect(200);
      expect(supervisor.text).toContain('Votre centre de gestion demande d’indiquer l’enseignant référent.');
      expect(supervisor.text).not.toContain('name="skip"');
      const version = /name="version" value="(\d+)"/.exec(supervisor.text)![1]!;
      const skipped = await post(student, `${base}/supervisor`, { version, skip: '1' }, `${base}/supervisor`);
      expect(skipped.status).toBe(422);
      expect(skipped.text).toContain('demande d’indiquer l’enseignant référent');

      // The student may not enter the tutor: the step says so; the summary does not require it from them.
      const hostId = (await app.knex('host').where({ name: 'Laboratoire Exemple' }).first('id')).id;
      const serviceId = (await app.knex('host_service').where({ host_id: hostId }).first('id')).id;
      await app
        .knex('convention')
        .where({ id: Number(base.split('/').pop()) })
        .update({ host_id: hostId, service_id: serviceId });
      const tutor = await student.get(`${base}/tutor`).expect(200);
      expect(tutor.text).toContain('Votre centre de gestion saisit lui-même le tuteur');
      expect(tutor.text).not.toContain(`action="${base}/tutor"`);
      const contact = (await app.knex('host_contact').where({ host_id: hostId }).first('id')).id;
      const forged = await post(
        student,
        `${base}/tutor`,
        {
          version: String(
            (
              await app
                .knex('convention')
                .where({ id: Number(base.split('/').pop()) })
                .first('version')
            ).version,
          ),
          contact_id: String(contact),
        },
        `${base}/tutor`,
      );
      expect(forged.status).toBe(403);
      const summary = await student.get(`${base}/summary`).expect(200);
      expect(summary.text).toContain(
        'Étapes à compléter avant de créer la convention : Établissement d’accueil, Service d’accueil, Stage, Enseignant référent.',
      );
    } finally {
      await app.knex('centre').where({ id: centre }).update({ supervisor_mandatory: false, tutor_mandatory: false, students_may_enter_tutor: true });
    }
  });

  it('warns staff, but blocks students, about a start date already passed', async () => {
    const staff = await app.signIn('gest.sciences');
    const { studentId } = await enrolmentOf(app.knex, 'etu.sciences2');
    const { base } = await completeWizard(staff, app.knex, {
      login: 'etu.sciences2',
      studentId,
      host: { name: 'Quatrième organisme', siret: '', country_code: 'PT', postal_code: '1000-001', town: 'Lisboa', phone: '+351 21 123 4567' },
      internship: {
        start_date: '2026-10-05',
        end_date: '2026-10-30',
        internship_country: 'PT',
        print_language: 'fr',
        gratification: 'no',
        gratification_amount: '',
        gratification_per: '',
        gratification_basis: '',
        gratification_payment_mode: '',
      },
    });
    const page = await staff.get(`${base}/internship/confirm`).expect(200);
    expect(page.text).toContain('La date de début du stage (05/10/2026) est déjà passée.');
    expect(page.text).toContain('Confirmer et continuer');
  });
});

describe('warnings on the people of a convention', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp();
  });
  afterAll(() => app.close());

  it('warns when the academic supervisor is above the cap of the legal parameters', async () => {
    // A teacher of this test only: the demo teachers already supervise demo conventions.
    await app
      .knex('teacher')
      .insert({ login: 'prof.plafond', last_name: 'Plafond', first_name: 'Paul', email: 'paul.plafond@univ-demo.fr', department: 'Informatique' });
    const student = await app.signIn('etu.sciences1');
    await completeWizard(student, app.knex, { login: 'etu.sciences1', create: true, supervisor: 'prof.plafond' });
    const { base } = await completeWizard(student, app.knex, {
      login: 'etu.sciences1',
      supervisor: 'prof.plafond',
      internship: { start_date: '2027-09-06', end_date: '2027-09-17' },
    });
    expect((await student.get(`${base}/summary`).expect(200)).text).not.toContain('Cet enseignant référent suit déjà');
    await app
      .knex('legal_parameter')
      .where({ key: 'maxInternsPerAcademicSupervisor' })
      .update({ value: JSON.stringify({ value: 1 }) });
    const summary = await student.get(`${base}/summary`).expect(200);
    expect(summary.text).toContain('Cet enseignant référent suit déjà 1 stagiaire(s) ; le plafond est de 1.');
  });
});
