import { t } from '../../i18n/index.ts';
import { personRowSchema, PERSON_REQUIRED_COLUMNS, type PersonRow } from './person-schema.ts';
import { upsertRows } from './upsert.ts';
import type { ImportKind } from './kind.ts';

const PERSONAL_COLUMNS = ['last_name', 'first_name', 'email', 'phone', 'department'] as const;

/** Teachers and staff: the same file layout, each in its own table, matched by login. */
export function personImport(entity: 'teachers' | 'staff'): ImportKind<PersonRow> {
  const table = entity === 'teachers' ? 'teacher' : 'staff';
  return {
    schema: personRowSchema,
    columns: Object.keys(personRowSchema.shape),
    required: PERSON_REQUIRED_COLUMNS,

    checkFile(rows, rejections) {
      const lineOf = new Map<string, number>();
      for (const { line, row } of rows) {
        const previous = lineOf.get(row.login);
        if (previous === undefined) lineOf.set(row.login, line);
        else rejections.add(line, t('directory.people.duplicateLogin', { login: row.login, line: previous }));
      }
    },

    async write(trx, rows, columns, author) {
      const present = PERSONAL_COLUMNS.filter((column) => columns.includes(column));
      const people = await upsertRows(
        trx,
        table,
        rows.map((row) => ({ login: row.login, ...Object.fromEntries(present.map((column) => [column, row[column]])) })),
        { key: ['login'], merge: present, timestamps: true, audit: { entity: table, idColumn: 'id', author } },
      );
      return { [entity]: people };
    },
  };
}
