import { BaseSchema } from '@adonisjs/lucid/schema'

export default class extends BaseSchema {
  /*
   * The counts list filtered by location pages by id, newest first: this
   * index seeks straight to a location's counts in that order (the status
   * filter has its own (company, status, id) index).
   */
  async up() {
    this.schema.alterTable('stock_counts', (table) => {
      table.index(['company_id', 'location_id', 'id'], 'stock_counts_company_location_idx')
    })
  }

  async down() {
    this.schema.alterTable('stock_counts', (table) => {
      table.dropIndex(['company_id', 'location_id', 'id'], 'stock_counts_company_location_idx')
    })
  }
}
