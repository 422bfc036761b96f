import { z } from 'zod';
import { requiredText, optionalText, optionalEmail, optionalPhone } from '../../web/form-fields.ts';
import { identifier } from './fields.ts';

/**
 * Teachers file and staff file: one line per person, identified by their CAS login. Header names,
 * in any order (upper or lower case):
 *   login*  last_name*  first_name*  email  phone  department
 * (* mandatory). An optional column may be left out: the stored values are then kept; an empty cell
 * erases the stored value.
 */
export const personRowSchema = z.object({
  login: identifier(100),
  last_name: requiredText(100),
  first_name: requiredText(100),
  email: optionalEmail,
  phone: optionalPhone,
  department: optionalText(200),
});

export type PersonRow = z.output<typeof personRowSchema>;

export const PERSON_REQUIRED_COLUMNS = ['login', 'last_name', 'first_name'] as const;
