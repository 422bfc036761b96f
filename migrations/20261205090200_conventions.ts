import type { Knex } from 'knex';

/**
 * Conventions (internship agreements), their interruptions, the history of their workflow and their
 * amendments, with the triggers that keep a validated convention read-only and write the columns the
 * convention derives from its amendments, its enrolment and its host. docs/schema.md lists each derived
 * column with the step that writes it, and the order of the steps.
 *
 * - `number` comes from `convention_number_seq` when the convention is created (submitted); a draft has none.
 * - Money is in whole cents and hours of presence in whole minutes (src/rules/units.ts).
 */
const CONVENTION_STATUSES = "'draft', 'submitted', 'pedagogically_validated', 'validated', 'refused', 'cancelled'";

/** The convention's own values that its validated amendments may change: each has an `effective_` copy. */
const AMENDABLE = [
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
];

/** What a validated convention may still see change: its status, and the columns derived by the triggers. */
const CHANGEABLE_WHEN_VALIDATED = [
  'status',
  'version',
  'updated_at',
  'updated_by',
  ...AMENDABLE.map((column) => `effective_${column}`),
  'effective_interruptions',
  'termination_date',
  'validated_amendment_count',
  'last_amendment_kind',
  'last_amendment_validated_at',
  'effective_subject_search',
  'faculty_code',
  'step_code',
  'host_name_search',
  'host_town_search',
];

/** What an anonymisation may change on a validated convention (the student moves to the anonymous record). */
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

const textArray = (columns: readonly string[]) => `ARRAY[${columns.map((column) => `'${column}'`).join(', ')}]::text[]`;

/**
 * Step 1: what the validated amendments, applied in the order of their numbers, make of the convention's
 * own values; src/conventions/shared/effective-values.ts computes the same for the pages that show or preview
 * amendments. The effective interruptions stay NULL until an amendment changes them or a termination
 * cuts them: the convention's own are then those of convention_interruption.
 */
const EFFECTIVE_VALUES_STEP = `
  CREATE FUNCTION convention_derive_effective_values(c convention) RETURNS convention LANGUAGE plpgsql AS $$
  DECLARE
    a amendment;
    periods jsonb;
    periods_amended boolean := false;
  BEGIN
    ${AMENDABLE.map((column) => `c.effective_${column} := c.${column};`).join('\n    ')}
    c.termination_date := NULL;
    c.validated_amendment_count := 0;
    c.last_amendment_kind := NULL;
    c.last_amendment_validated_at := NULL;
    FOR a IN SELECT * FROM amendment WHERE convention_id = c.id AND status = 'validated' ORDER BY number LOOP
      c.validated_amendment_count := c.validated_amendment_count + 1;
      c.last_amendment_kind := a.kind;
      c.last_amendment_validated_at := a.validated_at;
      IF a.kind = 'termination' AND a.termination_date IS NOT NULL THEN
        c.termination_date := a.termination_date;
        periods_amended := true;
        IF c.effective_end_date IS NULL OR a.termination_date < c.effective_end_date THEN
          c.effective_end_date := a.termination_date;
        END IF;
        IF periods IS NULL THEN
          SELECT coalesce(jsonb_agg(jsonb_build_object('start', i.start_date, 'end', i.end_date) ORDER BY i.position), '[]')
          INTO periods FROM convention_interruption i WHERE i.convention_id = c.id;
        END IF;
        IF c.effective_end_date IS NOT NULL THEN
          SELECT coalesce(jsonb_agg(CASE WHEN (p.period ->> 'end')::date > c.effective_end_date
                                         THEN jsonb_build_object('start', p.period -> 'start', 'end', c.effective_end_date)
                                         ELSE p.period END ORDER BY p.position), '[]')
          INTO periods FROM jsonb_array_elements(periods) WITH ORDINALITY AS p(period, position)
          WHERE (p.period ->> 'start')::date <= c.effective_end_date;
        END IF;
      END IF;
      IF a.start_date IS NOT NULL AND a.end_date IS NOT NULL THEN
        c.effective_start_date := a.start_date;
        c.effective_end_date := a.end_date;
      END IF;
      IF a.interruptions IS NOT NULL THEN
        periods := a.interruptions;
        periods_amended := true;
      END IF;
      IF a.total_presence_minutes IS NOT NULL THEN c.effective_total_presence_minutes := a.total_presence_minutes; END IF;
      IF a.subject IS NOT NULL THEN c.effective_subject := a.subject; END IF;
      IF a.gratification_changed THEN
        c.effective_gratification := a.gratification;
        c.effective_gratification_amount_cents := a.gratification_amount_cents;
        c.effective_gratification_per := a.gratification_per;
        c.effective_gratification_basis := a.gratification_basis;
      END IF;
      IF a.service_id IS NOT NULL THEN c.effective_service_id := a.service_id; END IF;
      IF a.tutor_id IS NOT NULL THEN c.effective_tutor_id := a.tutor_id; END IF;
      IF a.supervisor_teacher_id IS NOT NULL THEN c.effective_supervisor_teacher_id := a.supervisor_teacher_id; END IF;
    END LOOP;
    c.effective_interruptions := CASE WHEN periods_amended THEN periods END;
    RETURN c;
  END $$`;

