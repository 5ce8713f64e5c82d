import { DateTime } from 'luxon'
import { HttpContext } from '@adonisjs/core/http'
import db from '@adonisjs/lucid/services/db'
import type { QueryClientContract } from '@adonisjs/lucid/types/database'
import type { LucidRow } from '@adonisjs/lucid/types/model'
import { dbNow } from '#kernel/db/timestamp'

/**
 * The audited way to write. Modules change their records through these
 * helpers (or call `record()` next to their own writes), with the client of
 * the transaction that makes the change: the audit row commits with it and
 * disappears with it on rollback. A Lucid hook alone would miss query-builder
 * writes; going through here covers both.
 *
 * Field names are the model's attribute names for Lucid rows (`vatNumber`)
 * and the column names for query-builder writes (`vat_number`).
 */

export type AuditValues = Record<string, unknown>

/** Who made a change and from where. Taken from the current request unless given. */
export interface AuditActor {
  companyId?: number | null
  actorId?: number | null
  ip?: string | null
  requestId?: string | null
}

export interface AuditRecord {
  /** `created`, `updated`, `deleted`, `archived`, `restored`, `transition`, `login.success`… */
  event: string
  /** `<module>.<model>`, e.g. `contacts.contact` */
  model?: string | null
  recordId?: string | number | null
  /** The record before the change (null or omitted when created) */
  before?: AuditValues | null
  /** The record after the change (null or omitted when deleted) */
  after?: AuditValues | null
  /** Fields left out of the changes: derived or bookkeeping ones */
  ignore?: string[]
  meta?: Record<string, unknown> | null
  /** Who and where, for writes outside a request (commands, jobs) or to override it */
  actor?: AuditActor
}

/** Bookkeeping fields no reader needs to see change. */
const ALWAYS_IGNORED = ['id', 'createdAt', 'updatedAt', 'created_at', 'updated_at']

/** A JSON-safe copy of a value, as it will be stored and compared. */
export function plain(value: unknown): unknown {
  if (value === undefined || value === null) return null
  if (DateTime.isDateTime(value)) return value.toUTC().toISO()
  if (value instanceof Date) return value.toISOString()
  if (typeof value === 'bigint') return value.toString()
  if (typeof value === 'object') return JSON.parse(JSON.stringify(value))
  return value
}

/**
 * The changed fields, `{ field: [before, after] }`. A created record lists
 * every field it was given a value for, a deleted one every field it had.
 */
export function diff(
  before: AuditValues | null | undefined,
  after: AuditValues | null | undefined,
  ignore: string[] = []
): Record<string, [unknown, unknown]> {
  const skip = new Set([...ALWAYS_IGNORED, ...ignore])
  const keys = new Set([...Object.keys(before ?? {}), ...Object.keys(after ?? {})])
  const changes: Record<string, [unknown, unknown]> = {}
  for (const key of keys) {
    if (skip.has(key)) continue
    const was = plain(before?.[key])
    const is = plain(after?.[key])
    if (JSON.stringify(was) !== JSON.stringify(is)) changes[key] = [was, is]
  }
  return changes
}

/** A Lucid row's attributes, copied so later changes to the row do not alter it. */
export function snapshot(row: LucidRow): AuditValues {
  return Object.fromEntries(Object.entries(row.$attributes).map(([k, v]) => [k, plain(v)]))
}

/** The current request's actor, company, address and id; empty outside a request. */
export function currentActor(): AuditActor {
  const ctx = HttpContext.get()
  if (!ctx) return {}
  const { auth, access } = ctx as Partial<HttpContext>
  const user = auth?.user as { id?: number } | undefined
  return {
    actorId: access?.userId ?? user?.id ?? null,
    companyId: access?.companyId ?? null,
    ip: ctx.request.ip(),
    requestId: ctx.request.id() ?? null,
  }
}

function companyOf(values: AuditValues | null | undefined): number | null {
  const id = values?.companyId ?? values?.company_id
  return typeof id === 'number' ? id : null
}

function json(value: unknown) {
  return value === null || value === undefined ? null : JSON.stringify(value)
}

/**
 * Appends one entry, through `client` (the transaction of the change). An
 * `updated` entry whose fields did not change is not written.
 */
export async function record(client: QueryClientContract, entry: AuditRecord) {
  const hasValues = entry.before !== undefined || entry.after !== undefined
  const changes = hasValues ? diff(entry.before, entry.after, entry.ignore) : null
  if (entry.event === 'updated' && changes && Object.keys(changes).length === 0) return false
  const who = { ...currentActor(), ...entry.actor }
  await client.table('audit_logs').insert({
    occurred_at: dbNow(client),
    // A record's own company wins over the request's: it is where the record lives.
    company_id: companyOf(entry.after) ?? companyOf(entry.before) ?? who.companyId ?? null,
    actor_id: who.actorId ?? null,
    ip: who.ip?.slice(0, 45) ?? null,
    request_id: who.requestId?.slice(0, 64) ?? null,
    event: entry.event,
    model: entry.model ?? null,
    record_id:
      entry.recordId === null || entry.recordId === undefined ? null : String(entry.recordId),
    changes: changes && Object.keys(changes).length ? json(changes) : null,
    meta: json(entry.meta),
  })
  return true
}

