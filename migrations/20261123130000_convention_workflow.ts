import type { Knex } from 'knex';

/**
 * The validation workflow of conventions (DESIGN §3): every transition of a created convention, with
 * who, when and, for refusals, why. The history is append-only: rows are never changed nor deleted
 * except with their convention (a convention not validated may be deleted; the audit log keeps it).
 *
 * The convention row itself gains no column: when and by whom it was validated is read from here, so
 * that the read-only trigger of validated conventions (which lets only `status`, `version` and
 * `updated_*` change) still lets a withdrawal of the validation through, unchanged.
 */
const STATUSES = "'draft', 'submitted', 'pedagogically_validated', 'validated', 'refused', 'cancelled'";

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('convention_transition', (table) => {
    table.bigIncrements('id');
    table.integer('convention_id').notNullable().references('convention.id').onDelete('CASCADE');
    table.text('action').notNullable();
    table.text('from_status').notNullable();
    table.text('to_status').notNullable();
    table.text('actor_login').notNullable();
    table.text('reason');
    table.timestamp('at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    table.check(`from_status IN (${STATUSES})`, [], 'convention_transition_from_known');
    table.check(`to_status IN (${STATUSES})`, [], 'convention_transition_to_known');
    table.check("action <> 'refuse' OR length(btrim(reason)) > 0", [], 'convention_transition_refusal_reason');
    table.index(['convention_id', 'at'], 'convention_transition_convention_index');
  });

  await knex.raw(`
    CREATE FUNCTION convention_transition_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      RAISE EXCEPTION 'the history of conventions is append-only' USING ERRCODE = 'check_violation';
    END $$`);
  // Deleting a convention (not validated) cascades to its history: only direct updates are refused.
  await knex.raw(`CREATE TRIGGER convention_transition_append_only BEFORE UPDATE ON convention_transition
    FOR EACH ROW EXECUTE FUNCTION convention_transition_append_only()`);

  // Existing created conventions start their history with their creation.
  await knex.raw(`
    INSERT INTO convention_transition (convention_id, action, from_status, to_status, actor_login, at)
    SELECT id, 'submit', 'draft', 'submitted', COALESCE(submitted_by, created_by, 'système'), COALESCE(submitted_at, created_at)
    FROM convention WHERE status <> 'draft'`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('convention_transition');
  await knex.raw('DROP FUNCTION IF EXISTS convention_transition_append_only()');
}
