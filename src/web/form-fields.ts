import { z } from 'zod';
import { lazyMessage } from '../i18n/index.ts';

/** zod building blocks for form fields, with the messages shown next to the fields, in the request's language. */
const REQUIRED = lazyMessage('common.validation.required');
// eslint-disable-next-line no-control-regex -- control characters are exactly what must be refused
const CONTROL_CHARACTERS = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/;

const formString = (max: number) =>
  z
    .string(REQUIRED)
    .trim()
    .max(max, lazyMessage('common.validation.maxLength', { max }))
    .refine((value) => !CONTROL_CHARACTERS.test(value), lazyMessage('common.validation.controlCharacters'));

export const requiredText = (max: number) => formString(max).pipe(z.string().min(1, REQUIRED));

/** An empty field is stored as NULL, never as an empty string. */
export const optionalText = (max: number) => z.preprocess((value) => value ?? '', formString(max)).transform((value) => (value === '' ? null : value));

export const optionalEmail = z
  .preprocess((value) => value ?? '', formString(254))
  .pipe(z.union([z.literal(''), z.email(lazyMessage('common.validation.email'))]))
  .transform((value) => (value === '' ? null : value));

const PHONE = /^\+?[0-9 .()-]{6,25}$/;
const INVALID_PHONE = lazyMessage('common.validation.phone');
export const requiredPhone = requiredText(25).refine((value) => PHONE.test(value), INVALID_PHONE);
export const optionalPhone = optionalText(25).refine((value) => value === null || PHONE.test(value), INVALID_PHONE);

export const optionalUrl = z
  .preprocess((value) => value ?? '', formString(500))
  .pipe(z.union([z.literal(''), z.url({ protocol: /^https?$/, ...lazyMessage('common.validation.url') })]))
  .transform((value) => (value === '' ? null : value));

export const FRENCH_POSTAL_CODE = /^(?:0[1-9]|[1-8]\d|9[0-8])\d{3}$/;
export const optionalPostalCode = optionalText(10).refine(
  (value) => value === null || FRENCH_POSTAL_CODE.test(value),
  lazyMessage('common.validation.postalCode'),
);

/** An HTML checkbox sends "on" when ticked and nothing otherwise. */
export const checkbox = z.preprocess((value) => value === 'on' || value === 'true' || value === '1', z.boolean());

/** A whole number typed in a form; an empty field is a missing value, not the 0 that Number('') gives. */
export const integerInRange = (min: number, max: number) =>
  z
    .string(REQUIRED)
    .trim()
    .min(1, REQUIRED)
    .pipe(
      z.coerce
        .number<string>(lazyMessage('common.validation.integer'))
        .int(lazyMessage('common.validation.integer'))
        .min(min, lazyMessage('common.validation.atLeast', { min }))
        .max(max, lazyMessage('common.validation.atMost', { max })),
    );

export const choice = <const Values extends readonly [string, ...string[]]>(values: Values) => z.enum(values, lazyMessage('common.validation.choose'));

/** Identifiers in addresses: anything else than a positive integer is a page that does not exist. */
export const idParameter = z.coerce.number().int().positive().max(2147483647);
