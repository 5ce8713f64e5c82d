import { DateTime } from 'luxon'
import db from '@adonisjs/lucid/services/db'
import logger from '@adonisjs/core/services/logger'
import { record } from '#kernel/audit/audit'
import { importRetentionDays } from '#config/housekeeping'

/** The audit trail's name for an import (`import.discarded`). */
export const IMPORT_MODEL = 'kernel.import'

/** Imports that may be discarded: never one being applied, and applied ones are history. */
const ABANDONED = ['uploaded', 'checked']

/**
 * Removes the imports nobody applied within the retention period
 * (`IMPORT_RETENTION_DAYS`, 7 days by default, counted from the last change:
 * upload, mapping or dry run): the row with its uploaded file and its dry
 * run's rows, each removal audited (`import.discarded`) in its own
 * transaction. The delete is conditioned on the state read, so an import
 * that starts being applied meanwhile is kept. The kernel schedule
 * `kernel.imports` runs it nightly. Answers how many were removed.
 */
export async function discardAbandonedImports(
  options: { now?: Date; retentionDays?: number } = {}
) {
  const days = options.retentionDays ?? importRetentionDays
  const cutoff = DateTime.fromJSDate(options.now ?? new Date())
    .toUTC()
    .minus({ days })
    .toFormat(db.connection().dialect.dateTimeFormat)
  let removed = 0
  for (;;) {
    const batch = await db
      .from('imports')
      .whereIn('status', ABANDONED)
      .where('updated_at', '<', cutoff)
      .orderBy('updated_at')
      .limit(100)
      .select('id', 'company_id', 'user_id', 'kind', 'file_name', 'row_count', 'status')
    if (!batch.length) break
    let progressed = false
    for (const row of batch) {
      const done = await db.transaction(async (trx) => {
        // Claimed first (the import row), so the dry run's rows go only with it.
        const deleted = await trx
          .from('imports')
          .where('id', row.id)
          .whereIn('status', ABANDONED)
          .where('updated_at', '<', cutoff)
          .delete()
        if (!Number(Array.isArray(deleted) ? deleted.length : deleted)) return false
        await trx.from('import_rows').where('import_id', row.id).delete()
        await record(trx, {
          event: 'import.discarded',
          model: IMPORT_MODEL,
          recordId: row.id,
          before: {
            company_id: Number(row.company_id),
            kind: row.kind,
            file_name: row.file_name,
            row_count: Number(row.row_count),
            status: row.status,
            user_id: Number(row.user_id),
          },
          after: null,
          meta: { reason: 'retention', days },
          actor: { companyId: Number(row.company_id), actorId: null, ip: null, requestId: null },
        })
        return true
      })
      if (done) {
        removed++
        progressed = true
      }
    }
    // Rows that changed under us stay out of the next batch; stop if none went.
    if (!progressed) break
  }
  if (removed) logger.info({ removed, days }, 'abandoned imports discarded')
  return removed
}
