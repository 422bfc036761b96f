import type { Knex } from 'knex';

/**
 * Personal data (GDPR): the institution-wide settings. The columns of anonymisation live in their tables
 * (`student.anonymised_at`, `convention.social_security_number` and `anonymised_at`), and the frozen
 * tables' triggers let an anonymisation through (`conventio_anonymising()`, foundation migration).
 *
 * One row (id 1), edited by super-admins with optimistic locking (`version`). `retention_years`
 * defaults to 5: five years after the internship's end cover the limitation period of the claims a
 * convention may back (prescription quinquennale, code civil art. 2224). The NIR is not collected by
 * default (décret 2019-341, `nirCollection` of seeds/data/legal-parameters.json). A NULL notice or
 * statement means "the default text of the message catalogue", so that it follows the language of the
 * interface until edited.
 */
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
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('institution_setting');
}
