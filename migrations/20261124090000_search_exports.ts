import type { Knex } from 'knex';
import { refreshEffectiveValues } from '../src/conventions/amendments-repository.ts';

/**
 * Search, exports and statistics (issue 5).
 *
 * - Effective values on the convention: what its validated amendments made of it (dates, subject,
 *   gratification, place, tutor, supervisor, hours). Searches, exports and statistics read these
 *   columns, so they filter and sort with plain indexes instead of replaying amendments per row.
 *   While a convention has no validated amendment a trigger copies its own values into them, so no
 *   write path of the wizard has to remember them; the amendments service writes them explicitly when
 *   an amendment is validated or withdrawn. The read-only trigger of validated conventions lets
 *   only these columns change.
 * - `user_preference`: what a user chose once and expects to find again (the export columns).
 */
const EFFECTIVE_COPIES = [
  'start_date',
  'end_date',
  'subject',
  'gratification',
  'gratification_amount_cents',
  'gratification_per',
  'gratification_basis',
  'service_id',
  'tutor_id',
  'supervisor_teacher_id',
  'total_presence_minutes',
] as const;

/** The columns a validated convention may still see change: its status and what amendments make of it. */
const CHANGEABLE_WHEN_VALIDATED = [
  'status',
  'version',
  'updated_at',
  'updated_by',
  ...EFFECTIVE_COPIES.map((column) => `effective_${column}`),
  'effective_interruptions',
  'termination_date',
  'validated_amendment_count',
  'last_amendment_kind',
  'last_amendment_validated_at',
];

const readOnlyFunction = (changeable: readonly string[]) => `
  CREATE OR REPLACE FUNCTION convention_refuse_validated_change() RETURNS trigger LANGUAGE plpgsql AS $$
  BEGIN
    IF TG_OP = 'DELETE' THEN
      IF OLD.status = 'validated' THEN
        RAISE EXCEPTION 'convention % is validated: it cannot be deleted', OLD.id USING ERRCODE = 'check_violation';
      END IF;
      RETURN OLD;
    END IF;
    IF OLD.status = 'validated' AND (to_jsonb(NEW) - ARRAY[${changeable.map((column) => `'${column}'`).join(', ')}]::text[])
                                  <> (to_jsonb(OLD) - ARRAY[${changeable.map((column) => `'${column}'`).join(', ')}]::text[]) THEN
      RAISE EXCEPTION 'convention % is validated: it is changed only by amendments', OLD.id USING ERRCODE = 'check_violation';
    END IF;
    RETURN NEW;
  END $$`;

export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('convention', (table) => {
    table.date('effective_start_date');
    table.date('effective_end_date');
    table.text('effective_subject');
    table.boolean('effective_gratification');
    table.integer('effective_gratification_amount_cents');
    table.text('effective_gratification_per');
    table.text('effective_gratification_basis');
    table.integer('effective_service_id');
    table.integer('effective_tutor_id');
    table.integer('effective_supervisor_teacher_id').references('teacher.id');
    table.integer('effective_total_presence_minutes');
    // NULL while no amendment changed the interruptions: the convention's own are in convention_interruption.
    table.jsonb('effective_interruptions');
    table.date('termination_date');
    table.integer('validated_amendment_count').notNullable().defaultTo(0);
    table.text('last_amendment_kind');
    table.timestamp('last_amendment_validated_at', { useTz: true });
    table.check('validated_amendment_count >= 0', [], 'convention_amendment_count_positive');
  });

  await knex.raw(`
    CREATE FUNCTION convention_copy_effective_values() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF NEW.validated_amendment_count = 0 THEN
        ${EFFECTIVE_COPIES.map((column) => `NEW.effective_${column} := NEW.${column};`).join('\n        ')}
        NEW.effective_interruptions := NULL;
        NEW.termination_date := NULL;
        NEW.last_amendment_kind := NULL;
        NEW.last_amendment_validated_at := NULL;
      END IF;
      RETURN NEW;
    END $$`);
  await knex.raw(`CREATE TRIGGER convention_copy_effective_values BEFORE INSERT OR UPDATE ON convention
    FOR EACH ROW EXECUTE FUNCTION convention_copy_effective_values()`);
  await knex.raw(readOnlyFunction(CHANGEABLE_WHEN_VALIDATED));

  // Existing rows: the trigger copies their own values; those with validated amendments get what the
  // amendments make of them, computed by the same code as at run time.
  await knex.raw('UPDATE convention SET validated_amendment_count = 0');
  const amended = (await knex('amendment').where({ status: 'validated' }).distinct('convention_id')) as { convention_id: number }[];
  for (const { convention_id } of amended) await refreshEffectiveValues(knex, convention_id);

  // The searches of /conventions (issue 5): periods, subject words, supervisor, amended conventions.
  await knex.raw('CREATE INDEX convention_effective_start ON convention (effective_start_date)');
  await knex.raw('CREATE INDEX convention_effective_end ON convention (effective_end_date)');
  await knex.raw('CREATE INDEX convention_effective_supervisor ON convention (effective_supervisor_teacher_id)');
  await knex.raw('CREATE INDEX convention_effective_subject_words ON convention USING gin (immutable_unaccent(lower(effective_subject)) gin_trgm_ops)');
  await knex.raw('CREATE INDEX convention_amended ON convention (validated_amendment_count) WHERE validated_amendment_count > 0');
  await knex.raw('CREATE INDEX convention_offer ON convention (offer_id) WHERE offer_id IS NOT NULL');
  await knex.raw('CREATE INDEX convention_centre_year ON convention (centre_id, academic_year)');
  await knex.raw('CREATE INDEX enrolment_faculty_step ON enrolment (faculty_code, step_code)');

  await knex.schema.createTable('user_preference', (table) => {
    table.text('login').notNullable();
    table.text('name').notNullable();
    table.jsonb('value').notNullable();
    table.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    table.primary(['login', 'name']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('user_preference');
  await knex.raw('DROP INDEX IF EXISTS enrolment_faculty_step');
  for (const index of ['convention_effective_start', 'convention_effective_end', 'convention_effective_supervisor', 'convention_effective_subject_words', 'convention_amended', 'convention_offer', 'convention_centre_year']) {
    await knex.raw('DROP INDEX IF EXISTS ??', [index]);
  }
  await knex.raw(readOnlyFunction(['status', 'version', 'updated_at', 'updated_by']));
  await knex.raw('DROP TRIGGER IF EXISTS convention_copy_effective_values ON convention');
  await knex.raw('DROP FUNCTION IF EXISTS convention_copy_effective_values()');
  await knex.schema.alterTable('convention', (table) => {
    for (const column of [...EFFECTIVE_COPIES.map((name) => `effective_${name}`), 'effective_interruptions', 'termination_date', 'validated_amendment_count', 'last_amendment_kind', 'last_amendment_validated_at']) {
      table.dropColumn(column);
    }
  });
}
