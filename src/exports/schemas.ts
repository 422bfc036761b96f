import { z } from 'zod';
import { t, lazyMessage } from '../i18n/index.ts';
import { columnByKey } from './columns.ts';

/** The choice of columns, from `columns=a,b,c` in an export's address or from the chooser's check boxes. */

export const EXPORT_FORMATS = ['xlsx', 'csv'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

/** Unknown keys quoted back in the message: a few, shortened, so that a forged address cannot fill the page. */
const QUOTED_UNKNOWN_KEYS = 5;
const QUOTED_KEY_LENGTH = 40;

const keysOf = (value: unknown): string[] =>
  [value]
    .flat()
    .filter((item): item is string => typeof item === 'string')
    .flatMap((item) => item.split(','))
    .map((key) => key.trim())
    .filter((key) => key !== '');

/** Known column keys, at least one, each once, in the order given. */
export const columnKeysSchema = z.preprocess(
  keysOf,
  z
    .array(z.string())
    .min(1, lazyMessage('exports.errors.noColumn'))
    .superRefine((keys, context) => {
      const unknown = keys.filter((key) => columnByKey(key) === undefined);
      if (unknown.length === 0) return;
      const quoted = unknown.slice(0, QUOTED_UNKNOWN_KEYS).map((key) => `« ${key.slice(0, QUOTED_KEY_LENGTH)} »`);
      context.addIssue({ code: 'custom', message: t('exports.errors.unknownColumns', { keys: quoted.join(', '), count: unknown.length }) });
    })
    .transform((keys) => [...new Set(keys)]),
);

export const exportFormatSchema = z.enum(EXPORT_FORMATS);
