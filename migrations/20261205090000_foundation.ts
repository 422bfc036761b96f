import type { Knex } from 'knex';

/**
 * Foundation: the extensions and SQL helpers every module uses, reference data and legal parameters,
 * the people directory (students and their enrolments, teachers, staff), centres and their members,
 * and the audit log. docs/schema.md describes every table.
 */

export async function up(knex: Knex): Promise<void> {
  await knex.raw('CREATE EXTENSION IF NOT EXISTS pg_trgm');
  await knex.raw('CREATE EXTENSION IF NOT EXISTS unaccent');
  // unaccent() is only STABLE; an IMMUTABLE wrapper lets expression indexes and generated columns use it.
  await knex.raw(`
    CREATE OR REPLACE FUNCTION immutable_unaccent(text) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
    AS $$ SELECT public.unaccent('public.unaccent'::regdictionary, $1) $$`);
  // Whether the transaction declared itself an anonymisation (src/privacy/anonymisation.ts): the triggers
  // of the frozen tables then let the personal columns change.
  await knex.raw(`
    CREATE FUNCTION conventio_anonymising() RETURNS boolean LANGUAGE sql STABLE AS $$
      SELECT coalesce(current_setting('conventio.anonymising', true), '') = 'on'
    $$`);

  await knex.schema.createTable('reference_item', (table) => {
    table.text('list').notNullable();
    table.text('code').notNullable();
    table.text('label').notNullable();
    table.boolean('active').notNullable().defaultTo(true);
    table.integer('position').notNullable();
    table.jsonb('attributes').notNullable().defaultTo('{}');
    table.primary(['list', 'code']);
  });

  await knex.schema.createTable('legal_parameter', (table) => {
    table.text('key').primary();
    table.jsonb('value').notNullable();
    table.text('source').notNullable();
  });

  await knex.schema.createTable('legal_yearly_rate', (table) => {
    table.integer('year').primary();
    table.decimal('hourly_social_security_ceiling', 10, 2).notNullable();
    table.decimal('minimum_hourly_gratification', 10, 2).notNullable();
    table.check('minimum_hourly_gratification > 0');
  });

  await knex.schema.createTable('legal_mention', (table) => {
    table.text('article').notNullable();
    table.integer('position').notNullable();
    table.text('text').notNullable();
    table.primary(['article', 'position']);
  });

  await knex.schema.createTable('faculty', (table) => {
    table.text('code').primary();
    table.text('label').notNullable();
  });

  await knex.schema.createTable('study_step', (table) => {
    table.text('code').primary();
    table.text('label').notNullable();
    table.text('faculty_code').notNullable().references('faculty.code').onUpdate('CASCADE');
  });

  await knex.schema.createTable('student', (table) => {
    table.increments('id');
    table.text('student_number').notNullable().unique();
    table.text('login').notNullable().unique();
    table.text('last_name').notNullable();
    table.text('first_name').notNullable();
    table.date('birth_date');
    table.text('email');
    table.text('personal_email');
    table.text('phone');
    table.text('mobile_phone');
    table.text('address');
    table.text('postal_code');
    table.text('town');
    table.text('country');
    table.timestamps(true, true);
    table.timestamp('anonymised_at', { useTz: true });
    // Unaccented and in lower case, so that the sort by student and the search by name compare stored text.
    table.specificType('last_name_search', 'text GENERATED ALWAYS AS (lower(immutable_unaccent(last_name))) STORED');
    table.specificType('first_name_search', 'text GENERATED ALWAYS AS (lower(immutable_unaccent(first_name))) STORED');
  });
  await knex.raw(`CREATE INDEX student_name_search ON student
    USING gin ((immutable_unaccent(lower(last_name || ' ' || first_name))) gin_trgm_ops)`);
  // People type "first last" as often as "last first": both orders are searched.
  await knex.raw(`CREATE INDEX student_name_search_reversed ON student
    USING gin ((immutable_unaccent(lower(first_name || ' ' || last_name))) gin_trgm_ops)`);

  await knex.schema.createTable('enrolment', (table) => {
    table.increments('id');
    table.integer('student_id').notNullable().references('student.id').onDelete('CASCADE');
    table.text('academic_year').notNullable();
    table.text('faculty_code').notNullable().references('faculty.code').onUpdate('CASCADE');
    table.text('step_code').notNullable().references('study_step.code').onUpdate('CASCADE');
    table.unique(['student_id', 'academic_year', 'step_code']);
    table.check("academic_year ~ '^[0-9]{4}-[0-9]{4}$'", [], 'enrolment_academic_year_format');
  });

  for (const directory of ['teacher', 'staff']) {
    await knex.schema.createTable(directory, (table) => {
      table.increments('id');
      table.text('login').notNullable().unique();
      table.text('last_name').notNullable();
      table.text('first_name').notNullable();
      table.text('email');
      table.text('phone');
      table.text('department');
      table.timestamps(true, true);
    });
    await knex.raw(`CREATE INDEX ${directory}_name_search ON ${directory}
      USING gin ((immutable_unaccent(lower(last_name || ' ' || first_name))) gin_trgm_ops)`);
  }

  await knex.schema.createTable('centre', (table) => {
    table.increments('id');
    table.text('name').notNullable();
    table.text('level').notNullable();
    table.text('address');
    table.text('postal_code');
    table.text('town');
    table.text('phone').notNullable();
    table.text('email');
    table.text('fax');
    table.text('website');
    table.text('instructions_url');
    table.binary('logo');
    table.text('logo_mime_type');
    table.boolean('tutor_mandatory').notNullable().defaultTo(false);
    table.boolean('supervisor_mandatory').notNullable().defaultTo(false);
    table.boolean('students_may_enter_tutor').notNullable().defaultTo(true);
    table.boolean('students_may_create').notNullable().defaultTo(true);
    table.text('student_print_rule').notNullable().defaultTo('always');
    table.boolean('pedagogical_validation_required').notNullable().defaultTo(false);
    table.boolean('overlapping_internships_allowed').notNullable().defaultTo(true);
    table.integer('previous_year_months').notNullable().defaultTo(12);
    table.text('contacts_confidentiality').notNullable().defaultTo('0');
    table.text('signing_officer_name');
    table.text('signing_officer_title');
    table.integer('copies').notNullable().defaultTo(3);
    table.integer('alert_delay_days').notNullable().defaultTo(15);
    table.integer('version').notNullable().defaultTo(1);
    table.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    table.text('created_by');
    table.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    table.text('updated_by');
    table.check("level IN ('ETABLISSEMENT', 'UFR', 'ETAPE', 'ENTREPRISE')", [], 'centre_level_known');
    table.check("student_print_rule IN ('never', 'always', 'after_pedagogical', 'after_administrative')", [], 'centre_print_rule_known');
    table.check("contacts_confidentiality IN ('0', '1', '2')", [], 'centre_confidentiality_known');
    table.check('copies BETWEEN 1 AND 10', [], 'centre_copies_range');
    table.check('previous_year_months BETWEEN 0 AND 12', [], 'centre_previous_year_range');
    table.check('alert_delay_days BETWEEN 0 AND 365', [], 'centre_alert_delay_range');
    table.check(
      "(logo IS NULL) = (logo_mime_type IS NULL) AND (logo_mime_type IS NULL OR logo_mime_type IN ('image/png', 'image/jpeg'))",
      [],
      'centre_logo_typed',
    );
  });
  // Exactly one institution-wide centre and at most one company centre.
  await knex.raw("CREATE UNIQUE INDEX centre_single_etablissement ON centre (level) WHERE level IN ('ETABLISSEMENT', 'ENTREPRISE')");
  await knex.raw('CREATE UNIQUE INDEX centre_name_unique ON centre (lower(name))');

  await knex.schema.createTable('centre_criterion', (table) => {
    table.increments('id');
    table.integer('centre_id').notNullable().references('centre.id').onDelete('CASCADE');
    table.text('kind').notNullable();
    table.text('code').notNullable();
    table.unique(['kind', 'code']);
    table.check("kind IN ('faculty', 'step')", [], 'centre_criterion_kind_known');
  });

  await knex.schema.createTable('centre_member', (table) => {
    table.increments('id');
    table.integer('centre_id').notNullable().references('centre.id').onDelete('CASCADE');
    table.integer('staff_id').notNullable().references('staff.id').onDelete('CASCADE');
    table.text('access_right').notNullable();
    table.boolean('appears_on_conventions').notNullable().defaultTo(false);
    table.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    table.text('created_by');
    // The member asked to receive the centre's e-mail notifications (opt-in).
    table.boolean('notify').notNullable().defaultTo(false);
    table.unique(['centre_id', 'staff_id']);
    table.index(['staff_id']);
    table.check("access_right IN ('READ', 'WRITE', 'ADMIN')", [], 'centre_member_right_known');
  });

  await knex.schema.createTable('audit_log', (table) => {
    table.bigIncrements('id');
    table.timestamp('at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    table.text('actor_login');
    table.text('action').notNullable();
    table.text('entity').notNullable();
    table.text('entity_id');
    table.jsonb('before');
    table.jsonb('after');
    table.text('request_id');
    table.index(['entity', 'entity_id']);
  });
  // The audit log is a record, not working data: the application may only add to it. An anonymisation may
  // remove the personal values of a row (actor, before, after); the action, entity and date stay.
  await knex.raw(`
    CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF TG_OP = 'UPDATE' AND conventio_anonymising()
         AND (to_jsonb(NEW) - 'actor_login' - 'before' - 'after') = (to_jsonb(OLD) - 'actor_login' - 'before' - 'after') THEN
        RETURN NEW;
      END IF;
      RAISE EXCEPTION 'audit_log is append-only' USING ERRCODE = 'insufficient_privilege';
    END $$`);
  await knex.raw('CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log FOR EACH ROW EXECUTE FUNCTION audit_log_append_only()');
}

export async function down(knex: Knex): Promise<void> {
  for (const table of [
    'audit_log',
    'centre_member',
    'centre_criterion',
    'centre',
    'staff',
    'teacher',
    'enrolment',
    'student',
    'study_step',
    'faculty',
    'legal_mention',
    'legal_yearly_rate',
    'legal_parameter',
    'reference_item',
  ]) {
    await knex.schema.dropTableIfExists(table);
  }
  await knex.raw('DROP FUNCTION IF EXISTS audit_log_append_only()');
  await knex.raw('DROP FUNCTION IF EXISTS conventio_anonymising()');
  await knex.raw('DROP FUNCTION IF EXISTS immutable_unaccent(text)');
}
