import { DateTime } from 'luxon'
import db from '@adonisjs/lucid/services/db'
import logger from '@adonisjs/core/services/logger'
import i18nManager from '@adonisjs/i18n/services/main'
import type { QueryClientContract, TransactionClientContract } from '@adonisjs/lucid/types/database'
import registry from '#kernel/modules/registry'
import { dbNow } from '#kernel/db/timestamp'
import { keysetPage } from '#kernel/pagination/keyset'
import { recordGivenUpDelivery } from '#kernel/jobs/failed_jobs'
import { deliveryMaxAttempts } from '#config/housekeeping'
import type { Label } from '../modules/define_module.js'

/**
 * A text of a notification: fixed in both languages, or a translation key
 * (kernel `<file>.<key>`, module `<module>.<key>`) with its values, rendered
 * in each reader's language when read.
 */
export type NotificationText = Label | { key: string; params?: Record<string, string | number> }

export interface NotifyInput {
  /** `<module>.<key>` of a declared type (`kernel.workflow`, `contacts.contact_assigned`…) */
  type: string
  companyId: number
  /** User ids; those not active members of the company (or lacking the type's permission) are skipped */
  recipients: number[]
  title: NotificationText
  body?: NotificationText | null
  /** A path inside the site, e.g. `/contacts/12` */
  link?: string | null
  /** The record the notification is about */
  record?: { model: string; id: number | string } | null
}

/** A programming error: an undeclared type or a malformed input. */
export class NotificationInputError extends Error {}

/** What a user reads of one notification, in their language. */
export interface NotificationJson {
  id: number
  type: string
  title: string
  body: string | null
  link: string | null
  model: string | null
  recordId: string | null
  read: boolean
  createdAt: string
}

/** What the live channel carries for one new notification. */
export interface LiveMessage {
  companyId: number
  unread: number
  notification: NotificationJson
}

type Channels = { inApp: boolean; email: boolean }

export function notificationType(type: string) {
  return registry.notificationTypes().find((t) => t.type === type)
}

/** A type's channels for a user who has not chosen: in the app on, email off unless declared. */
function defaultChannels(type: string): Channels {
  const declared = notificationType(type)?.channels
  return { inApp: declared?.inApp ?? true, email: declared?.email ?? false }
}

function isText(value: unknown): value is NotificationText {
  if (typeof value !== 'object' || value === null) return false
  const v = value as Record<string, unknown>
  if (typeof v.key === 'string') return v.key.length > 0
  return typeof v.fr === 'string' && typeof v.en === 'string' && v.fr.length > 0
}

/** Renders a stored text in `locale`. */
export function renderText(stored: string | null, locale: string): string | null {
  if (stored === null || stored === undefined) return null
  let text: NotificationText
  try {
    text = JSON.parse(stored)
  } catch {
    return stored
  }
  if ('key' in text) {
    return i18nManager.locale(locale === 'en' ? 'en' : 'fr').t(text.key, text.params ?? {})
  }
  return locale === 'en' ? text.en : text.fr
}

function toJson(row: Record<string, any>, locale: string): NotificationJson {
  const created = row.created_at
  return {
    id: Number(row.id),
    type: row.type,
    title: renderText(row.title, locale) ?? '',
    body: renderText(row.body, locale),
    link: row.link ?? null,
    model: row.model ?? null,
    recordId: row.record_id ?? null,
    read: row.read_at !== null && row.read_at !== undefined,
    createdAt:
      created instanceof Date
        ? created.toISOString()
        : `${String(created).replace(' ', 'T').slice(0, 19)}Z`,
  }
}

/**
 * Active members of the company among `userIds` who may receive `type`:
 * holding its permission when it declares one (admins always do; a
 * permission on records also needs the resource's `.read`, as for access).
 */
async function eligibleRecipients(
  client: QueryClientContract,
  companyId: number,
  userIds: number[],
  permission: string | undefined
) {
  const members = await client
    .from('company_users')
    .join('users', 'users.id', 'company_users.user_id')
    .join('roles', 'roles.id', 'company_users.role_id')
    .where('company_users.company_id', companyId)
    .whereIn('company_users.user_id', userIds)
    .where('users.is_active', true)
    .select('users.id', 'users.email', 'users.locale', 'roles.key as role', 'roles.id as role_id')
  if (!permission) return members
  const needed = [permission]
  const read = `${permission.slice(0, permission.lastIndexOf('.'))}.read`
  if (read !== permission && registry.permissions().some((p) => p.key === read)) needed.push(read)
  const grants = await client
    .from('role_permissions')
    .whereIn('role_id', [...new Set(members.map((m) => m.role_id))])
    .whereIn('permission', needed)
    .select('role_id', 'permission')
  return members.filter(
    (m) =>
      m.role === 'admin' ||
      needed.every((p) => grants.some((g) => g.role_id === m.role_id && g.permission === p))
  )
}

