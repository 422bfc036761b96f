import type { Knex } from 'knex';

/**
 * Personal data (GDPR): institution-wide settings, the social-security number, and the anonymisation
 * of conventions older than the retention period.
 *
 * - `institution_setting`: one row (id 1), edited by super-admins with optimistic locking (`version`).
 *   `retention_years` defaults to 5: the shared legal data set says nothing about retention, and five
 *   years after the internship's end covers the limitation period of the claims a convention may back
 *   (prescription quinquennale, code civil art. 2224). The NIR is not collected by default (décret
 *   2019-341, `nirCollection` of legal-parameters.json). A NULL notice or statement means "the default
 *   text of the message catalogue", so that it follows the language of the interface until edited.
 * - `convention.social_security_number`: the normalised 15-character NIR (src/rules/nir.ts), or NULL.
 * - `convention.anonymised_at` / `student.anonymised_at`: when the personal data was replaced.
 *
 * Anonymisation must change rows that are otherwise frozen: validated conventions and amendments,
 * the history of transitions and the audit log. Each of their triggers lets through one more kind of
 * change, and only inside a transaction that declares it with `SET LOCAL conventio.anonymising = 'on'`
 * (src/privacy/anonymisation.ts): a change of the personal columns only — a validated convention must
 * in the same statement be marked `anonymised_at`. Nothing is ever deleted from the audit log: its rows
 * about anonymised people lose the personal values of their before/after, the action, the entity and
 * the date stay.
 */
const CHANGEABLE_WHEN_VALIDATED = [
  'status',
  'version',
  'updated_at',
  'updated_by',
  'effective_start_date',
  'effective_end_date',
  'effective_subject',
  'effective_gratification',
  'effective_gratification_amount_cents',
  'effective_gratification_per',
  'effective_gratification_basis',
  'effective_service_id',
  'effective_tutor_id',
  'effective_supervisor_teacher_id',
  'effective_total_presence_minutes',
  'effective_interruptions',
  'termination_date',
  'validated_amendment_count',
  'last_amendment_kind',
  'last_amendment_validated_at',
];

/** What anonymisation may change on a validated convention (the student moves to the anonymous record). */
const ANONYMISED_CONVENTION_COLUMNS = [
  'student_id',
  'enrolment_id',
  'student_address',
  'student_postal_code',
  'student_town',
  'student_country',
  'student_phone',
  'student_mobile_phone',
  'student_personal_email',
  'social_security_number',
  'cpam_office',
  'created_by',
  'submitted_by',
  'anonymised_at',
];

const list = (columns: readonly string[]) => `ARRAY[${columns.map((column) => `'${column}'`).join(', ')}]::text[]`;

/** The trigger function that freezes validated conventions; later migrations add the columns they derive from changeable ones. */
export const conventionReadOnly = (anonymisable: boolean, alsoChangeable: readonly string[] = []) => `
  CREATE OR REPLACE FUNCTION convention_refuse_validated_change() RETURNS trigger LANGUAGE plpgsql AS $$
  DECLARE ignored text[] := ${list([...CHANGEABLE_WHEN_VALIDATED, ...alsoChangeable])};
  BEGIN
    IF TG_OP = 'DELETE' THEN
      IF OLD.status = 'validated' THEN
        RAISE EXCEPTION 'convention % is validated: it cannot be deleted', OLD.id USING ERRCODE = 'check_violation';
      END IF;
      RETURN OLD;
    END IF;
    ${anonymisable ? `IF conventio_anonymising() AND NEW.anonymised_at IS NOT NULL THEN
      ignored := ignored || ${list(ANONYMISED_CONVENTION_COLUMNS)};
    END IF;` : ''}
    IF OLD.status = 'validated' AND (to_jsonb(NEW) - ignored) <> (to_jsonb(OLD) - ignored) THEN
      RAISE EXCEPTION 'convention % is validated: it is changed only by amendments', OLD.id USING ERRCODE = 'check_violation';
    END IF;
    RETURN NEW;
  END $$`;

const AMENDMENT_WITHDRAWAL = "'status' - 'version' - 'updated_at' - 'updated_by' - 'validated_at' - 'validated_by'";
const AMENDMENT_ANONYMISED = "'reason' - 'termination_comment' - 'other' - 'created_by' - 'updated_by' - 'validated_by'";

