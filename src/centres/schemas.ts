import { z } from 'zod';
import { lazyMessage } from '../i18n/index.ts';
import {
  checkbox,
  choice,
  integerInRange,
  optionalEmail,
  optionalPhone,
  optionalPostalCode,
  optionalText,
  optionalUrl,
  requiredPhone,
  requiredText,
} from '../web/form-fields.ts';

export const CENTRE_LEVELS = ['ETABLISSEMENT', 'UFR', 'ETAPE', 'ENTREPRISE'] as const;
export type CentreLevel = (typeof CENTRE_LEVELS)[number];
export const PRINT_RULES = ['never', 'always', 'after_pedagogical', 'after_administrative'] as const;
export const CONFIDENTIALITY_LEVELS = ['0', '1', '2'] as const;
export const CRITERION_KINDS = ['faculty', 'step'] as const;
export type CriterionKind = (typeof CRITERION_KINDS)[number];
export const MEMBER_RIGHTS = ['READ', 'WRITE', 'ADMIN'] as const;

/** Maximum lengths, also given to the fields so that browsers stop the typing there. */
export const MAX_LENGTHS = {
  name: 150,
  address: 300,
  town: 100,
  signing_officer_name: 150,
  signing_officer_title: 200,
  code: 30,
  search: 100,
} as const;

/** Every setting of a centre but its level, which only a super-admin may choose. */
export const centreSettingsSchema = z.object({
  name: requiredText(MAX_LENGTHS.name),
  address: optionalText(MAX_LENGTHS.address),
  postal_code: optionalPostalCode,
  town: optionalText(MAX_LENGTHS.town),
  phone: requiredPhone,
  email: optionalEmail,
  fax: optionalPhone,
  website: optionalUrl,
  instructions_url: optionalUrl,
  tutor_mandatory: checkbox,
  supervisor_mandatory: checkbox,
  students_may_enter_tutor: checkbox,
  students_may_create: checkbox,
  student_print_rule: choice(PRINT_RULES),
  pedagogical_validation_required: checkbox,
  overlapping_internships_allowed: checkbox,
  previous_year_months: integerInRange(0, 12),
  contacts_confidentiality: choice(CONFIDENTIALITY_LEVELS),
  signing_officer_name: optionalText(MAX_LENGTHS.signing_officer_name),
  signing_officer_title: optionalText(MAX_LENGTHS.signing_officer_title),
  copies: integerInRange(1, 10),
  alert_delay_days: integerInRange(0, 365),
});
export type CentreSettings = z.output<typeof centreSettingsSchema>;

export const centreWithLevelSchema = centreSettingsSchema.extend({ level: choice(CENTRE_LEVELS) });
export type CentreSettingsWithLevel = z.output<typeof centreWithLevelSchema>;

/** A saved centre form: the level is there only when a super-admin sent it. */
export const centreUpdateSchema = centreSettingsSchema.extend({ level: choice(CENTRE_LEVELS).optional() });
export type CentreUpdate = z.output<typeof centreUpdateSchema>;

/** The version the form was opened at; anything else than a positive integer is a forged form. */
export const versionSchema = z.object({
  version: z
    .string()
    .regex(/^[1-9][0-9]{0,8}$/)
    .transform(Number),
});

/** New centres start with the most freedom, as docs/domain.md describes the centre settings. */
export const NEW_CENTRE_DEFAULTS = {
  level: 'UFR',
  tutor_mandatory: false,
  supervisor_mandatory: false,
  students_may_enter_tutor: true,
  students_may_create: true,
  student_print_rule: 'always',
  pedagogical_validation_required: false,
  overlapping_internships_allowed: true,
  previous_year_months: 12,
  contacts_confidentiality: '0',
  copies: 3,
  alert_delay_days: 15,
} as const;

/** Each criterion form names its select after its kind, so that errors land next to the right one. */
export const criterionSchema = z
  .discriminatedUnion('kind', [
    z.object({ kind: z.literal('faculty'), faculty_code: requiredText(MAX_LENGTHS.code) }),
    z.object({ kind: z.literal('step'), step_code: requiredText(MAX_LENGTHS.code) }),
  ])
  .transform((value) => (value.kind === 'faculty' ? { kind: value.kind, code: value.faculty_code } : { kind: value.kind, code: value.step_code }));

export const memberSearchSchema = z.object({
  lastName: requiredText(MAX_LENGTHS.search),
  firstName: optionalText(MAX_LENGTHS.search),
  department: optionalText(MAX_LENGTHS.search),
});
export type MemberSearch = z.output<typeof memberSearchSchema>;

const PICK_A_PERSON = lazyMessage('centres.errors.pickPerson');

export const memberRightsSchema = z.object({
  access_right: choice(MEMBER_RIGHTS),
  appears_on_conventions: checkbox,
  notify: checkbox,
});
export type MemberRights = z.output<typeof memberRightsSchema>;

export const attachMemberSchema = memberRightsSchema.extend({
  staff_id: z
    .string(PICK_A_PERSON)
    .regex(/^[1-9][0-9]{0,8}$/, PICK_A_PERSON)
    .transform(Number),
});
