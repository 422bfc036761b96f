import type { Knex } from 'knex';

/**
 * Internship and job offers.
 *
 * - An offer's number is its id (`/offers/:id`, the number students type in the wizard).
 * - `state`: saved → published (until `published_until`) → filled, or deleted (soft: kept as history).
 *   "Expired" is not stored: it is a published offer whose end date has passed, so no job has to run
 *   at midnight for offers to disappear from students' searches.
 * - An offer is published to its managing centre and to the centres of `offer_target`.
 * - Content: the full form, or an attached file (stored here, at most 500 KB), or a link.
 * - `offer_deposit_link`: the secret link of the company centre (only its SHA-256 is stored).
 * - Conventions keep the offer they answer: `convention.offer_id` becomes a foreign key here.
 */
const KINDS = ['form', 'file', 'link'];
const STATES = ['saved', 'published', 'filled', 'deleted'];
const FILE_TYPES = [
  'application/pdf',
  'application/msword',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  'application/vnd.oasis.opendocument.text',
];
const quoted = (values: readonly string[]) => values.map((value) => `'${value}'`).join(', ');
const length = (column: string, max: number) => `(${column} IS NULL OR char_length(${column}) <= ${max})`;

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('offer', (table) => {
    table.increments('id');
    table.integer('centre_id').notNullable().references('centre.id');
    table.integer('host_id').notNullable().references('host.id');
    table.text('state').notNullable().defaultTo('saved');
    table.text('kind').notNullable();
    table.text('offer_type').notNullable();
    table.text('contract');
    table.text('title').notNullable();
    table.text('reference');
    table.text('domain');
    table.text('missions');
    table.text('postal_code');
    table.text('town');
    table.text('country_code').notNullable().defaultTo('FR');
    table.boolean('paid');
    table.text('pay_details');
    table.integer('start_month');
    table.integer('start_year');
    table.text('start_details');
    table.decimal('duration_value', 6, 1);
    table.text('duration_unit');
    table.boolean('travel').notNullable().defaultTo(false);
    table.boolean('driving_licence').notNullable().defaultTo(false);
    table.text('working_time');
    table.text('working_time_comment');
    table.text('benefits');
    table.text('training_level');
    table.text('skills');
    table.specificType('application_modes', 'text[]').notNullable().defaultTo(knex.raw("'{}'::text[]"));
    table.text('comments');
    table.boolean('rqth_accessible').notNullable().defaultTo(false);
    table.boolean('rqth_priority').notNullable().defaultTo(false);
    table.integer('application_contact_id').references('host_contact.id');
    table.integer('information_contact_id').references('host_contact.id');
    table.boolean('host_shown').notNullable().defaultTo(true);
    table.text('link_url');
    table.text('file_name');
    table.text('file_type');
    table.binary('file_content');
    table.integer('file_size');
    table.date('published_on');
    table.date('published_until');
    table.boolean('entered_by_company').notNullable().defaultTo(false);
    table.boolean('to_moderate').notNullable().defaultTo(false);
    table.text('academic_year').notNullable();
    table.integer('version').notNullable().defaultTo(1);
    table.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    table.text('created_by').notNullable();
    table.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    table.text('updated_by').notNullable();

    table.check(`state IN (${quoted(STATES)})`, [], 'offer_state_known');
    table.check(`kind IN (${quoted(KINDS)})`, [], 'offer_kind_known');
    table.check('char_length(btrim(title)) BETWEEN 1 AND 200', [], 'offer_title_length');
    table.check(`${length('reference', 50)} AND ${length('domain', 200)} AND ${length('town', 100)} AND ${length('postal_code', 20)}`, [], 'offer_short_texts');
    table.check(
      `${length('missions', 10000)} AND ${length('skills', 5000)} AND ${length('comments', 5000)} AND ${length('benefits', 2000)}`,
      [],
      'offer_long_texts',
    );
    table.check('start_month IS NULL OR start_month BETWEEN 1 AND 12', [], 'offer_start_month');
    table.check('start_year IS NULL OR start_year BETWEEN 2000 AND 2100', [], 'offer_start_year');
    table.check('duration_value IS NULL OR (duration_value > 0 AND duration_unit IS NOT NULL)', [], 'offer_duration');
    table.check("kind <> 'link' OR link_url ~* '^(http|https)://'", [], 'offer_link');
    table.check(
      `(kind = 'file') = (file_content IS NOT NULL) AND (file_content IS NULL OR (file_type IN (${quoted(FILE_TYPES)}) AND file_size BETWEEN 1 AND 512000 AND file_name IS NOT NULL))`,
      [],
      'offer_file',
    );
    table.check("kind <> 'form' OR application_contact_id IS NOT NULL OR entered_by_company", [], 'offer_application_contact');
    table.check("(state = 'published') <= (published_on IS NOT NULL AND published_until IS NOT NULL)", [], 'offer_publication_dates');
    table.check('published_until IS NULL OR published_until >= published_on', [], 'offer_publication_order');
    table.check("academic_year ~ '^[0-9]{4}-[0-9]{4}$'", [], 'offer_academic_year_format');
  });
  await knex.raw('CREATE INDEX offer_centre_state ON offer (centre_id, state)');
  await knex.raw("CREATE INDEX offer_published ON offer (published_until) WHERE state = 'published'");
  await knex.raw('CREATE INDEX offer_host ON offer (host_id)');
  await knex.raw('CREATE INDEX offer_title_words ON offer USING gin (immutable_unaccent(lower(title)) gin_trgm_ops)');
  await knex.raw("CREATE INDEX offer_to_moderate ON offer (created_at) WHERE to_moderate AND state <> 'deleted'");

  await knex.schema.createTable('offer_target', (table) => {
    table.integer('offer_id').notNullable().references('offer.id').onDelete('CASCADE');
    table.integer('centre_id').notNullable().references('centre.id');
    table.primary(['offer_id', 'centre_id']);
    table.index(['centre_id', 'offer_id'], 'offer_target_centre');
  });

  await knex.schema.createTable('offer_deposit_link', (table) => {
    table.integer('centre_id').primary().references('centre.id').onDelete('CASCADE');
    table.text('secret_sha256').notNullable().unique();
    table.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    table.text('created_by').notNullable();
  });

  await knex.schema.alterTable('convention', (table) => {
    table.foreign('offer_id', 'convention_offer_known').references('offer.id');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('convention', (table) => {
    table.dropForeign('offer_id', 'convention_offer_known');
  });
  await knex.schema.dropTable('offer_deposit_link');
  await knex.schema.dropTable('offer_target');
  await knex.schema.dropTable('offer');
}
