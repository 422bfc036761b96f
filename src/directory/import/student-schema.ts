import { z } from 'zod';
import { requiredText, optionalText, optionalEmail, optionalPhone } from '../../web/form-fields.ts';
import { identifier, code, optionalBirthDate, academicYear } from './fields.ts';

/**
 * Students file: one line per enrolment, so a student enrolled in two steps has two lines with the
 * same personal data. Header names, in any order (upper or lower case):
 *   student_number*  login*  last_name*  first_name*  birth_date (YYYY-MM-DD or DD/MM/YYYY)
 *   email  personal_email  phone  mobile_phone  address  postal_code  town  country
 *   academic_year* (e.g. 2026-2027)  faculty_code*  faculty_label*  step_code*  step_label*
 * (* mandatory). An optional column may be left out: the stored values are then kept; an empty cell
 * erases the stored value.
 */
export const studentRowSchema = z.object({
  student_number: identifier(20),
  login: identifier(100),
  last_name: requiredText(100),
  first_name: requiredText(100),
  birth_date: optionalBirthDate,
  email: optionalEmail,
  personal_email: optionalEmail,
  phone: optionalPhone,
  mobile_phone: optionalPhone,
  address: optionalText(500),
  postal_code: optionalText(10),
  town: optionalText(100),
  country: optionalText(100),
  academic_year: academicYear,
  faculty_code: code,
  faculty_label: requiredText(200),
  step_code: code,
  step_label: requiredText(200),
});

export type StudentRow = z.output<typeof studentRowSchema>;

export const STUDENT_REQUIRED_COLUMNS = [
  'student_number',
  'login',
  'last_name',
  'first_name',
  'academic_year',
  'faculty_code',
  'faculty_label',
  'step_code',
  'step_label',
] as const;

/** The columns describing the person rather than the enrolment: the same on every line of a student. */
export const STUDENT_PERSONAL_COLUMNS = [
  'login',
  'last_name',
  'first_name',
  'birth_date',
  'email',
  'personal_email',
  'phone',
  'mobile_phone',
  'address',
  'postal_code',
  'town',
  'country',
] as const satisfies readonly (keyof StudentRow)[];
