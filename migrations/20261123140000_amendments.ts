import type { Knex } from 'knex';

/**
 * Amendments of validated conventions (DESIGN §3, issue 4 "Amendments").
 *
 * - `number` counts the amendments of one convention (1, 2, …), given under the convention's row lock.
 * - `kind` is a termination (date + comment) or typed changes; a change column left NULL means "not
 *   changed" (`interruptions` NULL = unchanged; `gratification_changed` tells whether the gratification
 *   columns are a change, since "no gratification" is itself a value).
 * - `total_presence_minutes` is the effective total hours of presence once this amendment applies
 *   (computed by the service when the dates, interruptions or the termination change).
 * - A trigger makes a validated amendment immutable and undeletable; the one change let through is the
 *   withdrawal of its validation (status back to `submitted`, the rest unchanged).
 */
export async function up(knex: Knex): Promise<void> {
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
        NEW.status = 'submitted'
        AND (to_jsonb(NEW) - 'status' - 'version' - 'updated_at' - 'updated_by' - 'validated_at' - 'validated_by')
          = (to_jsonb(OLD) - 'status' - 'version' - 'updated_at' - 'updated_by' - 'validated_at' - 'validated_by')
      ) THEN
        RAISE EXCEPTION 'amendment % is validated: it cannot be changed', OLD.id USING ERRCODE = 'check_violation';
      END IF;
      RETURN NEW;
    END $$`);
  await knex.raw(`CREATE TRIGGER amendment_validated_read_only BEFORE UPDATE OR DELETE ON amendment
    FOR EACH ROW EXECUTE FUNCTION amendment_refuse_validated_change()`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('amendment');
  await knex.raw('DROP FUNCTION IF EXISTS amendment_refuse_validated_change()');
}