const amendmentReadOnly = (anonymisable: boolean) => `
  CREATE OR REPLACE FUNCTION amendment_refuse_validated_change() RETURNS trigger LANGUAGE plpgsql AS $$
  BEGIN
    IF TG_OP = 'DELETE' THEN
      IF OLD.status = 'validated' THEN
        RAISE EXCEPTION 'amendment % is validated: it cannot be deleted', OLD.id USING ERRCODE = 'check_violation';
      END IF;
      RETURN OLD;
    END IF;
    IF OLD.status = 'validated' AND NOT (
      (NEW.status = 'submitted' AND (to_jsonb(NEW) - ${AMENDMENT_WITHDRAWAL}) = (to_jsonb(OLD) - ${AMENDMENT_WITHDRAWAL}))
      ${anonymisable ? `OR (conventio_anonymising() AND (to_jsonb(NEW) - ${AMENDMENT_ANONYMISED}) = (to_jsonb(OLD) - ${AMENDMENT_ANONYMISED}))` : ''}
    ) THEN
      RAISE EXCEPTION 'amendment % is validated: it cannot be changed', OLD.id USING ERRCODE = 'check_violation';
    END IF;
    RETURN NEW;
  END $$`;

const transitionAppendOnly = (anonymisable: boolean) => `
  CREATE OR REPLACE FUNCTION convention_transition_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
  BEGIN
    ${anonymisable ? `IF conventio_anonymising() AND (to_jsonb(NEW) - 'actor_login' - 'reason') = (to_jsonb(OLD) - 'actor_login' - 'reason') THEN
      RETURN NEW;
    END IF;` : ''}
    RAISE EXCEPTION 'the history of conventions is append-only' USING ERRCODE = 'check_violation';
  END $$`;

const auditAppendOnly = (anonymisable: boolean) => `
  CREATE OR REPLACE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
  BEGIN
    ${anonymisable ? `IF TG_OP = 'UPDATE' AND conventio_anonymising()
       AND (to_jsonb(NEW) - 'actor_login' - 'before' - 'after') = (to_jsonb(OLD) - 'actor_login' - 'before' - 'after') THEN
      RETURN NEW;
    END IF;` : ''}
    RAISE EXCEPTION 'audit_log is append-only' USING ERRCODE = 'insufficient_privilege';
  END $$`;

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('institution_setting', (table) => {
    table.integer('id').primary().defaultTo(1);
    table.integer('retention_years').notNullable().defaultTo(5);
    table.boolean('collect_social_security_number').notNullable().defaultTo(false);
    table.text('privacy_notice');
    table.text('accessibility_statement');
    table.integer('version').notNullable().defaultTo(1);
    table.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    table.text('updated_by');
    table.check('id = 1', [], 'institution_setting_single_row');
    table.check('retention_years BETWEEN 1 AND 50', [], 'institution_setting_retention_range');
  });
  await knex('institution_setting').insert({ id: 1 });

  await knex.schema.alterTable('convention', (table) => {
    table.text('social_security_number');
    table.timestamp('anonymised_at', { useTz: true });
    table.check("social_security_number ~ '^[1-478][0-9]{4}([0-9]{2}|2A|2B)[0-9]{8}$'", [], 'convention_social_security_number_format');
  });
  await knex.schema.alterTable('student', (table) => {
    table.timestamp('anonymised_at', { useTz: true });
  });

  await knex.raw(`
    CREATE FUNCTION conventio_anonymising() RETURNS boolean LANGUAGE sql STABLE AS $$
      SELECT coalesce(current_setting('conventio.anonymising', true), '') = 'on'
    $$`);
  await knex.raw(conventionReadOnly(true));
  await knex.raw(amendmentReadOnly(true));
  await knex.raw(transitionAppendOnly(true));
  await knex.raw(auditAppendOnly(true));
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw(conventionReadOnly(false));
  await knex.raw(amendmentReadOnly(false));
  await knex.raw(transitionAppendOnly(false));
  await knex.raw(auditAppendOnly(false));
  await knex.raw('DROP FUNCTION IF EXISTS conventio_anonymising()');
  await knex.schema.alterTable('student', (table) => {
    table.dropColumn('anonymised_at');
  });
  await knex.schema.alterTable('convention', (table) => {
    table.dropChecks(['convention_social_security_number_format']);
    table.dropColumn('anonymised_at');
    table.dropColumn('social_security_number');
  });
  await knex.schema.dropTableIfExists('institution_setting');
}
