import { describe, expect, it } from 'vitest';
import type { Actor } from '../../src/access/actor.ts';
import { translator } from '../../src/i18n/index.ts';
import { issuesAsErrors, legalParametersFrom, runChecks } from '../../src/conventions/shared/legal.ts';
import { formValues, stepLinks } from '../../src/conventions/shared/presenter.ts';
import type { ConventionDetails } from '../../src/conventions/shared/repository.ts';
import { internshipStepSchema, studentStepSchema, type ReferenceChoices } from '../../src/conventions/shared/schemas.ts';
import { accessOf } from '../../src/conventions/shared/open.ts';
import { missingSteps } from '../../src/conventions/wizard/service.ts';
import { parseForm } from '../../src/web/forms.ts';
import { legalParameters } from '../rules/legal-parameters.ts';

/** The pure parts of the conventions module: forms, legal bridge, access, steps. */
const option = (code: string) => ({ code, label: code });
const choices = {
  conventionTypes: [option('FI')],
  internshipKinds: [option('OBL')],
  themes: [option('1')],
  socialSecurityAffiliations: [option('ASSETUDIANT')],
  healthInsuranceSchemes: [option('CPAM'), option('MSA')],
  cpamOffices: [option('CPAM de Paris')],
  conventionLanguages: [option('fr'), option('en')],
  gratificationPaymentModes: [option('VIREMENT')],
  gratificationUnits: [option('NET'), option('BRUT')],
  workingTime: [option('TCOMP')],
  internshipOrigins: [option('1')],
  natureOfWork: [option('RAPPORT')],
  validationModes: [option('SOUTENANCE')],
  countries: [option('FR'), option('GB')],
  weeklyDays: ['0.5', '1', '4.5', '5', '6'].map(option),
} satisfies ReferenceChoices;

const internship = (overrides: Record<string, string> = {}) => ({
  convention_type: 'FI',
  internship_kind: 'OBL',
  theme: '1',
  subject: ' Sujet ',
  activities: 'A',
  skills: 'B',
  start_date: '2027-03-01',
  end_date: '2027-05-28',
  days_per_week: '4.5',
  hours_per_week: '31,5',
  working_time: 'TCOMP',
  supervision_terms: 'C',
  gratification: 'yes',
  gratification_amount: '682.50',
  gratification_per: 'month',
  gratification_basis: 'BRUT',
  gratification_payment_mode: 'VIREMENT',
  internship_country: 'FR',
  ...overrides,
});

describe('the internship form', () => {
  it('turns typed values into stored ones: trimmed text, hours with a dot, amounts in cents, interruptions', () => {
    const form = parseForm(
      internshipStepSchema(choices),
      internship({ interruption_2_start: '12/04/2027', interruption_2_end: '2027-04-16', night_presence: 'on' }),
    );
    expect(form.ok).toBe(true);
    if (!form.ok) return;
    expect(form.value).toMatchObject({
      subject: 'Sujet',
      hours_per_week: '31.50',
      days_per_week: '4.5',
      gratification: true,
      gratification_amount_cents: 68250,
      gratification_basis: 'BRUT',
      gratification_per: 'month',
      gratification_currency: 'EUR',
      night_presence: true,
      sunday_presence: false,
      print_language: 'fr',
      interruptions: [{ start: '2027-04-12', end: '2027-04-16' }],
    });
  });

  it('forgets the details of a gratification answered "no"', () => {
    const form = parseForm(internshipStepSchema(choices), internship({ gratification: 'no' }));
    expect(form.ok && form.value).toMatchObject({ gratification: false, gratification_amount_cents: null, gratification_per: null, gratification_basis: null });
  });

  it('asks for the currency and the print language of an internship abroad', () => {
    const form = parseForm(internshipStepSchema(choices), internship({ internship_country: 'GB', print_language: '' }));
    expect(form.ok).toBe(false);
    if (form.ok) return;
    expect(Object.keys(form.errors).sort()).toEqual(['gratification_currency', 'print_language']);
  });
});

