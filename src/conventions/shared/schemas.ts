import { z } from 'zod';
import { isIsoDate } from '../../rules/calendar.ts';
import { validateEmail, validatePhone, validatePostalCode } from '../../rules/contact-formats.ts';
import { eurosToCents, hoursToMinutes } from '../../rules/units.ts';
import { checkbox, optionalText, requiredText } from '../../web/form-fields.ts';
import { nirFieldWhen } from '../../privacy/nir.ts';
import { t } from '../../i18n/index.ts';

/**
 * The forms of the wizard, validated on the server with messages next to the fields in the request's language (read when a value fails: some schemas are built once).
 * Reference codes are checked against the lists of the database, passed in as `ReferenceChoices`:
 * the schemas are built per request from them.
 */
const requiredMessage = () => t('common.validation.required');
const pickMessage = () => t('common.validation.choose');
const message = (key: string) => () => t(`conventions.validation.${key}`);

export const MAX_LENGTHS = {
  address: 300,
  town: 100,
  subject: 500,
  longText: 4000,
  shortText: 500,
  search: 100,
} as const;

/** How many interruptions the internship form offers. */
export const INTERRUPTION_ROWS = 3;

export const REFERENCE_LISTS = [
  'conventionTypes',
  'internshipKinds',
  'themes',
  'socialSecurityAffiliations',
  'healthInsuranceSchemes',
  'cpamOffices',
  'conventionLanguages',
  'gratificationPaymentModes',
  'gratificationUnits',
  'workingTime',
  'internshipOrigins',
  'natureOfWork',
  'validationModes',
  'countries',
  'weeklyDays',
] as const;
export type ReferenceListName = (typeof REFERENCE_LISTS)[number];
export interface ReferenceOption {
  code: string;
  label: string;
}
export type ReferenceChoices = Record<ReferenceListName, ReferenceOption[]>;

/** The code of the health insurance scheme whose CPAM office must be named. */
export const CPAM_SCHEME = 'CPAM';
export const FRANCE = 'FR';

const text = (value: unknown) => (typeof value === 'string' ? value.trim() : value);

/** A code of one of the reference lists; an empty field is a missing value. */
function referenceCode(options: readonly ReferenceOption[], required: true): z.ZodType<string>;
function referenceCode(options: readonly ReferenceOption[], required: false): z.ZodType<string | null>;
function referenceCode(options: readonly ReferenceOption[], required: boolean): z.ZodType<string | null> {
  const codes = new Set(options.map((option) => option.code));
  return z.preprocess(
    (value) => (value === undefined || value === null ? '' : text(value)),
    z
      .string({ error: pickMessage })
      .refine((value) => value !== '' || !required, { error: requiredMessage })
      .refine((value) => value === '' || codes.has(value), { error: pickMessage })
      .transform((value) => (value === '' ? null : value)),
  ) as z.ZodType<string | null>;
}

const postalCode = z.preprocess(
  (value) => text(value ?? ''),
  z
    .string()
    .min(1, { error: requiredMessage })
    .max(10, { error: () => t('common.validation.maxLength', { max: 10 }) })
    .transform((value, context) => {
      const check = validatePostalCode(value);
      if (!check.valid) {
        context.addIssue({ code: 'custom', message: t('common.validation.postalCode') });
        return z.NEVER;
      }
      return check.value;
    }),
);

const optionalPhone = z.preprocess(
  (value) => text(value ?? ''),
  z
    .string()
    .max(25, { error: () => t('common.validation.maxLength', { max: 25 }) })
    .transform((value, context) => {
      if (value === '') return null;
      const check = validatePhone(value);
      if (!check.valid) {
        context.addIssue({ code: 'custom', message: message('phone')() });
        return z.NEVER;
      }
      return check.value;
    }),
);

