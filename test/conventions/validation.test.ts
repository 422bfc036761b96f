import type TestAgent from 'supertest/lib/agent.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/test-app.ts';
import {
  completeWizard,
  contactFields,
  conventionTables,
  enrolmentOf,
  hostFields,
  internshipFields,
  post,
  postStep,
  serviceFields,
  studentFields,
} from './support.ts';

/**
 * Bad input on every step: a French message next to the field, the input kept, 422, nothing saved
 * (neither the convention nor the directory nor the audit log).
 */
const SCRIPT = '<script>alert("x")</script>';
const ESCAPED = '&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;';

describe('validation of the wizard steps', () => {
  let app: TestApp;
  let agent: TestAgent;
  let enrolmentId: number;
  let base: string;

  beforeAll(async () => {
    app = await startTestApp();
    agent = await app.signIn('etu.sciences1');
    enrolmentId = (await enrolmentOf(app.knex, 'etu.sciences1')).id;
    ({ base } = await completeWizard(agent, app.knex, { login: 'etu.sciences1' }));
  });
  afterAll(() => app.close());

  /** Posts, expects 422 with the message next to the field, and an unchanged database. */
  async function refused(send: () => Promise<{ status: number; text: string }>, field: string, message: string | RegExp) {
    const before = await conventionTables(app.knex);
    const response = await send();
    expect(response.status, response.text.slice(0, 3000)).toBe(422);
    const error = new RegExp(`id="field-${field}-error">([^<]*)<`).exec(response.text) ?? new RegExp(`id="field-${field}">([^<]*)<`).exec(response.text);
    expect(error, `no error next to ${field}`).not.toBeNull();
    if (typeof message === 'string') expect(error![1]).toContain(message);
    else expect(error![1]).toMatch(message);
    expect(response.text).toContain('Le formulaire contient');
    expect(await conventionTables(app.knex)).toBe(before);
    return response.text;
  }

  describe('step 1, student', () => {
    const newStudent = (fields: Record<string, string>) => () =>
      post(agent, '/conventions/new/student', { ...studentFields(enrolmentId), ...fields }, '/conventions/new/student');

    it.each([
      ['student_address', { student_address: '' }, 'Ce champ est obligatoire.'],
      ['student_address', { student_address: 'x'.repeat(301) }, '300 caractères au plus.'],
      ['student_postal_code', { student_postal_code: '7500' }, 'Code postal invalide'],
      ['student_phone', { student_phone: '12' }, 'Numéro de téléphone invalide'],
      ['student_personal_email', { student_personal_email: 'lea@' }, 'Adresse e-mail invalide'],
      ['social_security_affiliation', { social_security_affiliation: '' }, 'Ce champ est obligatoire.'],
      ['health_insurance_scheme', { health_insurance_scheme: 'NOPE' }, 'Choisissez une valeur de la liste.'],
      ['cpam_office', { cpam_office: '' }, 'Indiquez votre caisse primaire'],
      ['enrolment_id', { enrolment_id: 'abc' }, 'Choisissez l’inscription'],
      ['student_country', { student_country: 'ZZ' }, 'Choisissez une valeur de la liste.'],
    ])('refuses a bad %s on a new convention', async (field, fields, message) => {
      await refused(newStudent(fields), field, message);
    });

    it('refuses an enrolment of another student', async () => {
      const other = await enrolmentOf(app.knex, 'etu.droit1');
      await refused(newStudent({ enrolment_id: String(other.id) }), 'enrolment_id', 'Choisissez une inscription de la liste');
    });

    it('shows a script typed in a field escaped, never run', async () => {
      const text = await refused(newStudent({ student_address: SCRIPT, student_postal_code: 'bad' }), 'student_postal_code', 'Code postal invalide');
      expect(text).toContain(ESCAPED);
      expect(text).not.toContain(SCRIPT);
    });

    it('refuses bad values on an existing draft too, keeping the saved ones', async () => {
      await refused(() => postStep(agent, base, 'student', { ...studentFields(enrolmentId), student_town: '' }), 'student_town', 'Ce champ est obligatoire.');
    });

    it('accepts an address abroad with its own postal code', async () => {
      const response = await postStep(agent, base, 'student', { ...studentFields(enrolmentId), student_country: 'BE', student_postal_code: 'B-1000' });
      expect(response.status).toBe(302);
    });
  });

  describe('step 2, host', () => {
    const newHost = (fields: Record<string, string>) => () =>
      postStep(agent, base, 'host/new', hostFields({ name: 'Organisme refusé', siret: '', ...fields }), `${base}/host/new`);

    it.each([
      ['name', { name: '' }, 'Ce champ est obligatoire.'],
      ['name', { name: 'x'.repeat(151) }, '150 caractères au plus.'],
      ['siret', { siret: '732 829 320 00075' }, /SIRET/],
      ['siret', { siret: '' }, /SIRET/],
      ['naf_code', { siret: '552 100 554 00021', naf_code: '99.99X' }, /NAF/],
      ['naf_code', { siret: '552 100 554 00021', naf_code: 'ABC' }, /NAF|format/i],
      ['postal_code', { siret: '552 100 554 00021', postal_code: '123' }, /postal/i],
      ['email', { siret: '552 100 554 00021', email: 'pas-un-email' }, /e-mail/i],
    ])('refuses a bad %s', async (field, fields, message) => {
      await refused(newHost(fields), field, message);
    });

    it('refuses choosing a host that does not exist', async () => {
      const page = `${base}/host?name=laboratoire&selected=${(await app.knex('host').first('id')).id}`;
      await refused(() => postStep(agent, base, 'host', { host_id: '999999' }, page), 'host_id', 'Choisissez un établissement');
    });

    it('shows a script typed as the name escaped', async () => {
      const text = await refused(newHost({ name: SCRIPT, siret: '123' }), 'siret', /SIRET/);
      expect(text).toContain(ESCAPED);
      expect(text).not.toContain(SCRIPT);
    });
  });

  describe('steps 3, 4 and 7, service and contacts', () => {
    it('refuses a service without a name, or with an incomplete address of its own', async () => {
      await refused(() => postStep(agent, base, 'service/new', serviceFields({ name: '' }), `${base}/service/new`), 'name', 'Ce champ est obligatoire.');
      await refused(
        () =>
          postStep(agent, base, 'service/new', serviceFields({ name: 'Annexe', same_address_as_host: '', address: '', town: 'Lyon' }), `${base}/service/new`),
        'address',
        'Ce champ est obligatoire.',
      );
    });

    it('refuses a contact without a name or with a bad e-mail', async () => {
      await refused(() => postStep(agent, base, 'tutor/new', contactFields({ last_name: '' }), `${base}/tutor/new`), 'last_name', 'Ce champ est obligatoire.');
      await refused(() => postStep(agent, base, 'signatory/new', contactFields({ email: 'x@', service_id: '' }), `${base}/signatory/new`), 'email', /e-mail/i);
    });

    it('refuses a contact of another host', async () => {
      const other = await app
        .knex('host_contact')
        .whereNot(
          'host_id',
          (
            await app
              .knex('convention')
              .where({ id: Number(base.split('/').pop()) })
              .first('host_id')
          ).host_id,
        )
        .first('id');
      if (!other) return;
      await refused(() => postStep(agent, base, 'signatory', { contact_id: String(other.id) }), 'contact_id', 'Choisissez un contact');
    });
  });

  describe('step 5, internship', () => {
    const internship = (fields: Record<string, string>) => () => postStep(agent, base, 'internship', internshipFields(fields));

    it.each([
      ['subject', { subject: '' }, 'Ce champ est obligatoire.'],
      ['subject', { subject: 'x'.repeat(501) }, '500 caractères au plus.'],
      ['start_date', { start_date: '2027-02-30' }, 'Date invalide'],
      ['start_date', { start_date: 'demain' }, 'Date invalide'],
      ['hours_per_week', { hours_per_week: 'beaucoup' }, 'Durée invalide'],
      ['hours_per_week', { hours_per_week: '7.333' }, 'Durée invalide'],
      ['gratification_amount', { gratification_amount: '4,50' }, 'Montant invalide'],
      ['gratification_amount', { gratification_amount: '' }, 'Indiquez le montant'],
      ['gratification', { gratification: '' }, 'Répondez par oui ou par non.'],
      ['convention_type', { convention_type: 'XX' }, 'Choisissez une valeur de la liste.'],
      ['days_per_week', { days_per_week: '7' }, 'Choisissez une valeur de la liste.'],
      ['interruption_1_end', { interruption_1_start: '2027-04-12' }, 'Indiquez le début et la fin'],
      ['print_language', { internship_country: 'DE', print_language: '', gratification_currency: 'EUR' }, 'Choisissez la langue'],
      ['gratification_currency', { internship_country: 'US', gratification_currency: 'DOLLARS' }, 'Code de devise'],
    ])('refuses a bad %s', async (field, fields, message) => {
      await refused(internship(fields), field, message);
    });

    it('refuses reversed dates with a clear message', async () => {
      await refused(
        internship({ start_date: '2027-05-28', end_date: '2027-03-01' }),
        'end_date',
        'La date de fin (01/03/2027) est antérieure à la date de début (28/05/2027).',
      );
    });

    it('accepts dates typed as JJ/MM/AAAA', async () => {
      const response = await postStep(agent, base, 'internship', internshipFields({ start_date: '01/03/2027', end_date: '28/05/2027' }));
      expect(response.status).toBe(302);
      expect(
        (
          await app
            .knex('convention')
            .where({ id: Number(base.split('/').pop()) })
            .first('start_date')
        ).start_date,
      ).toBe('2027-03-01');
    });

    it('refuses a 1,000-hour internship in the same host', async () => {
      await refused(internship({ start_date: '2027-01-04', end_date: '2027-08-27' }), 'end_date', /ne peut pas dépasser 924\s*h/);
    });

    it('refuses more than 48 hours a week', async () => {
      await refused(internship({ hours_per_week: '50' }), 'hours_per_week', /dépasse le maximum autorisé de 48\s*h/);
    });

    it('refuses a missing or too low gratification when it is mandatory', async () => {
      await refused(
        internship({ gratification: 'no', gratification_amount: '', gratification_per: '', gratification_basis: '', gratification_payment_mode: '' }),
        'gratification',
        /une gratification est obligatoire/,
      );
      await refused(internship({ gratification_amount: '3.00' }), 'gratification_amount', /inférieure au minimum légal/);
    });

    it('refuses an interruption outside the internship', async () => {
      await refused(
        internship({ interruption_1_start: '2026-12-01', interruption_1_end: '2026-12-05' }),
        'interruption_1_start',
        'doit se situer pendant le stage',
      );
    });

    it('refuses a start date already passed for a student', async () => {
      await refused(internship({ start_date: '2026-01-05', end_date: '2026-02-27' }), 'start_date', /est déjà passée/);
    });

    it('shows a script typed as the subject escaped', async () => {
      const text = await refused(internship({ subject: SCRIPT, hours_per_week: '' }), 'hours_per_week', 'Ce champ est obligatoire.');
      expect(text).toContain(ESCAPED);
      expect(text).not.toContain(SCRIPT);
    });
  });

  describe('step 6, supervisor', () => {
    it('requires a last name to search, and refuses a teacher who does not exist', async () => {
      const search = await agent.get(`${base}/supervisor?lastName=&firstName=Jeanne`);
      expect(search.status).toBe(422);
      expect(search.text).toContain('Ce champ est obligatoire.');
      const found = await agent.get(`${base}/supervisor?lastName=mart`).expect(200);
      expect(found.text).toContain('Choisir Jeanne Martin');
      const byDepartment = await agent.get(`${base}/supervisor?lastName=t&department=biolo`).expect(200);
      expect(byDepartment.text).toContain('Choisir Nadia Petit');
      expect(byDepartment.text).not.toContain('Choisir Jeanne Martin');
      await refused(() => postStep(agent, base, 'supervisor', { supervisor_teacher_id: '999999' }), 'supervisor_teacher_id', 'Cet enseignant n’existe pas');
    });
  });

  describe('forged forms', () => {
    it('refuses a form without its version or CSRF token', async () => {
      const before = await conventionTables(app.knex);
      const noVersion = await post(agent, `${base}/internship`, internshipFields());
      expect(noVersion.status).toBe(400);
      const noToken = await agent
        .post(`${base}/internship`)
        .type('form')
        .send({ version: '1', ...internshipFields() });
      expect(noToken.status).toBe(403);
      expect(await conventionTables(app.knex)).toBe(before);
    });

    it('answers 409 with the input kept when the convention changed meanwhile', async () => {
      const before = await conventionTables(app.knex);
      const response = await post(agent, `${base}/internship`, { version: '1', ...internshipFields({ subject: 'Version périmée' }) });
      expect(response.status).toBe(409);
      expect(response.text).toContain('Quelqu’un d’autre a modifié cette fiche');
      expect(response.text).toContain('Version périmée');
      expect(await conventionTables(app.knex)).toBe(before);
    });
  });
});