describe('the student form', () => {
  const student = (overrides: Record<string, string> = {}) => ({
    enrolment_id: '3',
    student_address: '1 rue A',
    student_postal_code: '97400',
    student_town: 'Saint-Denis',
    student_country: 'FR',
    student_phone: '+33 (0)6 12 34 56 78',
    social_security_affiliation: 'ASSETUDIANT',
    health_insurance_scheme: 'MSA',
    cpam_office: 'CPAM de Paris',
    ...overrides,
  });

  it('normalises phones, accepts overseas postal codes, and drops the CPAM office of another scheme', () => {
    const form = parseForm(studentStepSchema(choices), student());
    expect(form.ok && form.value).toMatchObject({
      enrolment_id: 3,
      student_postal_code: '97400',
      student_phone: '06 12 34 56 78',
      cpam_office: null,
      student_personal_email: null,
    });
  });

  it('requires the CPAM office of a student of the CPAM', () => {
    const form = parseForm(studentStepSchema(choices), student({ health_insurance_scheme: 'CPAM', cpam_office: '' }));
    expect(!form.ok && form.errors).toEqual({ cpam_office: 'Indiquez votre caisse primaire d’assurance maladie.' });
  });
});

describe('the legal bridge', () => {
  const rows = {
    hoursPerDay: { value: 7 },
    daysPerMonth: { value: 22 },
    gratificationThresholdHours: { value: 308 },
    maxHoursPerHostPerAcademicYear: { value: 924 },
    legalWeeklyHours: { value: 35 },
    maxWeeklyHours: { value: 48, averageOver12Weeks: 44 },
    maxDailyHours: { value: 10 },
    maxInternsPerTutor: { value: 3 },
    maxInternsPerAcademicSupervisor: { value: 24 },
  };
  const rates = [
    { year: 2025, minimum_hourly_gratification: '4.35' },
    { year: 2026, minimum_hourly_gratification: '4.50' },
  ];

  it('reads the parameters as the rules take them', () => {
    expect(legalParametersFrom(rows, rates)).toEqual({ ...legalParameters, minimumHourlyGratification: { 2025: '4.35', 2026: '4.50' } });
  });

  it('refuses to run without a parameter rather than using a literal', () => {
    const { legalWeeklyHours: _missing, ...incomplete } = rows;
    expect(() => legalParametersFrom(incomplete, rates)).toThrow(/legalWeeklyHours/);
  });

  it('puts each blocking issue next to its field, several on one field together', () => {
    const result = runChecks(
      {
        start_date: '2027-01-04',
        end_date: '2027-09-24',
        days_per_week: '5.0',
        hours_per_week: '49.00',
        interruptions: [],
        gratification: false,
        gratification_amount_cents: null,
        gratification_basis: null,
        gratification_per: null,
      },
      { others: { sameHost: [], dates: [] }, overlapsAllowed: true, role: 'student', today: '2026-11-23' },
      legalParametersFrom(rows, rates),
    )!;
    const errors = issuesAsErrors(result.blocking);
    expect(Object.keys(errors).sort()).toEqual(['end_date', 'gratification', 'hours_per_week']);
    expect(errors.hours_per_week).toMatch(/48/);
    expect(errors.end_date).toMatch(/924/);
  });

  it('gives no result before the internship has dates', () => {
    const values = {
      start_date: null,
      end_date: null,
      days_per_week: null,
      hours_per_week: null,
      interruptions: [],
      gratification: null,
      gratification_amount_cents: null,
      gratification_basis: null,
      gratification_per: null,
    };
    expect(runChecks(values, { others: { sameHost: [], dates: [] }, overlapsAllowed: true, role: 'staff', today: '2026-11-23' }, legalParameters)).toBeNull();
  });
});

