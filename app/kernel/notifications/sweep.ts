import { DateTime } from 'luxon'
import db from '@adonisjs/lucid/services/db'
import { recordGivenUpDelivery } from '#kernel/jobs/failed_jobs'
import { MAIL_SENDING_TIMEOUT_MS, sendQueuedMail } from './notifications.js'
import { deliverWorkflowActions } from './workflow.js'

/**
 * The delivery sweep (the kernel schedule `kernel.deliveries`, every
 * minute). A transaction that commits owes its deliveries — workflow
 * notify/email actions in `workflow_deliveries`, notification mails in
 * `notification_mails` — and they normally go right after the commit. A
 * process that dies in between leaves them pending: the sweep delivers
 * those older than the grace period (so it never races the after-commit
 * path) and those due again after a failed attempt. Each one is claimed by
 * a conditional update before it goes, so two app processes sweeping at
 * once never deliver the same one twice.
 */

/** How long after its commit a delivery is left to the after-commit path. */
export const DELIVERY_GRACE_MS = 2 * 60 * 1000

/** At most this many of each kind per sweep; the next tick takes the rest. */
const SWEEP_BATCH = 200

function dbTime(date: Date) {
  return DateTime.fromJSDate(date).toUTC().toFormat(db.connection().dialect.dateTimeFormat)
}

function affected(result: unknown) {
  return Array.isArray(result) ? result.length : Number(result)
}

async function dueIds(table: 'workflow_deliveries' | 'notification_mails', now: Date) {
  const rows = await db
    .from(table)
    .where('status', 'pending')
    .where('created_at', '<=', dbTime(new Date(now.getTime() - DELIVERY_GRACE_MS)))
    .where((q) => q.whereNull('next_attempt_at').orWhere('next_attempt_at', '<=', dbTime(now)))
    .orderBy('id')
    .limit(SWEEP_BATCH)
    .select('id')
  return rows.map((row) => Number(row.id))
}

export interface SweepResult {
  /** Workflow actions delivered */
  workflow: number
  /** Notification mails sent */
  mails: number
  /** Mails tried and not sent this time */
  failed: number
  /** Mails whose sender stopped mid-way, given up for an admin to decide */
  interrupted: number
}

export async function sweepDeliveries(options: { now?: Date } = {}): Promise<SweepResult> {
  const now = options.now ?? new Date()

  // A mail claimed long ago and never confirmed: its process stopped while
  // sending. It may have left, so it is not sent again on its own (that could
  // send it twice): it is given up and shown to admins, who may retry it.
  const stale = dbTime(new Date(now.getTime() - MAIL_SENDING_TIMEOUT_MS))
  const stuck = await db
    .from('notification_mails')
    .where('status', 'sending')
    .where('claimed_at', '<=', stale)
    .orderBy('id')
    .limit(SWEEP_BATCH)
    .select('id', 'attempts')
  let interrupted = 0
  for (const row of stuck) {
    const message = 'Interrupted while sending (the process stopped): it may or may not have left'
    const updated = await db
      .from('notification_mails')
      .where('id', row.id)
      .where('status', 'sending')
      .where('claimed_at', '<=', stale)
      .update({ status: 'failed', last_error: message })
    if (!affected(updated)) continue
    interrupted++
    await recordGivenUpDelivery(
      'notification_mails',
      Number(row.id),
      Number(row.attempts),
      new Error(message)
    )
  }

  // Workflow actions first: delivering them owes mails, which go right after.
  const workflow = await deliverWorkflowActions(await dueIds('workflow_deliveries', now), now)
  let mails = 0
  let failed = 0
  for (const id of await dueIds('notification_mails', now)) {
    const outcome = await sendQueuedMail(id, now)
    if (outcome === 'sent') mails++
    if (outcome === 'failed') failed++
  }
  return { workflow, mails, failed, interrupted }
}

/**
 * An admin's retry of a given-up delivery: a fresh count of attempts, then
 * one delivery right away (claimed as usual, so it still goes once).
 */
export async function redeliver(kind: 'mail' | 'workflow', id: number) {
  const table = kind === 'mail' ? 'notification_mails' : 'workflow_deliveries'
  const reset = await db
    .from(table)
    .where('id', id)
    .where('status', 'failed')
    .update({ status: 'pending', attempts: 0, next_attempt_at: null })
  if (!affected(reset)) return false
  if (kind === 'mail') return (await sendQueuedMail(id)) === 'sent'
  return (await deliverWorkflowActions([id])) === 1
}
