import db from '@adonisjs/lucid/services/db'
import type { QueryClientContract } from '@adonisjs/lucid/types/database'
import { moduleSettings } from '#kernel/settings/settings'

/**
 * The company's stock settings, declared in the manifest (`settings`) and kept
 * by the kernel. `allowNegative` lets issues and transfers take a location
 * below zero; off by default. Levels taken below zero while it was on stay
 * valid when it is switched off (the row remembers it, which the database
 * CHECK reads), but no movement may lower them further.
 */
export interface StockSettings {
  [key: string]: boolean
  allowNegative: boolean
}

export function stockSettings(
  companyId: number,
  client: QueryClientContract = db.connection()
): Promise<StockSettings> {
  return moduleSettings<StockSettings>('stock', companyId, client)
}

export async function allowsNegative(companyId: number, client: QueryClientContract) {
  return (await stockSettings(companyId, client)).allowNegative
}
