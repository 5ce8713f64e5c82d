import { DateTime } from 'luxon'
import db from '@adonisjs/lucid/services/db'
import type { QueryClientContract } from '@adonisjs/lucid/types/database'

/**
 * The current time, written the way Lucid models write their timestamps on
 * this database, for rows inserted with the query builder. (A JavaScript Date
 * would land in SQLite as a number, which models cannot read back.)
 */
export function dbNow(client: QueryClientContract = db.connection()) {
  return DateTime.utc().toFormat(client.dialect.dateTimeFormat)
}
