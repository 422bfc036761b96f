import type { Knex } from 'knex';

/**
 * Conventions (internship agreements) and their interruptions (DESIGN §3, §4).
 *
 * - `number` comes from the sequence `convention_number_seq` when the convention is created (submitted);
 *   a draft has none, and is addressed by its id (`/conventions/drafts/:id/...`).
 * - Reference codes (convention type, internship kind, countries…) are checked against `reference_item`
 *   by the service; dates, hours and amounts have their own SQL types; money is in whole cents and
 *   hours of presence in whole minutes (src/rules/units.ts).
 * - A validated convention is read-only: a trigger refuses any change but a change of its status
 *   (withdrawal of the validation), and refuses deleting it or changing its interruptions.
 * - `offer_id` is the hook of the offers module (no foreign key until the offer table exists).
 */
const CONVENTION_STATUSES = ['draft', 'submitted', 'pedagogically_validated', 'validated', 'refused', 'cancelled'] as const;

export async function up(knex: Knex): Promise<void> {
  await knex.raw('CREATE SEQUENCE convention_number_seq AS integer START WITH 1 MINVALUE 1');

  await knex.schema.createTable('convention', (table) => {
    table.increments('id');
    table.integer('number').unique();
    table.text('status').notNullable().defaultTo('draft');
    table.integer('student_id').notNullable().references('student.id');
    table.integer('enrolment_id').notNullable().references('enrolment.id');
    table.integer('centre_id').notNullable().references('centre.id');
    table.text('academic_year').notNullable();
    table.boolean('entered_by_staff').notNullable().defaultTo(false);
    // Hook of the offers module: the published offer the internship answers.
    table.integer('offer_id');

    // The host directory's records (soft-deleted there, so these keys never block its deletions).
    table.integer('host_id');
    table.integer('service_id');
    table.integer('tutor_id');
    table.integer('signatory_id');
    table.integer('supervisor_teacher_id').references('teacher.id');

    // Step 1: the student's contact details at the time of the convention, and social protection.
    table.text('student_address');
    table.text('student_postal_code');
    table.text('student_town');
    table.text('student_country');
    table.text('student_phone');
    table.text('student_mobile_phone');
    table.text('student_personal_email');
    table.text('social_security_affiliation');
    table.text('health_insurance_scheme');
    table.text('cpam_office');

    // Step 5: the internship.
    table.text('convention_type');
    table.text('internship_kind');
    table.text('theme');
    table.text('subject');
    table.boolean('subject_confidential').notNullable().defaultTo(false);
    table.text('activities');
    table.text('skills');
    table.date('start_date');
    table.date('end_date');
    table.decimal('days_per_week', 2, 1);
    table.decimal('hours_per_week', 5, 2);
    table.text('working_time');
    table.boolean('irregular_schedule').notNullable().defaultTo(false);
    table.boolean('night_presence').notNullable().defaultTo(false);
    table.boolean('sunday_presence').notNullable().defaultTo(false);
    table.boolean('holiday_presence').notNullable().defaultTo(false);
    table.text('leave_terms');
    table.text('supervision_terms');
    table.boolean('gratification');
    table.integer('gratification_amount_cents');
    table.text('gratification_basis');
    table.text('gratification_per');
    table.text('gratification_payment_mode');
    table.text('gratification_currency');
    table.text('benefits');
    table.text('internship_origin');
    table.text('nature_of_work');
    table.text('validation_mode');
    table.text('print_language');
    table.text('internship_country');
    table.integer('total_presence_minutes');

    table.specificType('completed_steps', 'text[]').notNullable().defaultTo(knex.raw("'{}'::text[]"));
    table.timestamp('submitted_at', { useTz: true });
    table.text('submitted_by');
    table.integer('version').notNullable().defaultTo(1);
    table.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    table.text('created_by');
    table.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    table.text('updated_by');

    table.check(`status IN (${CONVENTION_STATUSES.map((status) => `'${status}'`).join(', ')})`, [], 'convention_status_known');
    table.check("(status = 'draft') = (number IS NULL)", [], 'convention_number_when_created');
    table.check("academic_year ~ '^[0-9]{4}-[0-9]{4}$'", [], 'convention_academic_year_format');
    table.check('end_date >= start_date', [], 'convention_end_after_start');
    table.check('days_per_week >= 0.5 AND days_per_week <= 6 AND days_per_week * 2 = trunc(days_per_week * 2)', [], 'convention_days_per_week_range');
    table.check('hours_per_week > 0', [], 'convention_hours_per_week_positive');
    table.check('total_presence_minutes >= 0', [], 'convention_presence_positive');
    table.check("gratification_per IN ('hour', 'month')", [], 'convention_gratification_per_known');
    table.check(
      'gratification IS NOT TRUE OR (gratification_amount_cents > 0 AND gratification_per IS NOT NULL AND gratification_basis IS NOT NULL)',
      [],
      'convention_gratification_complete',
    );
    table.check('gratification IS TRUE OR gratification_amount_cents IS NULL', [], 'convention_gratification_amount_only_when_paid');
    table.check("gratification_currency ~ '^[A-Z]{3}$'", [], 'convention_gratification_currency_format');
    // A created convention has the facts its number, hours and checks rest on.
    table.check(
      `status = 'draft' OR (host_id IS NOT NULL AND start_date IS NOT NULL AND end_date IS NOT NULL AND days_per_week IS NOT NULL
        AND hours_per_week IS NOT NULL AND total_presence_minutes IS NOT NULL AND social_security_affiliation IS NOT NULL)`,
      [],
      'convention_complete_when_created',
    );
    table.check("service_id IS NULL OR host_id IS NOT NULL", [], 'convention_service_needs_host');
    table.check("tutor_id IS NULL OR service_id IS NOT NULL", [], 'convention_tutor_needs_service');
    table.check("signatory_id IS NULL OR host_id IS NOT NULL", [], 'convention_signatory_needs_host');

    // The filters of /conventions and the rules' look-ups.
    table.index(['academic_year'], 'convention_academic_year_index');
    table.index(['student_id', 'academic_year'], 'convention_student_index');
    table.index(['centre_id', 'status'], 'convention_centre_status_index');
    table.index(['status'], 'convention_status_index');
    table.index(['host_id', 'academic_year'], 'convention_host_index');
    table.index(['tutor_id'], 'convention_tutor_index');
    table.index(['supervisor_teacher_id'], 'convention_supervisor_index');
    table.index(['enrolment_id'], 'convention_enrolment_index');
  });

  // The order of the lists: newest number first, drafts (no number yet) on top.
  await knex.raw('CREATE INDEX convention_list_order ON convention (number DESC NULLS FIRST, id DESC)');

  // A host, service or contact used by a convention cannot be deleted (the directory keeps them as history).
  await knex.schema.alterTable('convention', (table) => {
    table.foreign('host_id', 'convention_host').references('host.id');
    table.foreign('service_id', 'convention_service').references('host_service.id');
    table.foreign('tutor_id', 'convention_tutor').references('host_contact.id');
    table.foreign('signatory_id', 'convention_signatory').references('host_contact.id');
  });

  await knex.schema.createTable('convention_interruption', (table) => {
    table.increments('id');
    table.integer('convention_id').notNullable().references('convention.id').onDelete('CASCADE');
    table.date('start_date').notNullable();
    table.date('end_date').notNullable();
    table.integer('position').notNullable();
    table.unique(['convention_id', 'position']);
    table.check('end_date >= start_date', [], 'convention_interruption_end_after_start');
  });

  // Validated conventions are read-only in the database too (DESIGN §3, §8).
  await knex.raw(`
    CREATE FUNCTION convention_refuse_validated_change() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF TG_OP = 'DELETE' THEN
        IF OLD.status = 'validated' THEN
          RAISE EXCEPTION 'convention % is validated: it cannot be deleted', OLD.id USING ERRCODE = 'check_violation';
        END IF;
        RETURN OLD;
      END IF;
      IF OLD.status = 'validated' AND (to_jsonb(NEW) - 'status' - 'version' - 'updated_at' - 'updated_by') <> (to_jsonb(OLD) - 'status' - 'version' - 'updated_at' - 'updated_by') THEN
        RAISE EXCEPTION 'convention % is validated: it is changed only by amendments', OLD.id USING ERRCODE = 'check_violation';
      END IF;
      RETURN NEW;
    END $$`);
  await knex.raw(`CREATE TRIGGER convention_validated_read_only BEFORE UPDATE OR DELETE ON convention
    FOR EACH ROW EXECUTE FUNCTION convention_refuse_validated_change()`);
  await knex.raw(`
    CREATE FUNCTION convention_interruption_refuse_validated_change() RETURNS trigger LANGUAGE plpgsql AS $$
    DECLARE parent_status text;
    BEGIN
      SELECT status INTO parent_status FROM convention WHERE id = COALESCE(NEW.convention_id, OLD.convention_id);
      IF parent_status = 'validated' THEN
        RAISE EXCEPTION 'convention is validated: its interruptions are changed only by amendments' USING ERRCODE = 'check_violation';
      END IF;
      RETURN COALESCE(NEW, OLD);
    END $$`);
  await knex.raw(`CREATE TRIGGER convention_interruption_validated_read_only BEFORE INSERT OR UPDATE OR DELETE ON convention_interruption
    FOR EACH ROW EXECUTE FUNCTION convention_interruption_refuse_validated_change()`);

  // The legal working week (35 h), above which the weekly hours give a warning; the seed file lacks it.
  await knex('legal_parameter')
    .insert({ key: 'legalWeeklyHours', value: JSON.stringify({ value: 35 }), source: 'Code du travail L3121-27 (durée légale du travail effectif)' })
    .onConflict('key')
    .ignore();
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('convention_interruption');
  await knex.schema.dropTableIfExists('convention');
  await knex.raw('DROP FUNCTION IF EXISTS convention_interruption_refuse_validated_change()');
  await knex.raw('DROP FUNCTION IF EXISTS convention_refuse_validated_change()');
  await knex.raw('DROP SEQUENCE IF EXISTS convention_number_seq');
  await knex('legal_parameter').where({ key: 'legalWeeklyHours' }).delete();
}