/** Each user's channels for `type`: their choice, else the type's defaults. */
async function channelsFor(client: QueryClientContract, userIds: number[], type: string) {
  const chosen = await client
    .from('notification_preferences')
    .whereIn('user_id', userIds)
    .where('type', type)
    .select('user_id', 'in_app', 'email')
  const defaults = defaultChannels(type)
  const result = new Map<number, Channels>()
  for (const id of userIds) result.set(id, defaults)
  for (const row of chosen) {
    result.set(Number(row.user_id), { inApp: Boolean(row.in_app), email: Boolean(row.email) })
  }
  return result
}

function checkInput(input: NotifyInput) {
  const type = notificationType(input.type)
  if (!type) {
    throw new NotificationInputError(
      `Unknown notification type "${input.type}": declare it in the manifest's "notifications"`
    )
  }
  if (!Number.isInteger(input.companyId)) {
    throw new NotificationInputError('companyId must be an integer')
  }
  if (!Array.isArray(input.recipients) || input.recipients.some((r) => !Number.isInteger(r))) {
    throw new NotificationInputError('recipients must be a list of user ids')
  }
  if (!isText(input.title)) {
    throw new NotificationInputError('title must be { fr, en } or { key, params }')
  }
  if (input.body !== undefined && input.body !== null && !isText(input.body)) {
    throw new NotificationInputError('body must be { fr, en } or { key, params }')
  }
  // Only paths inside the site: a notification never sends anyone elsewhere.
  if (input.link && (!/^\/(?!\/)/.test(input.link) || input.link.length > 500)) {
    throw new NotificationInputError('link must be a path inside the site, such as /contacts/12')
  }
  return type
}

/**
 * Notifies users of one company. The rows are written with `client` (the
 * caller's transaction, so a rollback takes them back) or in a transaction
 * of their own; the live push and the mails go once that is committed.
 * Returns the ids of the notifications written.
 */
export async function notify(
  input: NotifyInput,
  options: { client?: TransactionClientContract } = {}
): Promise<number[]> {
  const type = checkInput(input)
  const userIds = [...new Set(input.recipients)]
  if (!userIds.length) return []

  const write = async (trx: TransactionClientContract) => {
    const recipients = await eligibleRecipients(trx, input.companyId, userIds, type.permission)
    if (!recipients.length) return { rows: [], mails: [] }
    const channels = await channelsFor(
      trx,
      recipients.map((r) => Number(r.id)),
      input.type
    )
    const now = dbNow(trx)
    const rows: { id: number; userId: number; locale: string }[] = []
    const mails: number[] = []
    for (const recipient of recipients) {
      const chosen = channels.get(Number(recipient.id))!
      // Each mail is owed in the same transaction as the change: if the process
      // dies before sending it, the delivery sweep finds it pending.
      if (chosen.email) mails.push(await queueMail(trx, input, recipient, now))
      if (!chosen.inApp) continue
      const [inserted] = await trx
        .table('notifications')
        .insert({
          company_id: input.companyId,
          user_id: recipient.id,
          type: input.type,
          title: JSON.stringify(input.title),
          body: input.body ? JSON.stringify(input.body) : null,
          link: input.link ?? null,
          model: input.record?.model ?? null,
          record_id: input.record ? String(input.record.id) : null,
          created_at: now,
        })
        .returning('id')
      const id = typeof inserted === 'object' ? Number(inserted.id) : Number(inserted)
      rows.push({ id, userId: Number(recipient.id), locale: recipient.locale })
    }
    return { rows, mails }
  }

  const written = options.client ? await write(options.client) : await db.transaction(write)
  const deliver = () => afterCommit(input, written.rows, written.mails)
  if (options.client) options.client.after('commit', deliver)
  else await deliver()
  return written.rows.map((r) => r.id)
}

/** Hooks the live push and the mails plug into (see live.ts and mail.ts). */
export const notificationChannels: {
  push: (userId: number, message: LiveMessage) => void
  mail: (
    to: { email: string; locale: string },
    content: { title: string; body: string | null; link: string | null }
  ) => Promise<void>
} = { push: () => {}, mail: async () => {} }