const optionalEmail = z.preprocess(
  (value) => text(value ?? ''),
  z
    .string()
    .max(254, { error: () => t('common.validation.maxLength', { max: 254 }) })
    .transform((value, context) => {
      if (value === '') return null;
      if (!validateEmail(value).valid) {
        context.addIssue({ code: 'custom', message: message('email')() });
        return z.NEVER;
      }
      return value;
    }),
);

/** A date typed in a date field ('YYYY-MM-DD') or by hand ('JJ/MM/AAAA'), stored as 'YYYY-MM-DD'. */
const dateField = (required: boolean) =>
  z.preprocess(
    (value) => text(value ?? ''),
    z.string().transform((value, context) => {
      if (value === '') {
        if (required) context.addIssue({ code: 'custom', message: requiredMessage() });
        return required ? z.NEVER : null;
      }
      const french = /^(\d{2})\/(\d{2})\/(\d{4})$/.exec(value);
      const iso = french ? `${french[3]}-${french[2]}-${french[1]}` : value;
      if (!isIsoDate(iso)) {
        context.addIssue({ code: 'custom', message: message('date')() });
        return z.NEVER;
      }
      return iso;
    }),
  );

/** An identifier chosen in a list of the page (enrolment, teacher, contact): a positive integer. */
export const chosenId = (error: string | (() => string)) =>
  z.preprocess(
    (value) => text(value ?? ''),
    z
      .string()
      .regex(/^[1-9][0-9]{0,8}$/, { error })
      .transform(Number),
  );

// ---------------------------------------------------------------------------------------------------
// Step 1: student
// ---------------------------------------------------------------------------------------------------

export function studentStepSchema(choices: ReferenceChoices, options: { collectNir: boolean } = { collectNir: false }) {
  return z
    .object({
      enrolment_id: chosenId(message('enrolment')),
      student_address: requiredText(MAX_LENGTHS.address),
      student_postal_code: z.unknown(),
      student_town: requiredText(MAX_LENGTHS.town),
      student_country: referenceCode(choices.countries, true),
      student_phone: optionalPhone,
      student_mobile_phone: optionalPhone,
      student_personal_email: optionalEmail,
      social_security_affiliation: referenceCode(choices.socialSecurityAffiliations, true),
      health_insurance_scheme: referenceCode(choices.healthInsuranceSchemes, true),
      cpam_office: referenceCode(choices.cpamOffices, false),
      social_security_number: nirFieldWhen(options.collectNir),
    })
    .transform((value, context) => {
      // A French postal code is checked; an address abroad keeps its own format.
      let postal: string | null = null;
      if (value.student_country === FRANCE) {
        const parsed = postalCode.safeParse(value.student_postal_code);
        if (!parsed.success) {
          context.addIssue({ code: 'custom', path: ['student_postal_code'], message: parsed.error.issues[0]?.message ?? requiredMessage() });
          return z.NEVER;
        }
        postal = parsed.data;
      } else {
        const parsed = optionalText(20).safeParse(value.student_postal_code);
        if (!parsed.success) {
          context.addIssue({ code: 'custom', path: ['student_postal_code'], message: parsed.error.issues[0]?.message ?? requiredMessage() });
          return z.NEVER;
        }
        postal = parsed.data;
      }
      if (value.health_insurance_scheme === CPAM_SCHEME && value.cpam_office === null) {
        context.addIssue({ code: 'custom', path: ['cpam_office'], message: message('cpamOffice')() });
        return z.NEVER;
      }
      return {
        ...value,
        student_postal_code: postal,
        cpam_office: value.health_insurance_scheme === CPAM_SCHEME ? value.cpam_office : null,
      };
    });
}
export type StudentStep = z.output<ReturnType<typeof studentStepSchema>>;

/** Staff look a student up by number or name. */
export const studentSearchSchema = z.object({
  search: requiredText(MAX_LENGTHS.search).pipe(z.string().min(2, { error: message('searchTooShort') })),
});

// ---------------------------------------------------------------------------------------------------
// Step 5: internship
// ---------------------------------------------------------------------------------------------------

