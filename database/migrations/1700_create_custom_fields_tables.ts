import { BaseSchema } from '@adonisjs/lucid/schema'

/**
 * Custom fields: the definitions admins add to a `customizable` model, per
 * company, and their values per record in one typed entity-attribute-value
 * table — a column per kind of value, so filters are indexed comparisons
 * (EXISTS subqueries) on SQLite and PostgreSQL alike. A multi-select keeps one
 * row per chosen option. Decimals are scaled integers, never floats.
 */
export default class extends BaseSchema {
  async up() {
    this.schema.createTable('custom_fields', (table) => {
      table.increments('id')
      table
        .integer('company_id')
        .unsigned()
        .notNullable()
        .references('id')
        .inTable('companies')
        .onDelete('CASCADE')
      table.string('model', 100).notNullable()
      table.string('key', 40).notNullable()
      table.string('type', 20).notNullable()
      table.string('label_fr', 100).notNullable()
      table.string('label_en', 100).nullable()
      table.string('help_fr', 300).nullable()
      table.string('help_en', 300).nullable()
      table.boolean('required').notNullable().defaultTo(false)
      table.boolean('in_list').notNullable().defaultTo(false)
      /** JSON: the options of a select or multi-select */
      table.text('options').nullable()
      /** JSON: min/max, the decimal scale */
      table.text('config').nullable()
      /** A reference's kind of record (`<module>.<model>`): the deletion hook looks it up */
      table.string('target', 100).nullable()
      /** JSON: the value a new record gets when none is given */
      table.text('default_value').nullable()
      table.integer('position').notNullable().defaultTo(0)
      table.timestamp('archived_at').nullable()
      table.timestamp('created_at').notNullable()
      table.timestamp('updated_at').notNullable()
      // Keys stay taken while a field is archived: its values are kept under it.
      table.unique(['company_id', 'model', 'key'])
      table.index(['target'], 'custom_fields_target_index')
    })

    this.schema.createTable('custom_field_values', (table) => {
      table.bigIncrements('id')
      table
        .integer('field_id')
        .unsigned()
        .notNullable()
        .references('id')
        .inTable('custom_fields')
        .onDelete('CASCADE')
      table.integer('record_id').notNullable()
      /** text, select, one option of a multi-select */
      table.string('value_text', 255).nullable()
      /** long text: not indexed (a PostgreSQL index row is limited in size) */
      table.text('value_long').nullable()
      /** number, decimal (scaled by 10^scale), reference (the record's id) */
      table.bigInteger('value_number').nullable()
      /** date, as YYYY-MM-DD (sorts and compares as text on both databases) */
      table.string('value_date', 10).nullable()
      table.boolean('value_bool').nullable()
      // Loading a page of records, and removing a record's values.
      table.index(['field_id', 'record_id'], 'custom_field_values_record_index')
      // Filters: one per kind of value.
      table.index(['field_id', 'value_text'], 'custom_field_values_text_index')
      table.index(['field_id', 'value_number'], 'custom_field_values_number_index')
      table.index(['field_id', 'value_date'], 'custom_field_values_date_index')
    })
  }

  async down() {
    this.schema.dropTable('custom_field_values')
    this.schema.dropTable('custom_fields')
  }
}