/**
 * After the commit: each in-app row pushed to its user's live channel with
 * their new unread count, each mail sent. A failure is logged, never thrown:
 * the notifications are written and the caller's work is done (a mail that
 * failed stays owed, for the delivery sweep).
 */
async function afterCommit(
  input: NotifyInput,
  rows: { id: number; userId: number; locale: string }[],
  mails: number[]
) {
  try {
    if (rows.length) {
      const stored = await db
        .from('notifications')
        .whereIn(
          'id',
          rows.map((r) => r.id)
        )
        .select('*')
      for (const row of rows) {
        const found = stored.find((s) => Number(s.id) === row.id)
        if (!found) continue
        notificationChannels.push(row.userId, {
          companyId: input.companyId,
          unread: await unreadCount(row.userId, input.companyId),
          notification: toJson(found, row.locale),
        })
      }
    }
  } catch (error) {
    logger.error({ err: error, type: input.type }, 'notification live push failed')
  }
  for (const id of mails) {
    await sendQueuedMail(id).catch((error) =>
      logger.error({ err: error, type: input.type, mail: id }, 'notification mail not sent')
    )
  }
}

/* Mails owed by notifications (`notification_mails`) */

/** How long a sent-but-unconfirmed mail is left alone before it counts as interrupted. */
export const MAIL_SENDING_TIMEOUT_MS = 15 * 60 * 1000

async function queueMail(
  trx: TransactionClientContract,
  input: NotifyInput,
  recipient: { id: number; email: string; locale: string },
  now: string
) {
  const [inserted] = await trx
    .table('notification_mails')
    .insert({
      company_id: input.companyId,
      user_id: recipient.id,
      type: input.type,
      email: recipient.email,
      locale: recipient.locale,
      title: JSON.stringify(input.title),
      body: input.body ? JSON.stringify(input.body) : null,
      link: input.link ?? null,
      status: 'pending',
      attempts: 0,
      created_at: now,
    })
    .returning('id')
  return typeof inserted === 'object' ? Number(inserted.id) : Number(inserted)
}

function affected(result: unknown) {
  return Array.isArray(result) ? result.length : Number(result)
}

/**
 * Sends one owed mail, once: the row is claimed by a conditional update
 * (pending → sending), so of two processes trying the same mail only one
 * sends it. Sent, it is marked `sent`; a failure counts as an attempt and
 * puts it back for the sweep after a backoff, or gives it up (`failed`,
 * shown to admins) once out of attempts; `at` is the clock the next try is
 * counted from. Answers what became of it
 * (`taken`: not pending, or claimed by another process first).
 */
export async function sendQueuedMail(
  id: number,
  at: Date = new Date()
): Promise<'sent' | 'failed' | 'taken'> {
  const now = dbNow()
  const claimed = await db
    .from('notification_mails')
    .where('id', id)
    .where('status', 'pending')
    .update({ status: 'sending', claimed_at: now, attempts: db.raw('attempts + 1') })
  if (!affected(claimed)) return 'taken'
  const row = await db.from('notification_mails').where('id', id).first()
  if (!row) return 'taken'
  try {
    await notificationChannels.mail(
      { email: row.email, locale: row.locale },
      {
        title: renderText(row.title, row.locale) ?? '',
        body: renderText(row.body, row.locale),
        link: row.link ?? null,
      }
    )
  } catch (error) {
    logger.error({ err: error, type: row.type, mail: id }, 'notification mail failed')
    await deliveryFailed('notification_mails', row, error as Error, at)
    return 'failed'
  }
  await db
    .from('notification_mails')
    .where('id', id)
    .where('status', 'sending')
    .update({ status: 'sent', sent_at: dbNow(), last_error: null })
  return 'sent'
}

/** The wait before the next try after `attempts` failed ones: 1, 2, 4… minutes, at most an hour. */
export function retryDelayMs(attempts: number) {
  return Math.min(2 ** Math.max(0, attempts - 1), 60) * 60 * 1000
}

/**
 * Records a failed attempt of a delivery (`notification_mails` or
 * `workflow_deliveries`, whose `attempts` already counts it): back to
 * pending with its next try, or given up once out of attempts — then kept
 * with the failed jobs, where admins see it and may retry it.
 */
