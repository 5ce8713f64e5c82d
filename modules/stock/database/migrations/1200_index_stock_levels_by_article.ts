import { BaseSchema } from '@adonisjs/lucid/schema'

export default class extends BaseSchema {
  /*
   * The levels list pages a company's levels by (article, location). The
   * primary key (article, location) does not start with the company, and the
   * location index sorts by location first, so without this index the
   * database sorted every level of the company for each page (176 ms at
   * 200 000 levels on SQLite, measured by the stock benchmark).
   */
  async up() {
    this.schema.alterTable('stock_levels', (table) => {
      table.index(['company_id', 'article_id', 'location_id'], 'stock_levels_article_idx')
    })
  }

  async down() {
    this.schema.alterTable('stock_levels', (table) => {
      table.dropIndex(['company_id', 'article_id', 'location_id'], 'stock_levels_article_idx')
    })
  }
}
