import { DateTime } from 'luxon'
import db from '@adonisjs/lucid/services/db'
import type { Access } from '#kernel/security/access'
import { decodeCursor, encodeCursor } from '#kernel/pagination/keyset'
import { hiddenFields } from './models.js'

export interface AuditFilters {
  model?: string
  recordId?: string | number
  actorId?: number
  event?: string
  /** A day (`YYYY-MM-DD`, in `timeZone`) or an ISO date-time */
  from?: string
  to?: string
  cursor?: string | null
  limit?: number
}

export interface AuditEntry {
  id: number
  occurredAt: string
  event: string
  model: string | null
  recordId: string | null
  actor: { id: number; name: string } | null
  companyId: number | null
  ip: string | null
  requestId: string | null
  changes: Record<string, [unknown, unknown]>
  /** Changed fields whose values the reader may not see (values given as null) */
  masked: string[]
  meta: Record<string, unknown> | null
}

interface AuditRow {
  id: number | string
  occurred_at: unknown
  company_id: number | null
  actor_id: number | null
  actor_name: string | null
  actor_email: string | null
  ip: string | null
  request_id: string | null
  event: string
  model: string | null
  record_id: string | null
  changes: unknown
  meta: unknown
}

function bound(value: string, timeZone: string, end: boolean) {
  const dayOnly = /^\d{4}-\d{2}-\d{2}$/.test(value)
  let date = DateTime.fromISO(value, { zone: timeZone })
  if (dayOnly && end) date = date.endOf('day')
  return date.isValid ? date.toUTC() : null
}

function parse(value: unknown) {
  if (value === null || value === undefined) return null
  if (typeof value !== 'string') return value as Record<string, any>
  try {
    return JSON.parse(value)
  } catch {
    return null
  }
}

function iso(value: unknown) {
  if (value instanceof Date) return value.toISOString()
  const text = String(value)
  // SQLite keeps the UTC time as text without a zone.
  const parsed = DateTime.fromSQL(text, { zone: 'utc' })
  return (parsed.isValid ? parsed : DateTime.fromISO(text, { zone: 'utc' })).toUTC().toISO()!
}

/**
 * Reads the audit trail of `access`'s company, newest first, keyset-paginated
 * on id (ids grow with time). `siteEvents` adds entries tied to no company
 * (sign-in attempts on unknown accounts), for the admin page.
 */
export async function listAudit(
  access: Access,
  filters: AuditFilters,
  options: { siteEvents?: boolean; timeZone?: string } = {}
): Promise<{ data: AuditEntry[]; nextCursor: string | null }> {
  const timeZone = options.timeZone ?? 'Europe/Paris'
  const query = db
    .from('audit_logs')
    .leftJoin('users', 'users.id', 'audit_logs.actor_id')
    .select('audit_logs.*', 'users.full_name as actor_name', 'users.email as actor_email')
  if (options.siteEvents) {
    query.where((q) =>
      q.where('audit_logs.company_id', access.companyId).orWhereNull('audit_logs.company_id')
    )
  } else {
    query.where('audit_logs.company_id', access.companyId)
  }
  if (filters.model) query.where('audit_logs.model', filters.model)
  if (filters.recordId !== undefined && filters.recordId !== null && filters.recordId !== '') {
    query.where('audit_logs.record_id', String(filters.recordId))
  }
  if (filters.actorId) query.where('audit_logs.actor_id', filters.actorId)
  if (filters.event) query.where('audit_logs.event', filters.event)
  const format = db.connection().dialect.dateTimeFormat
  const from = filters.from ? bound(filters.from, timeZone, false) : null
  const to = filters.to ? bound(filters.to, timeZone, true) : null
  if (from) query.where('audit_logs.occurred_at', '>=', from.toFormat(format))
  if (to) query.where('audit_logs.occurred_at', '<=', to.toFormat(format))

  // Keyset on id alone (ids grow with time). Ids are bigints, which PostgreSQL
  // hands back as strings: compared and encoded as numbers here.
  const limit = Math.min(Math.max(filters.limit ?? 25, 1), 100)
  if (filters.cursor) query.where('audit_logs.id', '<', decodeCursor(filters.cursor)[1])
  const rows: AuditRow[] = await query.orderBy('audit_logs.id', 'desc').limit(limit + 1)
  const data = rows.slice(0, limit)
  const page = {
    data,
    nextCursor: rows.length > limit ? encodeCursor(null, Number(data[data.length - 1].id)) : null,
  }
  return {
    nextCursor: page.nextCursor,
    data: page.data.map((row): AuditEntry => {
      const changes = (parse(row.changes) ?? {}) as Record<string, [unknown, unknown]>
      const masked = hiddenFields(row.model, access).filter((field) => field in changes)
      for (const field of masked) changes[field] = [null, null]
      return {
        id: Number(row.id),
        occurredAt: iso(row.occurred_at),
        event: row.event,
        model: row.model,
        recordId: row.record_id,
        actor: row.actor_id
          ? { id: row.actor_id, name: row.actor_name ?? row.actor_email ?? `#${row.actor_id}` }
          : null,
        companyId: row.company_id,
        ip: row.ip,
        requestId: row.request_id,
        changes,
        masked,
        meta: parse(row.meta),
      }
    }),
  }
}
