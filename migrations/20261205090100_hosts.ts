import type { Knex } from 'knex';

/**
 * The directory of host organisations ("établissements d'accueil"), shared by the whole institution:
 * hosts, their services (departments or sites) and their contacts (tutors and signatories).
 *
 * Reference codes (NAF class, legal status, host type, headcount band, country, civility) point to
 * `reference_item` through a composite foreign key (list, code); the list half is a constant generated
 * column, so that a code can only be one of its own list and a referenced reference row cannot be deleted.
 *
 * Nothing is ever erased: a deleted record keeps its row with `deleted_at`/`deleted_by` and disappears
 * from searches and lists.
 */

const referenceList = (table: Knex.CreateTableBuilder, column: string, list: string) => {
  table.specificType(`${column}_list`, `text GENERATED ALWAYS AS ('${list}') STORED`);
};

/** Soft deletion, who created and last changed the row, and the version for optimistic locking. */
function auditColumns(knex: Knex, table: Knex.CreateTableBuilder, name: string): void {
  table.timestamp('deleted_at', { useTz: true });
  table.text('deleted_by');
  table.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  table.text('created_by');
  table.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  table.text('updated_by');
  table.integer('version').notNullable().defaultTo(1);
  table.check('version > 0', [], `${name}_version_positive`);
  table.check('(deleted_at IS NULL) = (deleted_by IS NULL)', [], `${name}_deletion_recorded`);
}

/**
 * The accent- and case-insensitive form of a text column, stored beside it for the searches: `lower`
 * comes after `unaccent` so that "É" becomes "e" whatever the collation of the database ("C" included),
 * and a search that no index can narrow (one or two letters) compares stored text instead of calling
 * unaccent on every row.
 */
const searchColumn = (table: Knex.CreateTableBuilder, column: string) => {
  table.specificType(`${column}_search`, `text GENERATED ALWAYS AS (lower(immutable_unaccent(${column}))) STORED`);
};

// Trigram indexes answer LIKE '%…%' searches. Without the pending list of `fastupdate`, a host created is
// at once in the index proper: searches never slow down while waiting for autovacuum to merge it.
const trigramIndex = (table: string, column: string) =>
  `CREATE INDEX ${table}_${column} ON ${table} USING gin (${column} gin_trgm_ops) WITH (fastupdate = off)`;