const HOURS = /^\d{1,2}(?:[.,]\d{1,2})?$/;
const hoursPerWeek = z.preprocess(
  (value) => text(value ?? ''),
  z.string().transform((value, context) => {
    if (value === '') {
      context.addIssue({ code: 'custom', message: requiredMessage() });
      return z.NEVER;
    }
    let minutes: number | null = null;
    try {
      minutes = HOURS.test(value) ? hoursToMinutes(value) : null;
    } catch {
      minutes = null;
    }
    if (minutes === null || minutes <= 0) {
      context.addIssue({ code: 'custom', message: message('hours')() });
      return z.NEVER;
    }
    return (minutes / 60).toFixed(2);
  }),
);

const AMOUNT = /^\d{1,7}(?:\.\d{1,2})?$/;
const amount = z.preprocess(
  (value) => text(value ?? ''),
  z.string().transform((value, context) => {
    if (value === '') return null;
    if (!AMOUNT.test(value)) {
      context.addIssue({ code: 'custom', message: message('amount')() });
      return z.NEVER;
    }
    return eurosToCents(value);
  }),
);

const yesNo = z.preprocess((value) => text(value ?? ''), z.enum(['yes', 'no'], { error: message('yesNo') }));

export const GRATIFICATION_PERIODS = ['hour', 'month'] as const;

