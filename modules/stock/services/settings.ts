import db from '@adonisjs/lucid/services/db'
import type { QueryClientContract } from '@adonisjs/lucid/types/database'
import { dbNow } from '#kernel/db/timestamp'
import { record } from '#kernel/audit/audit'

/**
 * The company's stock settings. `allowNegative` lets issues and transfers
 * take a location below zero; off by default. Levels taken below zero while
 * it was on stay valid when it is switched off (the row remembers it, which
 * the database CHECK reads), but no movement may lower them further.
 */
export interface StockSettings {
  allowNegative: boolean
}

export async function stockSettings(
  companyId: number,
  client: QueryClientContract = db.connection()
): Promise<StockSettings> {
  const row = await client.from('stock_settings').where('company_id', companyId).first()
  return { allowNegative: Boolean(row?.allow_negative ?? false) }
}

export async function allowsNegative(companyId: number, client: QueryClientContract) {
  return (await stockSettings(companyId, client)).allowNegative
}

export async function updateStockSettings(companyId: number, settings: StockSettings) {
  return db.transaction(async (trx) => {
    const before = await stockSettings(companyId, trx)
    await trx
      .table('stock_settings')
      .insert({
        company_id: companyId,
        allow_negative: settings.allowNegative,
        updated_at: dbNow(trx),
      })
      .onConflict('company_id')
      .merge()
    await record(trx, {
      actor: { companyId },
      event: 'updated',
      model: 'stock.settings',
      recordId: companyId,
      before: { ...before },
      after: { ...settings },
    })
    return settings
  })
}