/** Step 2: the faculty and step of the enrolment, read by the search's indexes instead of joining every enrolment. */
const ENROLMENT_CODES_STEP = `
  CREATE FUNCTION convention_derive_enrolment_codes(c convention) RETURNS convention LANGUAGE plpgsql AS $$
  BEGIN
    SELECT faculty_code, step_code INTO c.faculty_code, c.step_code FROM enrolment WHERE id = c.enrolment_id;
    RETURN c;
  END $$`;

/** Step 3: the host's searched name and town; no host yet (a draft), no row, and both become NULL. */
const HOST_KEYS_STEP = `
  CREATE FUNCTION convention_derive_host_keys(c convention) RETURNS convention LANGUAGE plpgsql AS $$
  BEGIN
    SELECT name_search, town_search INTO c.host_name_search, c.host_town_search FROM host WHERE id = c.host_id;
    RETURN c;
  END $$`;

/**
 * Step 4: a validated convention is changed only by amendments. It judges the row as it will be stored,
 * the derived columns written, and lets only those and the status change (withdrawal of the validation).
 */
const READ_ONLY_STEP = `
  CREATE FUNCTION convention_refuse_validated_change(operation text, old_row convention, new_row convention) RETURNS void LANGUAGE plpgsql AS $$
  DECLARE ignored text[] := ${textArray(CHANGEABLE_WHEN_VALIDATED)};
  BEGIN
    IF old_row.status <> 'validated' THEN
      RETURN;
    END IF;
    IF operation = 'DELETE' THEN
      RAISE EXCEPTION 'convention % is validated: it cannot be deleted', old_row.id USING ERRCODE = 'check_violation';
    END IF;
    IF conventio_anonymising() AND new_row.anonymised_at IS NOT NULL THEN
      ignored := ignored || ${textArray(ANONYMISED_CONVENTION_COLUMNS)};
    END IF;
    IF (to_jsonb(new_row) - ignored) <> (to_jsonb(old_row) - ignored) THEN
      RAISE EXCEPTION 'convention % is validated: it is changed only by amendments', old_row.id USING ERRCODE = 'check_violation';
    END IF;
  END $$`;

/**
 * The convention's only BEFORE trigger, so that the order of its steps is written here rather than left
 * to the names of several triggers: each derivation reads only the caller's columns and other tables, and
 * the read-only check comes last, on the row as it will be stored.
 */
const CONVENTION_BEFORE_WRITE = `
  CREATE FUNCTION convention_before_write() RETURNS trigger LANGUAGE plpgsql AS $$
  BEGIN
    IF TG_OP = 'DELETE' THEN
      PERFORM convention_refuse_validated_change(TG_OP, OLD, NULL);
      RETURN OLD;
    END IF;
    NEW := convention_derive_effective_values(NEW);
    NEW := convention_derive_enrolment_codes(NEW);
    NEW := convention_derive_host_keys(NEW);
    IF TG_OP = 'UPDATE' THEN
      PERFORM convention_refuse_validated_change(TG_OP, OLD, NEW);
    END IF;
    RETURN NEW;
  END $$`;

