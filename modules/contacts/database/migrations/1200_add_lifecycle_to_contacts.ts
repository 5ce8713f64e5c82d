import { BaseSchema } from '@adonisjs/lucid/schema'

/**
 * The customer lifecycle (prospect → client → ancien client), a workflow
 * state separate from `kind`, and the workflow version each contact runs
 * under. Contacts already marked as customers start as clients.
 */
export default class extends BaseSchema {
  async up() {
    this.schema.alterTable('contacts', (table) => {
      table.string('lifecycle', 60).notNullable().defaultTo('prospect')
      table.integer('workflow_version').notNullable().defaultTo(1)
      table.index(['company_id', 'lifecycle'])
    })
    this.defer(async (client) => {
      await client.from('contacts').where('is_customer', true).update({ lifecycle: 'client' })
    })
  }

  async down() {
    this.schema.alterTable('contacts', (table) => {
      table.dropIndex(['company_id', 'lifecycle'])
      table.dropColumn('lifecycle')
      table.dropColumn('workflow_version')
    })
  }
}
