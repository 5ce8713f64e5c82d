import { BaseSchema } from '@adonisjs/lucid/schema'

/**
 * The values of the modules' per-company settings (manifest `settings`), one
 * row per company and module, holding only the fields someone saved: a field
 * never saved reads as its declared default, so a new setting needs no data
 * migration.
 */
export default class extends BaseSchema {
  async up() {
    this.schema.createTable('module_settings', (table) => {
      table.increments('id')
      table
        .integer('company_id')
        .unsigned()
        .notNullable()
        .references('id')
        .inTable('companies')
        .onDelete('CASCADE')
      table.string('module', 60).notNullable()
      // JSON: { field: value } for the fields saved
      table.text('values').notNullable()
      table.integer('updated_by').unsigned().nullable().references('id').inTable('users')
      table.timestamp('created_at').notNullable()
      table.timestamp('updated_at').notNullable()
      // Every read: one company's settings of one module
      table.unique(['company_id', 'module'])
    })
  }

  async down() {
    this.schema.dropTable('module_settings')
  }
}
