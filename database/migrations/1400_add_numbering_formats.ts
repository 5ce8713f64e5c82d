import { BaseSchema } from '@adonisjs/lucid/schema'

/**
 * Numbering series get a format with tokens (`FA-{YYYY}-{seq:5}`) and a
 * monthly reset, and every number handed out is kept: the unique index on
 * (series, text) stops a number from being issued twice after an admin
 * changes a series' format or reset.
 */
export default class extends BaseSchema {
  async up() {
    this.schema.alterTable('sequences', (table) => {
      // Null for series created before formats: prefix then {seq:padding}.
      table.string('format', 80).nullable()
    })

    this.schema.createTable('sequence_numbers', (table) => {
      table
        .integer('sequence_id')
        .unsigned()
        .notNullable()
        .references('id')
        .inTable('sequences')
        .onDelete('CASCADE')
      table.string('value', 120).notNullable()
      table.primary(['sequence_id', 'value'])
    })

    this.defer(async (client) => {
      const rows = await client
        .from('sequences')
        .whereNull('format')
        .select('id', 'prefix', 'padding')
      for (const row of rows) {
        await client
          .from('sequences')
          .where('id', row.id)
          .update({ format: `${row.prefix}{seq:${row.padding}}` })
      }
    })
  }

  async down() {
    this.schema.dropTable('sequence_numbers')
    this.schema.alterTable('sequences', (table) => {
      table.dropColumn('format')
    })
  }
}
