import { BaseSchema } from '@adonisjs/lucid/schema'

/**
 * Files attached to module records. The bytes live on the drive disk under
 * `storage_key` (random, never the client's file name); several rows may
 * share one key when a record converted into another keeps its files
 * (copyAttachments links, it does not copy bytes), so a file is removed from
 * the disk only with the last row naming it.
 */
export default class extends BaseSchema {
  async up() {
    this.schema.createTable('attachments', (table) => {
      table.bigIncrements('id')
      table
        .integer('company_id')
        .unsigned()
        .notNullable()
        .references('id')
        .inTable('companies')
        .onDelete('CASCADE')
      // `<module>.<model>`, e.g. contacts.contact
      table.string('model', 120).notNullable()
      table.string('record_id', 64).notNullable()
      table.string('disk', 20).notNullable()
      table.string('storage_key', 200).notNullable()
      // Sanitised, for display and Content-Disposition only
      table.string('original_name', 255).notNullable()
      // Detected from the content
      table.string('mime', 120).notNullable()
      table.bigInteger('size').notNullable()
      table.string('sha256', 64).notNullable()
      table.boolean('encrypted').notNullable().defaultTo(false)
      table.string('thumbnail_key', 200).nullable()
      table.integer('uploaded_by').unsigned().nullable()
      table.timestamp('created_at').notNullable()
      table.index(['company_id', 'model', 'record_id'])
      table.index(['storage_key'])
    })
  }

  async down() {
    this.schema.dropTable('attachments')
  }
}
