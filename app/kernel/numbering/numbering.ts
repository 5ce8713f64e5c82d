import { DateTime } from 'luxon'
import type { QueryClientContract, TransactionClientContract } from '@adonisjs/lucid/types/database'
import type { ModuleManifest, SequenceDeclaration } from '../modules/define_module.js'
import { dbNow } from '#kernel/db/timestamp'
import { formatOf, inZone, legacyFormat, parseFormat, periodKey, renderNumber } from './format.js'

export * from './format.js'

/**
 * Numbering series, per company. A number is taken inside the caller's
 * transaction with a single `UPDATE … SET last_value = last_value + 1`,
 * which locks the counter row until that transaction ends: two
 * concurrent callers get consecutive numbers, and a rolled-back caller gives
 * its number back (gapless).
 *
 * A series has a format made of fixed text and tokens — `{YYYY}`, `{YY}`,
 * `{MM}` (the date in the company's time zone) and one `{seq:N}` (the number,
 * zero-padded to N digits) — and restarts every year, every month or never:
 * its counters are kept per (series, period key), a series belonging to one
 * company. Every number handed out is also written to `sequence_numbers`,
 * whose unique index refuses to issue the same text twice in a series: after
 * an admin changes the format or the reset, a number that would render as
 * one already issued is skipped instead of reissued. The unique index on the
 * numbered table (e.g. contacts' code) is the last line of defence.
 */

export async function ensureSequence(
  companyId: number,
  declaration: SequenceDeclaration,
  client: QueryClientContract
) {
  const existing = await client
    .from('sequences')
    .where({ company_id: companyId, key: declaration.key })
    .first()
  if (existing) return existing.id as number
  const format = declaration.format ?? legacyFormat(declaration.prefix ?? '', declaration.padding!)
  const parsed = parseFormat(format, declaration.reset)
  const now = dbNow(client)
  const [row] = await client
    .table('sequences')
    .insert({
      company_id: companyId,
      key: declaration.key,
      label: declaration.label.fr,
      format,
      prefix: 'prefix' in parsed ? parsed.prefix : (declaration.prefix ?? ''),
      padding: 'padding' in parsed ? parsed.padding : (declaration.padding ?? 1),
      reset: declaration.reset,
      created_at: now,
      updated_at: now,
    })
    .returning('id')
  return typeof row === 'object' ? (row.id as number) : (row as number)
}

export async function ensureSequences(
  manifest: ModuleManifest,
  companyId: number,
  client: QueryClientContract
) {
  for (const declaration of manifest.sequences ?? []) {
    await ensureSequence(companyId, declaration, client)
  }
}

/** Numbers skipped in a row, at most, because they render as ones already issued. */
const MAX_SKIPS = 10_000

/**
 * Takes the next number of a series. Must be called inside a transaction:
 * the counter row stays locked until it commits or rolls back, and a rollback
 * gives the number back.
 */
export async function nextNumber(
  trx: TransactionClientContract,
  companyId: number,
  key: string,
  at: DateTime = DateTime.utc()
): Promise<{ value: number; formatted: string }> {
  const sequence = await trx
    .from('sequences')
    .join('companies', 'companies.id', 'sequences.company_id')
    .where('sequences.company_id', companyId)
    .where('sequences.key', key)
    .select('sequences.*', 'companies.timezone')
    .first()
  if (!sequence) {
    throw new Error(`No numbering series "${key}" for company ${companyId}`)
  }
  const local = inZone(at, sequence.timezone)
  const period = periodKey(sequence.reset, local)
  const format = formatOf(sequence)
  const counter = { sequence_id: sequence.id, period }

  for (let skipped = 0; skipped <= MAX_SKIPS; skipped++) {
    // The UPDATE takes the row lock (PostgreSQL) or the write lock (SQLite)
    // until the transaction ends, and returns our own increment.
    let rows = await trx
      .from('sequence_counters')
      .where(counter)
      .update({ last_value: trx.knexRawQuery('last_value + 1') }, ['last_value'])
    if (!rows.length) {
      // The period's first number: creates its counter; a concurrent creator
      // is absorbed by the primary key (ON CONFLICT DO NOTHING on both databases).
      await trx
        .table('sequence_counters')
        .insert({ ...counter, last_value: 0 })
        .onConflict(['sequence_id', 'period'])
        .ignore()
      rows = await trx
        .from('sequence_counters')
        .where(counter)
        .update({ last_value: trx.knexRawQuery('last_value + 1') }, ['last_value'])
    }
    const value = Number(rows[0].last_value)
    const formatted = renderNumber(format, value, local)
    // ON CONFLICT … RETURNING, written out: both databases answer no row for
    // a number already issued (the query builder's returning is ignored on SQLite).
    const result = await trx.rawQuery(
      'INSERT INTO sequence_numbers (sequence_id, value) VALUES (?, ?) ON CONFLICT (sequence_id, value) DO NOTHING RETURNING sequence_id',
      [sequence.id, formatted]
    )
    const issued: unknown[] = Array.isArray(result) ? result : result.rows
    if (issued.length) return { value, formatted }
  }
  throw new Error(`Numbering series "${key}": no unused number after ${MAX_SKIPS} tries`)
}