const AMENDMENT_WITHDRAWAL = "'status' - 'version' - 'updated_at' - 'updated_by' - 'validated_at' - 'validated_by'";
const AMENDMENT_ANONYMISED = "'reason' - 'termination_comment' - 'other' - 'created_by' - 'updated_by' - 'validated_by'";

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
    // The published offer the internship answers (its foreign key comes with the offers module).
    table.integer('offer_id');

    // The host directory's records (soft-deleted there, so these keys never block its deletions).
    table.integer('host_id');
    table.integer('service_id');
    table.integer('tutor_id');
    table.integer('signatory_id');
    table.integer('supervisor_teacher_id').references('teacher.id');

    // Step 1 of the wizard: the student's contact details at the time of the convention, and social protection.
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

    // Step 5 of the wizard: the internship.
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

    // Derived by step 1 of convention_before_write: what the validated amendments make of the convention.
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
    table.jsonb('effective_interruptions');
    table.date('termination_date');
    table.integer('validated_amendment_count').notNullable().defaultTo(0);
    table.text('last_amendment_kind');
    table.timestamp('last_amendment_validated_at', { useTz: true });

    // Personal data: the normalised NIR (src/rules/nir.ts), and when the personal data was replaced.
    table.text('social_security_number');
    table.timestamp('anonymised_at', { useTz: true });

    // Search copies: the effective subject unaccented, and (steps 2 and 3) the enrolment's codes and the host's searched name and town.
    table.specificType('effective_subject_search', 'text GENERATED ALWAYS AS (lower(immutable_unaccent(effective_subject))) STORED');
    table.text('faculty_code').notNullable();
    table.text('step_code').notNullable();
    table.text('host_name_search');
    table.text('host_town_search');

    table.check(`status IN (${CONVENTION_STATUSES})`, [], 'convention_status_known');
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
    table.check('service_id IS NULL OR host_id IS NOT NULL', [], 'convention_service_needs_host');
    table.check('tutor_id IS NULL OR service_id IS NOT NULL', [], 'convention_tutor_needs_service');
    table.check('signatory_id IS NULL OR host_id IS NOT NULL', [], 'convention_signatory_needs_host');
    table.check('validated_amendment_count >= 0', [], 'convention_amendment_count_positive');
    table.check("social_security_number ~ '^[1-478][0-9]{4}([0-9]{2}|2A|2B)[0-9]{8}$'", [], 'convention_social_security_number_format');

    // A host, service or contact used by a convention cannot be deleted (the directory keeps them as history).
    table.foreign('host_id', 'convention_host').references('host.id');
    table.foreign('service_id', 'convention_service').references('host_service.id');
    table.foreign('tutor_id', 'convention_tutor').references('host_contact.id');
    table.foreign('signatory_id', 'convention_signatory').references('host_contact.id');

    // The filters of /conventions and the rules' look-ups; the search's own indexes are in the search module.
    table.index(['academic_year'], 'convention_academic_year_index');
    table.index(['student_id', 'academic_year'], 'convention_student_index');
    table.index(['status'], 'convention_status_index');
    table.index(['host_id', 'academic_year'], 'convention_host_index');
    table.index(['tutor_id'], 'convention_tutor_index');
    table.index(['supervisor_teacher_id'], 'convention_supervisor_index');
    table.index(['enrolment_id'], 'convention_enrolment_index');
  });
  // The order of the lists: newest number first, drafts (no number yet) on top.
  await knex.raw('CREATE INDEX convention_list_order ON convention (number DESC NULLS FIRST, id DESC)');

  await knex.schema.createTable('convention_interruption', (table) => {
    table.increments('id');
    table.integer('convention_id').notNullable().references('convention.id').onDelete('CASCADE');
    table.date('start_date').notNullable();
    table.date('end_date').notNullable();
    table.integer('position').notNullable();
    table.unique(['convention_id', 'position']);
    table.check('end_date >= start_date', [], 'convention_interruption_end_after_start');
  });
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

  // Every transition of a created convention, with who, when and, for refusals, why.
  await knex.schema.createTable('convention_transition', (table) => {
    table.bigIncrements('id');
    table.integer('convention_id').notNullable().references('convention.id').onDelete('CASCADE');
    table.text('action').notNullable();
    table.text('from_status').notNullable();
    table.text('to_status').notNullable();
    table.text('actor_login').notNullable();
    table.text('reason');
    table.timestamp('at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    table.check(`from_status IN (${CONVENTION_STATUSES})`, [], 'convention_transition_from_known');
    table.check(`to_status IN (${CONVENTION_STATUSES})`, [], 'convention_transition_to_known');
    table.check("action <> 'refuse' OR length(btrim(reason)) > 0", [], 'convention_transition_refusal_reason');
    table.index(['convention_id', 'at'], 'convention_transition_convention_index');
  });
  // Deleting a convention (not validated) cascades to its history: only direct updates are refused,
  // but for an anonymisation removing the actor and the reason.
  await knex.raw(`
    CREATE FUNCTION convention_transition_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF conventio_anonymising() AND (to_jsonb(NEW) - 'actor_login' - 'reason') = (to_jsonb(OLD) - 'actor_login' - 'reason') THEN
        RETURN NEW;
      END IF;
      RAISE EXCEPTION 'the history of conventions is append-only' USING ERRCODE = 'check_violation';
    END $$`);
  await knex.raw(`CREATE TRIGGER convention_transition_append_only BEFORE UPDATE ON convention_transition
    FOR EACH ROW EXECUTE FUNCTION convention_transition_append_only()`);

  // Amendments of validated conventions: a change column left NULL means "not changed" (`gratification_changed`
  // tells whether the gratification columns are a change, since "no gratification" is itself a value).
  await knex.schema.createTable('amendment', (table) => {
    table.increments('id');
    table.integer('convention_id').notNullable().references('convention.id').onDelete('CASCADE');
    table.integer('number').notNullable();
    table.text('status').notNullable().defaultTo('submitted');
    table.text('kind').notNullable();
    table.text('reason').notNullable();
    table.date('termination_date');
    table.text('termination_comment');
    table.date('start_date');
    table.date('end_date');
    table.jsonb('interruptions');
    table.integer('total_presence_minutes');
    table.text('subject');
    table.boolean('gratification_changed').notNullable().defaultTo(false);
    table.boolean('gratification');
    table.integer('gratification_amount_cents');
    table.text('gratification_per');
    table.text('gratification_basis');
    table.integer('service_id').references('host_service.id');
    table.integer('tutor_id').references('host_contact.id');
    table.integer('supervisor_teacher_id').references('teacher.id');
    table.text('other');
    table.integer('version').notNullable().defaultTo(1);
    table.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    table.text('created_by').notNullable();
    table.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    table.text('updated_by').notNullable();
    table.timestamp('validated_at', { useTz: true });
    table.text('validated_by');

    table.unique(['convention_id', 'number']);
    table.check("status IN ('submitted', 'validated')", [], 'amendment_status_known');
    table.check("kind IN ('termination', 'changes')", [], 'amendment_kind_known');
    table.check('number >= 1', [], 'amendment_number_positive');
    table.check('length(btrim(reason)) > 0', [], 'amendment_reason_given');
    table.check("kind <> 'termination' OR termination_date IS NOT NULL", [], 'amendment_termination_date');
    table.check('(start_date IS NULL) = (end_date IS NULL) AND (end_date IS NULL OR end_date >= start_date)', [], 'amendment_dates');
    table.check("gratification_per IS NULL OR gratification_per IN ('hour', 'month')", [], 'amendment_gratification_per_known');
    table.check(
      'gratification IS NOT TRUE OR (gratification_amount_cents > 0 AND gratification_per IS NOT NULL AND gratification_basis IS NOT NULL)',
      [],
      'amendment_gratification_complete',
    );
    table.check('service_id IS NULL OR tutor_id IS NOT NULL', [], 'amendment_place_needs_tutor');
    table.check("(status = 'validated') = (validated_at IS NOT NULL)", [], 'amendment_validated_at');
  });
  // A validated amendment is immutable and undeletable, but for the withdrawal of its validation (status
  // back to submitted, the rest unchanged) and an anonymisation of its free texts and logins.
  await knex.raw(`
    CREATE FUNCTION amendment_refuse_validated_change() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF TG_OP = 'DELETE' THEN
        IF OLD.status = 'validated' THEN
          RAISE EXCEPTION 'amendment % is validated: it cannot be deleted', OLD.id USING ERRCODE = 'check_violation';
        END IF;
        RETURN OLD;
      END IF;
      IF OLD.status = 'validated' AND NOT (
        (NEW.status = 'submitted' AND (to_jsonb(NEW) - ${AMENDMENT_WITHDRAWAL}) = (to_jsonb(OLD) - ${AMENDMENT_WITHDRAWAL}))
        OR (conventio_anonymising() AND (to_jsonb(NEW) - ${AMENDMENT_ANONYMISED}) = (to_jsonb(OLD) - ${AMENDMENT_ANONYMISED}))
      ) THEN
        RAISE EXCEPTION 'amendment % is validated: it cannot be changed', OLD.id USING ERRCODE = 'check_violation';
      END IF;
      RETURN NEW;
    END $$`);
  await knex.raw(`CREATE TRIGGER amendment_validated_read_only BEFORE UPDATE OR DELETE ON amendment
    FOR EACH ROW EXECUTE FUNCTION amendment_refuse_validated_change()`);

  await knex.raw(EFFECTIVE_VALUES_STEP);
  await knex.raw(ENROLMENT_CODES_STEP);
  await knex.raw(HOST_KEYS_STEP);
  await knex.raw(READ_ONLY_STEP);
  await knex.raw(CONVENTION_BEFORE_WRITE);
  await knex.raw(
    'CREATE TRIGGER convention_before_write BEFORE INSERT OR UPDATE OR DELETE ON convention FOR EACH ROW EXECUTE FUNCTION convention_before_write()',
  );

  // The sources of the derived columns, in other tables, write their convention again so that the steps run.
  await knex.raw(`
    CREATE FUNCTION amendment_validation_to_convention() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF NEW.status = 'validated' OR (TG_OP = 'UPDATE' AND OLD.status = 'validated') THEN
        UPDATE convention SET validated_amendment_count = validated_amendment_count WHERE id = NEW.convention_id;
      END IF;
      RETURN NULL;
    END $$`);
  await knex.raw(
    'CREATE TRIGGER amendment_validation_to_convention AFTER INSERT OR UPDATE OF status ON amendment FOR EACH ROW EXECUTE FUNCTION amendment_validation_to_convention()',
  );
  await knex.raw(`
    CREATE FUNCTION enrolment_codes_to_conventions() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      UPDATE convention SET faculty_code = NEW.faculty_code, step_code = NEW.step_code
      WHERE enrolment_id = NEW.id AND (faculty_code, step_code) IS DISTINCT FROM (NEW.faculty_code, NEW.step_code);
      RETURN NULL;
    END $$`);
  await knex.raw(
    'CREATE TRIGGER enrolment_codes_to_conventions AFTER UPDATE OF faculty_code, step_code ON enrolment FOR EACH ROW EXECUTE FUNCTION enrolment_codes_to_conventions()',
  );
  await knex.raw(`
    CREATE FUNCTION host_keys_to_conventions() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      UPDATE convention SET host_name_search = NEW.name_search, host_town_search = NEW.town_search
      WHERE host_id = NEW.id AND (host_name_search, host_town_search) IS DISTINCT FROM (NEW.name_search, NEW.town_search);
      RETURN NULL;
    END $$`);
  await knex.raw('CREATE TRIGGER host_keys_to_conventions AFTER UPDATE OF name, town ON host FOR EACH ROW EXECUTE FUNCTION host_keys_to_conventions()');

  // The legal working week (35 h), above which the weekly hours give a warning; the seed file lacks it.
  await knex('legal_parameter')
    .insert({ key: 'legalWeeklyHours', value: JSON.stringify({ value: 35 }), source: 'Code du travail L3121-27 (durée légale du travail effectif)' })
    .onConflict('key')
    .ignore();
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('DROP TRIGGER IF EXISTS host_keys_to_conventions ON host');
  await knex.raw('DROP FUNCTION IF EXISTS host_keys_to_conventions()');
  await knex.raw('DROP TRIGGER IF EXISTS enrolment_codes_to_conventions ON enrolment');
  await knex.raw('DROP FUNCTION IF EXISTS enrolment_codes_to_conventions()');
  await knex.schema.dropTableIfExists('amendment');
  await knex.raw('DROP FUNCTION IF EXISTS amendment_validation_to_convention()');
  await knex.raw('DROP FUNCTION IF EXISTS amendment_refuse_validated_change()');
  await knex.schema.dropTableIfExists('convention_transition');
  await knex.raw('DROP FUNCTION IF EXISTS convention_transition_append_only()');
  await knex.schema.dropTableIfExists('convention_interruption');
  await knex.raw('DROP FUNCTION IF EXISTS convention_interruption_refuse_validated_change()');
  await knex.raw('DROP TRIGGER IF EXISTS convention_before_write ON convention');
  await knex.raw('DROP FUNCTION IF EXISTS convention_before_write()');
  await knex.raw('DROP FUNCTION IF EXISTS convention_refuse_validated_change(text, convention, convention)');
  await knex.raw('DROP FUNCTION IF EXISTS convention_derive_host_keys(convention)');
  await knex.raw('DROP FUNCTION IF EXISTS convention_derive_enrolment_codes(convention)');
  await knex.raw('DROP FUNCTION IF EXISTS convention_derive_effective_values(convention)');
  await knex.schema.dropTableIfExists('convention');
  await knex.raw('DROP SEQUENCE IF EXISTS convention_number_seq');
  await knex('legal_parameter').where({ key: 'legalWeeklyHours' }).delete();
}