export function internshipStepSchema(choices: ReferenceChoices) {
  const interruptionFields: Record<string, z.ZodType> = {};
  for (let row = 1; row <= INTERRUPTION_ROWS; row += 1) {
    interruptionFields[`interruption_${row}_start`] = dateField(false);
    interruptionFields[`interruption_${row}_end`] = dateField(false);
  }
  return z
    .object({
      convention_type: referenceCode(choices.conventionTypes, true),
      internship_kind: referenceCode(choices.internshipKinds, true),
      theme: referenceCode(choices.themes, true),
      subject: requiredText(MAX_LENGTHS.subject),
      subject_confidential: checkbox,
      activities: requiredText(MAX_LENGTHS.longText),
      skills: requiredText(MAX_LENGTHS.longText),
      start_date: dateField(true),
      end_date: dateField(true),
      days_per_week: referenceCode(choices.weeklyDays, true),
      hours_per_week: hoursPerWeek,
      working_time: referenceCode(choices.workingTime, true),
      irregular_schedule: checkbox,
      night_presence: checkbox,
      sunday_presence: checkbox,
      holiday_presence: checkbox,
      leave_terms: optionalText(MAX_LENGTHS.shortText),
      supervision_terms: requiredText(MAX_LENGTHS.longText),
      gratification: yesNo,
      gratification_amount: amount,
      gratification_basis: referenceCode(choices.gratificationUnits, false),
      gratification_per: z.preprocess((value) => text(value ?? '') || null, z.enum(GRATIFICATION_PERIODS, { error: pickMessage }).nullable()),
      gratification_payment_mode: referenceCode(choices.gratificationPaymentModes, false),
      gratification_currency: z.preprocess(
        (value) => (typeof value === 'string' ? value.trim().toUpperCase() : ''),
        z
          .string()
          .refine((value) => value === '' || /^[A-Z]{3}$/.test(value), { error: message('currency') })
          .transform((value) => (value === '' ? null : value)),
      ),
      benefits: optionalText(MAX_LENGTHS.longText),
      internship_origin: referenceCode(choices.internshipOrigins, false),
      nature_of_work: referenceCode(choices.natureOfWork, false),
      validation_mode: referenceCode(choices.validationModes, false),
      internship_country: referenceCode(choices.countries, true),
      print_language: referenceCode(choices.conventionLanguages, false),
      ...interruptionFields,
    })
    .transform((value, context) => {
      const fields = value as typeof value & Record<string, string | null>;
      const interruptions: { start: string; end: string }[] = [];
      for (let row = 1; row <= INTERRUPTION_ROWS; row += 1) {
        const start = fields[`interruption_${row}_start`] ?? null;
        const end = fields[`interruption_${row}_end`] ?? null;
        if (start === null && end === null) continue;
        if (start === null || end === null) {
          context.addIssue({
            code: 'custom',
            path: [start === null ? `interruption_${row}_start` : `interruption_${row}_end`],
            message: message('interruption')(),
          });
          continue;
        }
        interruptions.push({ start, end });
      }
      const paid = value.gratification === 'yes';
      if (paid) {
        if (value.gratification_amount === null || value.gratification_amount <= 0) {
          context.addIssue({ code: 'custom', path: ['gratification_amount'], message: message('gratificationAmount')() });
        }
        if (value.gratification_basis === null) context.addIssue({ code: 'custom', path: ['gratification_basis'], message: message('gratificationBasis')() });
        if (value.gratification_per === null) context.addIssue({ code: 'custom', path: ['gratification_per'], message: message('gratificationPer')() });
        if (value.gratification_payment_mode === null)
          context.addIssue({ code: 'custom', path: ['gratification_payment_mode'], message: message('paymentMode')() });
        if (value.internship_country !== FRANCE && value.gratification_currency === null) {
          context.addIssue({ code: 'custom', path: ['gratification_currency'], message: message('currencyAbroad')() });
        }
      }
      if (value.internship_country !== FRANCE && value.print_language === null) {
        context.addIssue({ code: 'custom', path: ['print_language'], message: message('printLanguage')() });
      }
      return {
        convention_type: value.convention_type,
        internship_kind: value.internship_kind,
        theme: value.theme,
        subject: value.subject,
        subject_confidential: value.subject_confidential,
        activities: value.activities,
        skills: value.skills,
        start_date: value.start_date as string,
        end_date: value.end_date as string,
        days_per_week: value.days_per_week,
        hours_per_week: value.hours_per_week,
        working_time: value.working_time,
        irregular_schedule: value.irregular_schedule,
        night_presence: value.night_presence,
        sunday_presence: value.sunday_presence,
        holiday_presence: value.holiday_presence,
        leave_terms: value.leave_terms,
        supervision_terms: value.supervision_terms,
        gratification: paid,
        gratification_amount_cents: paid ? value.gratification_amount : null,
        gratification_basis: paid ? value.gratification_basis : null,
        gratification_per: paid ? value.gratification_per : null,
        gratification_payment_mode: paid ? value.gratification_payment_mode : null,
        gratification_currency: paid ? (value.gratification_currency ?? (value.internship_country === FRANCE ? 'EUR' : null)) : null,
        benefits: value.benefits,
        internship_origin: value.internship_origin,
        nature_of_work: value.nature_of_work,
        validation_mode: value.validation_mode,
        internship_country: value.internship_country,
        print_language: value.print_language ?? 'fr',
        interruptions,
      };
    });
}
export type InternshipStep = z.output<ReturnType<typeof internshipStepSchema>>;

// ---------------------------------------------------------------------------------------------------
// Step 6: academic supervisor
// ---------------------------------------------------------------------------------------------------

export const teacherSearchSchema = z.object({
  lastName: requiredText(MAX_LENGTHS.search),
  firstName: optionalText(MAX_LENGTHS.search),
  department: optionalText(MAX_LENGTHS.search),
});
export type TeacherSearch = z.output<typeof teacherSearchSchema>;

export const supervisorChoiceSchema = z.object({
  supervisor_teacher_id: chosenId(message('teacher')),
});

// ---------------------------------------------------------------------------------------------------
// Summary, list, versions
// ---------------------------------------------------------------------------------------------------

export const createSchema = z.object({ confirm_warnings: checkbox });

/** The version the form was opened at; anything else than a positive integer is a forged form. */
export const versionSchema = z.object({
  version: z
    .string()
    .regex(/^[1-9][0-9]{0,8}$/)
    .transform(Number),
});

export const LIST_STATUSES = ['draft', 'submitted', 'pedagogically_validated', 'validated', 'refused', 'cancelled'] as const;
