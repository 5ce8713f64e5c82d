import { DateTime } from 'luxon'
import { HttpContext } from '@adonisjs/core/http'
import { Exception } from '@adonisjs/core/exceptions'
import db from '@adonisjs/lucid/services/db'
import type { TransactionClientContract } from '@adonisjs/lucid/types/database'
import { dbNow } from '#kernel/db/timestamp'
import { fieldError } from '#kernel/http/field_error'
import { record } from '#kernel/audit/audit'
import registry from '#kernel/modules/registry'
import {
  formatOf,
  inZone,
  parseFormat,
  periodKey,
  renderNumber,
  withPadding,
  type SequenceReset,
} from './format.js'

/** The audit trail's name for a numbering series. */
export const SEQUENCE_MODEL = 'kernel.sequence'

export interface SeriesView {
  id: number
  key: string
  /** The module that declares the series */
  module: string | null
  label: string
  format: string
  padding: number
  reset: SequenceReset
  /** The current period's key: '' (never), `2026`, `2026-11` */
  period: string
  /** The last number issued in the current period (0: none yet) */
  lastValue: number
  /** The number the next assignment will take */
  nextValue: number
  /** The next number as it will read */
  preview: string
}

export interface SeriesChange {
  format?: string
  padding?: number
  reset?: SequenceReset
  nextValue?: number
}

function notFound() {
  return new Exception('Numbering series not found', { status: 404, code: 'E_NOT_FOUND' })
}

/** A refusal on one field, in the request's language (numbering.errors.<key>). */
function refuse(field: string, key: string, fallback: string, data: Record<string, unknown> = {}) {
  const i18n = HttpContext.get()?.i18n
  const tokens = { seqToken: '{seq:N}', seqWord: '{seq}', yyyy: '{YYYY}', yy: '{YY}', mm: '{MM}' }
  const message = i18n ? i18n.t(`numbering.errors.${key}`, { ...tokens, ...data }) : fallback
  return fieldError(field, message, `numbering.${key}`)
}

const FORMAT_REFUSALS: Record<string, string> = {
  seq_missing: 'The format needs one {seq:N} token',
  seq_twice: 'The format may have only one {seq} token',
  unknown_token: 'Unknown token {token}: use {YYYY}, {YY}, {MM} and {seq:N}',
  padding: 'N in {seq:N} must be from 1 to 12',
  too_long: 'At most 60 characters',
  year_missing: 'A series that restarts every year or month must show the year ({YYYY} or {YY})',
  month_missing: 'A series that restarts every month must show the month ({MM})',
}

interface SequenceRow {
  id: number
  company_id: number
  key: string
  label: string
  format: string | null
  prefix: string
  padding: number
  reset: SequenceReset
  timezone: string | null
}

/**
 * Numbering series as admins see and edit them, per company: the format,
 * the reset, the padding and the next number — never below a number already
 * issued in the current period. Every change is one transaction with its
 * audit entry.
 */