/**
 * Records an event that changes no record (sign-in, refusal…) outside any
 * transaction. Never throws: an audit failure must not turn a login or a 403
 * into a 500; it is logged instead.
 */
export async function recordEvent(
  event: string,
  options: Omit<AuditRecord, 'event' | 'before' | 'after' | 'ignore'> = {}
) {
  try {
    await record(db.connection(), { ...options, event })
  } catch (error) {
    const ctx = HttpContext.get()
    ctx?.logger.error({ err: error, event }, 'audit entry not written')
  }
}

export interface AuditOptions {
  ignore?: string[]
  meta?: Record<string, unknown>
  actor?: AuditActor
}

/** Saves a Lucid row (bound to the transaction) and records it as created or updated. */
export async function auditedSave<Row extends LucidRow>(
  client: QueryClientContract,
  model: string,
  row: Row,
  options: AuditOptions & { event?: string } = {}
): Promise<Row> {
  const before = row.$isPersisted
    ? Object.fromEntries(Object.entries(row.$original).map(([k, v]) => [k, plain(v)]))
    : null
  await row.save()
  await record(client, {
    ...options,
    event: options.event ?? (before ? 'updated' : 'created'),
    model,
    recordId: row.$primaryKeyValue as number | string,
    before,
    after: snapshot(row),
  })
  return row
}

/** Deletes a Lucid row (bound to the transaction) and records its last values. */
export async function auditedDestroy(
  client: QueryClientContract,
  model: string,
  row: LucidRow,
  options: AuditOptions = {}
) {
  const before = snapshot(row)
  await row.delete()
  await record(client, {
    ...options,
    event: 'deleted',
    model,
    recordId: row.$primaryKeyValue as number | string,
    before,
    after: null,
  })
}

type Where = Record<string, unknown> | ((query: any) => void)

function applyWhere(query: any, where: Where) {
  if (typeof where === 'function') where(query)
  else query.where(where)
  return query
}

/** Inserts a row with the query builder and records it as created; returns its id. */
export async function auditedInsert(
  client: QueryClientContract,
  model: string,
  table: string,
  values: AuditValues,
  options: AuditOptions = {}
): Promise<number> {
  const [inserted] = await client.insertQuery().table(table).insert(values).returning('id')
  const id = Number(typeof inserted === 'object' ? inserted.id : inserted)
  await record(client, { ...options, event: 'created', model, recordId: id, after: values })
  return id
}

/**
 * Reads and locks the rows `where` selects (their before-values), and gives a
 * query over exactly those rows, so the write touches what was recorded.
 */
async function lockRows(client: QueryClientContract, table: string, where: Where) {
  const rows: AuditValues[] = await applyWhere(client.from(table), where).forUpdate()
  const ids = rows.map((row) => row.id as number)
  return { rows, locked: () => client.from(table).whereIn('id', ids) }
}

/**
 * Updates the rows `where` selects with the query builder and records each
 * one's changed fields. Returns how many rows were updated.
 */
export async function auditedUpdate(
  client: QueryClientContract,
  model: string,
  table: string,
  where: Where,
  values: AuditValues,
  options: AuditOptions = {}
): Promise<number> {
  const { rows, locked } = await lockRows(client, table, where)
  if (!rows.length) return 0
  await locked().update(values)
  for (const row of rows) {
    await record(client, {
      ...options,
      event: 'updated',
      model,
      recordId: row.id as number,
      before: row,
      after: { ...row, ...values },
    })
  }
  return rows.length
}

/** Deletes the rows `where` selects with the query builder and records each one. */
export async function auditedDelete(
  client: QueryClientContract,
  model: string,
  table: string,
  where: Where,
  options: AuditOptions = {}
): Promise<number> {
  const { rows, locked } = await lockRows(client, table, where)
  if (!rows.length) return 0
  await locked().delete()
  for (const row of rows) {
    await record(client, {
      ...options,
      event: 'deleted',
      model,
      recordId: row.id as number,
      before: row,
      after: null,
    })
  }
  return rows.length
}

/** The events the kernel and its modules write, as the admin page offers them in its filter. */
export const AUDIT_EVENTS = [
  'created',
  'updated',
  'deleted',
  'archived',
  'restored',
  'transition',
  'login.success',
  'login.failure',
  'logout',
  'password.changed',
  'access.denied',
  'module.enabled',
  'module.disabled',
  'module.uninstalled',
  'mfa.enabled',
  'mfa.disabled',
  'mfa.success',
  'mfa.failure',
  'mfa.recovery_used',
  'mfa.recovery_renewed',
  'mfa.reset',
  'role.created',
  'role.updated',
  'role.grants_changed',
  'role.deleted',
  'user.invited',
  'user.updated',
  'user.activated',
  'user.deactivated',
  'session.ended',
  'token.created',
  'token.revoked',
  'workflow.published',
  'attachment.added',
  'attachment.removed',
  'import.applied',
  'import.discarded',
  'job.retried',
  'job.discarded',
  'settings.updated',
] as const
