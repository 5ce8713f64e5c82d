import { BaseSchema } from '@adonisjs/lucid/schema'
import { moduleSettings, updateModuleSettings } from '#kernel/settings/settings'
import { dbNow } from '#kernel/db/timestamp'

/**
 * 1.2.0: the stock settings are declared in the manifest and kept by the
 * kernel's settings service (page and API for every module). Companies that
 * had allowed negative stock keep it; the module's own table goes.
 */
export default class extends BaseSchema {
  async up() {
    this.defer(async (db) => {
      const rows = await db
        .from('stock_settings')
        .where('allow_negative', true)
        .select('company_id')
      for (const row of rows) {
        await updateModuleSettings('stock', row.company_id, { allowNegative: true }, {}, db)
      }
    })
    this.schema.dropTable('stock_settings')
  }

  async down() {
    this.schema.createTable('stock_settings', (table) => {
      table.integer('company_id').unsigned().primary().references('id').inTable('companies')
      table.boolean('allow_negative').notNullable().defaultTo(false)
      table.timestamp('updated_at').notNullable()
    })
    this.defer(async (db) => {
      // The companies that keep stock: those with locations (every stock row needs one).
      const companies = await db.from('stock_locations').distinct('company_id')
      for (const { company_id: companyId } of companies) {
        if ((await moduleSettings('stock', companyId, db)).allowNegative) {
          await db.table('stock_settings').insert({
            company_id: companyId,
            allow_negative: true,
            updated_at: dbNow(db),
          })
        }
      }
    })
  }
}