export const seriesAdmin = {
  async list(
    companyId: number,
    options: { locale?: string; at?: DateTime } = {}
  ): Promise<SeriesView[]> {
    const at = options.at ?? DateTime.utc()
    const rows: SequenceRow[] = await db
      .from('sequences')
      .join('companies', 'companies.id', 'sequences.company_id')
      .where('sequences.company_id', companyId)
      .orderBy('sequences.key')
      .select('sequences.*', 'companies.timezone')
    if (!rows.length) return []
    const counters = await db
      .from('sequence_counters')
      .whereIn(
        'sequence_id',
        rows.map((row) => row.id)
      )
      .select('sequence_id', 'period', 'last_value')
    const last = new Map(
      counters.map((c) => [`${c.sequence_id}:${c.period}`, Number(c.last_value)])
    )
    return rows.map((row) => {
      const local = inZone(at, row.timezone)
      const period = periodKey(row.reset, local)
      return view(row, last.get(`${row.id}:${period}`) ?? 0, local, options.locale)
    })
  },

  async find(
    companyId: number,
    id: number,
    options: { locale?: string; at?: DateTime } = {}
  ): Promise<SeriesView> {
    const series = (await this.list(companyId, options)).find((s) => s.id === id)
    if (!series) throw notFound()
    return series
  },

  /**
   * Changes a series of `companyId`. `padding` rewrites N in the format's
   * `{seq:N}`; `nextValue` moves the counter of the current period forward
   * (lowering it would reissue numbers: refused). Changing the reset carries
   * the current count over to the new period, so numbering goes on.
   */
  async update(
    companyId: number,
    id: number,
    change: SeriesChange,
    options: { locale?: string; at?: DateTime } = {}
  ): Promise<SeriesView> {
    const at = options.at ?? DateTime.utc()
    await db.transaction(async (trx) => {
      const row: SequenceRow | null = await trx
        .from('sequences')
        .join('companies', 'companies.id', 'sequences.company_id')
        .where('sequences.company_id', companyId)
        .where('sequences.id', id)
        .select('sequences.*', 'companies.timezone')
        .first()
      if (!row) throw notFound()
      const local = inZone(at, row.timezone)
      const before = await current(trx, row, local)

      const reset = change.reset ?? row.reset
      let format = change.format ?? formatOf(row)
      if (change.padding !== undefined) format = withPadding(format, change.padding)
      const parsed = parseFormat(format, reset)
      if ('problem' in parsed) {
        const field =
          parsed.problem === 'year_missing' || parsed.problem === 'month_missing'
            ? change.format !== undefined
              ? 'format'
              : 'reset'
            : parsed.problem === 'padding' && change.padding !== undefined
              ? 'padding'
              : 'format'
        throw refuse(
          field,
          parsed.problem,
          FORMAT_REFUSALS[parsed.problem].replace('{token}', 'token' in parsed ? parsed.token : ''),
          { token: 'token' in parsed ? parsed.token : '' }
        )
      }

      const period = periodKey(reset, local)
      // The counter row is locked (PostgreSQL) until commit: an assignment
      // running now finishes first, and is counted.
      await trx
        .table('sequence_counters')
        .insert({
          sequence_id: row.id,
          period,
          // A new reset starts its current period where the old one stood.
          last_value: period === before.period ? 0 : before.lastValue,
        })
        .onConflict(['sequence_id', 'period'])
        .ignore()
      const counter = await trx
        .from('sequence_counters')
        .where({ sequence_id: row.id, period })
        .forUpdate()
        .firstOrFail()
      const lastValue = Number(counter.last_value)
      if (change.nextValue !== undefined) {
        if (change.nextValue <= lastValue) {
          throw refuse(
            'nextValue',
            'below_issued',
            `Number ${lastValue} is already issued: the next number must be at least ${lastValue + 1}`,
            { last: lastValue, min: lastValue + 1 }
          )
        }
        await trx
          .from('sequence_counters')
          .where({ sequence_id: row.id, period })
          .update({ last_value: change.nextValue - 1 })
      }

      await trx
        .from('sequences')
        .where('id', row.id)
        .update({
          format,
          prefix: parsed.prefix,
          padding: parsed.padding,
          reset,
          updated_at: dbNow(trx),
        })
      const after = await current(trx, { ...row, format, reset }, local)
      await record(trx, {
        event: 'updated',
        model: SEQUENCE_MODEL,
        recordId: row.id,
        before: { company_id: companyId, ...auditValues(before) },
        after: { company_id: companyId, ...auditValues(after) },
        ignore: ['company_id'],
        meta: { key: row.key },
      })
    })
    return this.find(companyId, id, options)
  },
}

/** The series' label in `locale`, as its module declares it (the stored French one otherwise). */
function labelOf(row: SequenceRow, module: string | null, locale?: string) {
  const declared = module
    ? registry.get(module).sequences?.find((s) => s.key === row.key)?.label
    : undefined
  return (declared && declared[locale as 'fr' | 'en']) ?? row.label
}

function view(row: SequenceRow, lastValue: number, local: DateTime, locale?: string): SeriesView {
  const format = formatOf(row)
  const parsed = parseFormat(format)
  const module = registry.has(row.key.split('.')[0]) ? row.key.split('.')[0] : null
  return {
    id: row.id,
    key: row.key,
    module,
    label: labelOf(row, module, locale),
    format,
    padding: 'padding' in parsed ? parsed.padding : Number(row.padding),
    reset: row.reset,
    period: periodKey(row.reset, local),
    lastValue,
    nextValue: lastValue + 1,
    preview: renderNumber(format, lastValue + 1, local),
  }
}

async function current(trx: TransactionClientContract, row: SequenceRow, local: DateTime) {
  const period = periodKey(row.reset, local)
  const counter = await trx
    .from('sequence_counters')
    .where({ sequence_id: row.id, period })
    .select('last_value')
    .first()
  return view(row, counter ? Number(counter.last_value) : 0, local)
}

function auditValues(series: SeriesView) {
  return { format: series.format, reset: series.reset, nextValue: series.nextValue }
}
