import { BaseSchema } from '@adonisjs/lucid/schema'

/**
 * Imports started from the pages or the API: the uploaded file (kept until
 * it is applied, so the mapping, dry run and apply read the same bytes), its
 * mapping, the lines excluded, and the dry run's verdict per row; and the
 * mappings remembered per company, import kind and file shape.
 */
export default class extends BaseSchema {
  async up() {
    this.schema.createTable('imports', (table) => {
      table.increments('id')
      table
        .integer('company_id')
        .unsigned()
        .notNullable()
        .references('id')
        .inTable('companies')
        .onDelete('CASCADE')
      table.integer('user_id').unsigned().notNullable().references('id').inTable('users')
      // `<module>.<name>`, e.g. contacts.contacts
      table.string('kind', 120).notNullable()
      table.string('file_name', 255).notNullable()
      table.string('format', 10).notNullable()
      table.string('encoding', 20).nullable()
      table.string('delimiter', 4).nullable()
      // The uploaded bytes; emptied once the import is applied
      table.binary('content').nullable()
      table.text('headers').notNullable()
      table.integer('row_count').notNullable()
      table.text('mapping').notNullable()
      table.text('excluded').notNullable()
      // uploaded → checked → applied (or back to uploaded when the mapping changes)
      table.string('status', 20).notNullable()
      table.text('counts').nullable()
      table.timestamp('checked_at').nullable()
      table.timestamp('applied_at').nullable()
      table.timestamp('created_at').notNullable()
      table.timestamp('updated_at').notNullable()
      // The imports page: a company's latest first
      table.index(['company_id', 'id'])
    })

    this.schema.createTable('import_rows', (table) => {
      table.bigIncrements('id')
      table
        .integer('import_id')
        .unsigned()
        .notNullable()
        .references('id')
        .inTable('imports')
        .onDelete('CASCADE')
      table.integer('line').notNullable()
      table.string('action', 10).notNullable()
      table.integer('record_id').nullable()
      table.text('problems').nullable()
      // The dry run's list, paged by line, optionally by action
      table.unique(['import_id', 'line'])
      table.index(['import_id', 'action', 'line'])
    })

    this.schema.createTable('import_mappings', (table) => {
      table.increments('id')
      table
        .integer('company_id')
        .unsigned()
        .notNullable()
        .references('id')
        .inTable('companies')
        .onDelete('CASCADE')
      table.string('kind', 120).notNullable()
      // sha256 of the file's normalised headers
      table.string('signature', 64).notNullable()
      table.text('mapping').notNullable()
      table.timestamp('updated_at').notNullable()
      table.unique(['company_id', 'kind', 'signature'])
    })
  }

  async down() {
    this.schema.dropTable('import_mappings')
    this.schema.dropTable('import_rows')
    this.schema.dropTable('imports')
  }
}
