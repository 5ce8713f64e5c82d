import { DateTime } from 'luxon'
import type { QueryClientContract, TransactionClientContract } from '@adonisjs/lucid/types/database'
import type { ModuleManifest, SequenceDeclaration } from '../modules/define_module.js'
import { dbNow } from '#kernel/db/timestamp'

/**
 * Numbering series, per company. A number is taken inside the caller's
 * transaction with a single `UPDATE … SET last_value = last_value + 1`,
 * which locks the counter row until that transaction ends: two
 * concurrent callers get consecutive numbers, and a rolled-back caller gives
 * its number back (gapless). The unique index on the numbered table is the
 * second line of defence against duplicates.
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
  const now = dbNow(client)
  const [row] = await client
    .table('sequences')
    .insert({
      company_id: companyId,
      key: declaration.key,
      label: declaration.label.fr,
      prefix: declaration.prefix,
      padding: declaration.padding,
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

/** Renders a number: `{YYYY}` in the prefix becomes the period's year. */
export function formatNumber(prefix: string, padding: number, value: number, year: number) {
  return `${prefix.replaceAll('{YYYY}', String(year))}${String(value).padStart(padding, '0')}`
}

/**
 * Takes the next number of a series. Must be called inside a transaction:
 * the counter row stays locked until it commits or rolls back.
 */
export async function nextNumber(
  trx: TransactionClientContract,
  companyId: number,
  key: string,
  at: DateTime = DateTime.utc()
): Promise<{ value: number; formatted: string }> {
  const sequence = await trx.from('sequences').where({ company_id: companyId, key }).first()
  if (!sequence) {
    throw new Error(`No numbering series "${key}" for company ${companyId}`)
  }
  const period = sequence.reset === 'yearly' ? String(at.year) : ''

  // Creates the period's counter on first use; a concurrent creator is
  // absorbed by the unique index (ON CONFLICT DO NOTHING on both databases).
  await trx
    .table('sequence_counters')
    .insert({ sequence_id: sequence.id, period, last_value: 0 })
    .onConflict(['sequence_id', 'period'])
    .ignore()

  // The UPDATE takes the row lock (PostgreSQL) or the write lock (SQLite)
  // until the transaction ends; the read that follows sees our own increment.
  await trx
    .from('sequence_counters')
    .where({ sequence_id: sequence.id, period })
    .increment('last_value', 1)
  const counter = await trx
    .from('sequence_counters')
    .where({ sequence_id: sequence.id, period })
    .select('last_value')
    .firstOrFail()
  const value = Number(counter.last_value)
  return { value, formatted: formatNumber(sequence.prefix, sequence.padding, value, at.year) }
}
