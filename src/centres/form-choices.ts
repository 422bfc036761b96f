import { CENTRE_LEVELS, CONFIDENTIALITY_LEVELS, MAX_LENGTHS, MEMBER_RIGHTS, PRINT_RULES } from './schemas.ts';

/** The lists the forms offer, for the templates, which cannot import them. */
export const FORM_CHOICES = {
  levels: CENTRE_LEVELS,
  printRules: PRINT_RULES,
  confidentiality: CONFIDENTIALITY_LEVELS,
  rights: MEMBER_RIGHTS,
  maxLengths: MAX_LENGTHS,
};