describe('access and steps', () => {
  const actor = (overrides: Partial<Actor>): Actor => ({
    login: 'x',
    displayName: 'X',
    studentId: null,
    teacherId: null,
    staffId: null,
    superAdmin: false,
    memberships: [],
    ...overrides,
  });
  const convention = (overrides: Partial<ConventionDetails> = {}) =>
    ({
      id: 7,
      number: null,
      status: 'draft',
      student_id: 1,
      centre_id: 10,
      host_id: null,
      service_id: null,
      completed_steps: ['student'],
      centre_students_may_enter_tutor: true,
      centre_tutor_mandatory: false,
      centre_supervisor_mandatory: false,
      days_per_week: null,
      hours_per_week: null,
      gratification: null,
      gratification_amount_cents: null,
      interruptions: [],
      ...overrides,
    }) as ConventionDetails;

  it('lets the owner and WRITE staff edit until validation, READ staff and teachers never', () => {
    const owner = actor({ studentId: 1 });
    const write = actor({ staffId: 2, memberships: [{ centreId: 10, right: 'WRITE' }] });
    const read = actor({ staffId: 3, memberships: [{ centreId: 10, right: 'READ' }] });
    const teacher = actor({ teacherId: 4 });
    expect(accessOf(owner, convention())).toMatchObject({ owner: true, edit: true, delete: true, cancel: false, role: 'student' });
    expect(accessOf(owner, convention({ status: 'submitted' }))).toMatchObject({ edit: true, cancel: true });
    expect(accessOf(write, convention({ status: 'submitted' }))).toMatchObject({ owner: false, edit: true, delete: true, cancel: false, role: 'staff' });
    expect(accessOf(read, convention({ status: 'submitted' }))).toMatchObject({ edit: false, delete: false, cancel: false });
    expect(accessOf(teacher, convention({ status: 'submitted' }))).toMatchObject({ edit: false, delete: false });
    for (const who of [owner, write]) expect(accessOf(who, convention({ status: 'validated' }))).toMatchObject({ edit: false, delete: false, cancel: false });
    expect(accessOf(owner, convention({ status: 'cancelled' }))).toMatchObject({ edit: false, delete: true });
    expect(accessOf(owner, convention({ centre_students_may_enter_tutor: false })).tutorEntry).toBe(false);
    expect(accessOf(write, convention({ centre_students_may_enter_tutor: false })).tutorEntry).toBe(true);
  });

  it('requires the tutor and the supervisor only when the centre does, and the tutor only from who may enter it', () => {
    const owner = actor({ studentId: 1 });
    const strict = convention({
      centre_tutor_mandatory: true,
      centre_supervisor_mandatory: true,
      completed_steps: ['student', 'host', 'service', 'internship'],
    });
    expect(missingSteps(strict, accessOf(owner, strict))).toEqual(['tutor', 'supervisor']);
    const closed = { ...strict, centre_students_may_enter_tutor: false };
    expect(missingSteps(closed, accessOf(owner, closed))).toEqual(['supervisor']);
  });

  it('links the steps a draft can reach, and every tab of a created convention', () => {
    const t = translator('fr');
    const draft = stepLinks(t, convention({ host_id: 3, completed_steps: ['student', 'host'] }));
    expect(draft.map((link) => [link.step, link.href !== null, link.complete])).toEqual([
      ['student', true, true],
      ['host', true, true],
      ['service', true, false],
      ['tutor', false, false],
      ['internship', true, false],
      ['supervisor', true, false],
      ['signatory', true, false],
      ['summary', true, false],
    ]);
    const created = stepLinks(t, convention({ number: 42, status: 'submitted' }));
    expect(created.map((link) => link.href)).toEqual([
      '/conventions/42/student',
      '/conventions/42/host',
      '/conventions/42/service',
      '/conventions/42/tutor',
      '/conventions/42/internship',
      '/conventions/42/supervisor',
      '/conventions/42/signatory',
      '/conventions/42',
    ]);
  });

  it('shows saved numbers as typed', () => {
    const values = formValues(
      convention({
        days_per_week: '4.5',
        hours_per_week: '31.50',
        gratification: true,
        gratification_amount_cents: 68250,
        interruptions: [{ start: '2027-04-12', end: '2027-04-16' }],
      }),
    );
    expect(values).toMatchObject({
      days_per_week: '4.5',
      hours_per_week: '31.5',
      gratification: 'yes',
      gratification_amount: '682.50',
      interruption_1_start: '2027-04-12',
    });
  });
});