export async function deliveryFailed(
  table: 'notification_mails' | 'workflow_deliveries',
  row: { id: number | string; attempts: number | string },
  error: Error,
  at: Date = new Date()
) {
  const attempts = Number(row.attempts)
  const giveUp = attempts >= deliveryMaxAttempts
  const message = (error.message || String(error)).slice(0, 2000)
  const next = DateTime.fromJSDate(at)
    .toUTC()
    .plus({ milliseconds: retryDelayMs(attempts) })
  const updated = await db
    .from(table)
    .where('id', row.id)
    .whereIn('status', ['pending', 'sending'])
    .update({
      status: giveUp ? 'failed' : 'pending',
      last_error: message,
      next_attempt_at: next.toFormat(db.connection().dialect.dateTimeFormat),
    })
  if (giveUp && affected(updated))
    await recordGivenUpDelivery(table, Number(row.id), attempts, error)
}

/* A user's own notifications, in one company */

export async function unreadCount(userId: number, companyId: number) {
  const [row] = await db
    .from('notifications')
    .where('user_id', userId)
    .where('company_id', companyId)
    .whereNull('read_at')
    .count('* as n')
  return Number(row.n)
}

export const NOTIFICATIONS_PAGE_SIZE = 25

interface NotificationRow {
  id: number
  type: string
  title: string
  body: string | null
  link: string | null
  model: string | null
  record_id: string | null
  read_at: unknown
  created_at: unknown
}

export async function listNotifications(
  userId: number,
  companyId: number,
  locale: string,
  options: { cursor?: string | null; unread?: boolean; limit?: number } = {}
) {
  const query = db
    .from('notifications')
    .where('user_id', userId)
    .where('company_id', companyId)
    .select('*')
  if (options.unread) query.whereNull('read_at')
  const page = await keysetPage<NotificationRow>(query, {
    direction: 'desc',
    // Newest first by id alone: the (user_id, company_id, id) index serves it.
    valueOf: (row) => Number(row.id),
    limit: options.limit ?? NOTIFICATIONS_PAGE_SIZE,
    cursor: options.cursor,
  })
  return {
    data: page.data.map((row) => toJson(row, locale)),
    nextCursor: page.nextCursor,
  }
}

/** Marks one of the user's notifications read; false when it is not theirs (in this company). */
export async function markRead(userId: number, companyId: number, id: number) {
  const row = await db
    .from('notifications')
    .where('id', id)
    .where('user_id', userId)
    .where('company_id', companyId)
    .select('id', 'read_at')
    .first()
  if (!row) return false
  if (!row.read_at) {
    await db.from('notifications').where('id', id).whereNull('read_at').update({ read_at: dbNow() })
  }
  return true
}

/** Marks every unread notification of the user in this company read; returns how many. */
export async function markAllRead(userId: number, companyId: number) {
  const updated = await db
    .from('notifications')
    .where('user_id', userId)
    .where('company_id', companyId)
    .whereNull('read_at')
    .update({ read_at: dbNow() })
  return Array.isArray(updated) ? updated.length : Number(updated)
}

/* Preferences: per user and type, which channels */

export interface PreferenceJson {
  type: string
  module: string
  label: string
  inApp: boolean
  email: boolean
}

/** The types a user may choose channels for: the kernel's and those of enabled modules. */
export async function preferencesOf(
  userId: number,
  locale: string,
  enabled: ReadonlySet<string>
): Promise<PreferenceJson[]> {
  const types = registry
    .notificationTypes()
    .filter((t) => t.module === 'kernel' || enabled.has(t.module))
  const chosen = await db
    .from('notification_preferences')
    .where('user_id', userId)
    .select('type', 'in_app', 'email')
  return types.map((t) => {
    const own = chosen.find((c) => c.type === t.type)
    const defaults = defaultChannels(t.type)
    return {
      type: t.type,
      module: t.module,
      label: locale === 'en' ? t.label.en : t.label.fr,
      inApp: own ? Boolean(own.in_app) : defaults.inApp,
      email: own ? Boolean(own.email) : defaults.email,
    }
  })
}

/** Saves a user's choices (all in one transaction). Unknown types are refused by the validator. */
export async function savePreferences(
  userId: number,
  preferences: { type: string; inApp: boolean; email: boolean }[]
) {
  await db.transaction(async (trx) => {
    const now = dbNow(trx)
    for (const p of preferences) {
      await trx
        .from('notification_preferences')
        .where('user_id', userId)
        .where('type', p.type)
        .delete()
      await trx.table('notification_preferences').insert({
        user_id: userId,
        type: p.type,
        in_app: p.inApp,
        email: p.email,
        updated_at: now,
      })
    }
  })
}