const length = (column: string, max: number) => `(${column} IS NULL OR char_length(${column}) <= ${max})`;
const notBlank = (column: string, max: number) => `char_length(btrim(${column})) BETWEEN 1 AND ${max}`;

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('host', (table) => {
    table.increments('id');
    table.text('name').notNullable();
    searchColumn(table, 'name');
    table.text('siret');
    referenceList(table, 'naf', 'nafClasses');
    table.text('naf_code');
    referenceList(table, 'legal_status', 'legalStatuses');
    table.text('legal_status_code');
    referenceList(table, 'host_type', 'hostTypes');
    table.text('host_type_code');
    referenceList(table, 'headcount', 'headcountBands');
    table.text('headcount_code');
    table.text('address');
    searchColumn(table, 'address');
    table.text('postal_code');
    table.text('town');
    searchColumn(table, 'town');
    referenceList(table, 'country', 'countries');
    table.text('country_code').notNullable().defaultTo('FR');
    table.text('phone');
    // The digits of the phone number, for the search by phone whatever the separators typed.
    table.specificType('phone_digits', "text GENERATED ALWAYS AS (regexp_replace(coalesce(phone, ''), '[^0-9]', '', 'g')) STORED");
    table.text('email');
    table.text('website');
    table.boolean('to_check').notNullable().defaultTo(false);
    table.text('checked_by');
    table.timestamp('checked_at', { useTz: true });
    auditColumns(knex, table, 'host');

    table.foreign(['naf_list', 'naf_code'], 'host_naf_known').references(['list', 'code']).inTable('reference_item');
    table.foreign(['legal_status_list', 'legal_status_code'], 'host_legal_status_known').references(['list', 'code']).inTable('reference_item');
    table.foreign(['host_type_list', 'host_type_code'], 'host_type_known').references(['list', 'code']).inTable('reference_item');
    table.foreign(['headcount_list', 'headcount_code'], 'host_headcount_known').references(['list', 'code']).inTable('reference_item');
    table.foreign(['country_list', 'country_code'], 'host_country_known').references(['list', 'code']).inTable('reference_item');

    table.check(notBlank('name', 150), [], 'host_name_length');
    table.check("siret IS NULL OR siret ~ '^[0-9]{14}$'", [], 'host_siret_format');
    table.check("naf_code IS NULL OR naf_code ~ '^[0-9]{2}\\.[0-9]{2}[A-Z]$'", [], 'host_naf_format');
    table.check(`${length('address', 300)} AND ${length('postal_code', 20)} AND ${length('town', 100)}`, [], 'host_address_length');
    table.check(`${length('phone', 25)} AND ${length('email', 254)} AND ${length('website', 500)}`, [], 'host_contact_length');
    table.check("country_code <> 'FR' OR postal_code IS NULL OR postal_code ~ '^[0-9]{5}$'", [], 'host_french_postal_code');
    table.check("email IS NULL OR email LIKE '_%@_%'", [], 'host_email_format');
    table.check("website IS NULL OR website ILIKE 'http://%' OR website ILIKE 'https://%'", [], 'host_website_format');
    table.check('(checked_at IS NULL) = (checked_by IS NULL)', [], 'host_check_recorded');
    table.check('NOT (to_check AND checked_at IS NOT NULL)', [], 'host_checked_not_to_check');
  });

  // One host per SIRET among those not deleted; text_pattern_ops lets the same index serve the search
  // by SIRET or SIREN prefix.
  await knex.raw('CREATE UNIQUE INDEX host_siret_unique ON host (siret text_pattern_ops) WHERE siret IS NOT NULL AND deleted_at IS NULL');
  // Searches by name, street and town: accent- and case-insensitive, on any part of the text.
  await knex.raw(trigramIndex('host', 'name_search'));
  await knex.raw(trigramIndex('host', 'address_search'));
  await knex.raw(trigramIndex('host', 'town_search'));
  // Lists are sorted by name: the first page of the whole directory is read from this index.
  await knex.raw('CREATE INDEX host_name_order ON host (name_search, id) WHERE deleted_at IS NULL');
  // Postal code exact or by département prefix ("75%", "971%"), NAF class or prefix, phone digits prefix.
  await knex.raw('CREATE INDEX host_postal_code ON host (postal_code text_pattern_ops)');
  await knex.raw('CREATE INDEX host_naf_code ON host (naf_code text_pattern_ops)');
  await knex.raw('CREATE INDEX host_phone_digits ON host (phone_digits text_pattern_ops)');
  await knex.raw('CREATE INDEX host_country_code ON host (country_code)');
  await knex.raw('CREATE INDEX host_to_check ON host (created_at) WHERE to_check AND deleted_at IS NULL');

  await knex.schema.createTable('host_service', (table) => {
    table.increments('id');
    table.integer('host_id').notNullable().references('host.id').withKeyName('host_service_host');
    table.text('name').notNullable();
    searchColumn(table, 'name');
    table.boolean('same_address_as_host').notNullable().defaultTo(true);
    table.text('address');
    table.text('postal_code');
    table.text('town');
    referenceList(table, 'country', 'countries');
    table.text('country_code');
    table.text('phone');
    auditColumns(knex, table, 'host_service');

    table.foreign(['country_list', 'country_code'], 'host_service_country_known').references(['list', 'code']).inTable('reference_item');
    // Lets contacts require that their service belongs to their own host.
    table.unique(['id', 'host_id'], { indexName: 'host_service_id_host' });
    table.index(['host_id'], 'host_service_host_id');

    table.check(notBlank('name', 150), [], 'host_service_name_length');
    table.check(`${length('address', 300)} AND ${length('postal_code', 20)} AND ${length('town', 100)} AND ${length('phone', 25)}`, [], 'host_service_lengths');
    // Either the host's address, or a complete address of its own.
    table.check(
      `CASE WHEN same_address_as_host THEN address IS NULL AND postal_code IS NULL AND town IS NULL AND country_code IS NULL
            ELSE address IS NOT NULL AND town IS NOT NULL AND country_code IS NOT NULL END`,
      [],
      'host_service_address',
    );
    table.check("country_code IS DISTINCT FROM 'FR' OR postal_code ~ '^[0-9]{5}$'", [], 'host_service_french_postal_code');
  });
  await knex.raw(trigramIndex('host_service', 'name_search'));
  // Two services of the same host never share a name, whatever the accents and case (deleted ones excepted).
  await knex.raw('CREATE UNIQUE INDEX host_service_name_unique ON host_service (host_id, name_search) WHERE deleted_at IS NULL');

  await knex.schema.createTable('host_contact', (table) => {
    table.increments('id');
    table.integer('host_id').notNullable().references('host.id').withKeyName('host_contact_host');
    table.integer('service_id').notNullable();
    referenceList(table, 'civility', 'civilities');
    table.text('civility');
    table.text('last_name').notNullable();
    table.text('first_name').notNullable();
    table.text('function');
    table.text('phone');
    table.text('email');
    auditColumns(knex, table, 'host_contact');

    table.foreign(['service_id', 'host_id'], 'host_contact_service_of_host').references(['id', 'host_id']).inTable('host_service');
    table.foreign(['civility_list', 'civility'], 'host_contact_civility_known').references(['list', 'code']).inTable('reference_item');
    table.index(['host_id'], 'host_contact_host_id');
    table.index(['service_id'], 'host_contact_service_id');

    table.check(`${notBlank('last_name', 100)} AND ${notBlank('first_name', 100)}`, [], 'host_contact_name_length');
    table.check(`${length('function', 150)} AND ${length('phone', 25)} AND ${length('email', 254)}`, [], 'host_contact_lengths');
    table.check("email IS NULL OR email LIKE '_%@_%'", [], 'host_contact_email_format');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('host_contact');
  await knex.schema.dropTableIfExists('host_service');
  await knex.schema.dropTableIfExists('host');
}
