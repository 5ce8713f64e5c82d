import { DateTime } from 'luxon'
import db from '@adonisjs/lucid/services/db'
import logger from '@adonisjs/core/services/logger'
import lock from '@adonisjs/lock/services/main'
import { dbNow } from '#kernel/db/timestamp'
import { keysetPage } from '#kernel/pagination/keyset'
import { record } from '#kernel/audit/audit'
import type { ModuleJob } from './module_job.js'

/** The audit trail's name for a failed job (`job.retried`, `job.discarded`). */
export const FAILED_JOB_MODEL = 'kernel.failed_job'

const ERROR_LIMIT = 8000
const PAYLOAD_LIMIT = 4000
const STRING_LIMIT = 300
/** Payload keys whose values are never shown, only that they were there. */
const SECRET_KEY = /pass(word|wd)?|secret|token|api[-_]?key|authori[sz]ation|cookie|iban|card/i

export interface FailedJobRow {
  id: number
  job_id: string
  job: string
  module: string
  queue: string
  payload: string
  error: string
  attempts: number
  failed_at: string | Date
}

export class JobRefusal extends Error {
  constructor(
    readonly code: 'E_NOT_FOUND' | 'E_JOB_UNKNOWN' | 'E_MODULE_DISABLED' | 'E_BUSY',
    readonly status: number,
    message: string
  ) {
    super(message)
  }
}

/**
 * Keeps a job that ran out of attempts. Called by ModuleJob's `failed` hook,
 * in whatever process ran the job (app, `queue:work`). Never throws: the
 * queue has already given up on the job, and a second failure here would
 * only hide the first one (it is logged instead).
 */
export async function recordFailure(job: ModuleJob<any>, error: Error) {
  const context = job.context
  const cause = error.cause instanceof Error ? error.cause : error
  try {
    await db.table('failed_jobs').insert({
      job_id: context.jobId,
      job: context.name,
      module: (job.constructor as typeof ModuleJob).module ?? 'kernel',
      queue: context.queue,
      payload: JSON.stringify(job.payload ?? null),
      error: (cause.stack ?? String(cause)).slice(0, ERROR_LIMIT),
      attempts: context.attempt,
      failed_at: dbNow(),
    })
  } catch (failure) {
    logger.error({ err: failure, job: context.name, jobId: context.jobId }, 'failed job not kept')
  }
}

/** The kernel job that delivers again a delivery given up (see `recordGivenUpDelivery`). */
export const REDELIVER_JOB = 'kernel.redeliver'

/**
 * Lists a delivery the kernel gave up on (a notification mail, a workflow
 * notify/email action) with the failed jobs, as the `kernel.redeliver` job
 * with the delivery in its payload: admins see it at Settings → Jobs, and
 * _Retry_ tries it again (with a fresh count of attempts) through that job.
 * Never throws, like `recordFailure`.
 */
export async function recordGivenUpDelivery(
  table: 'notification_mails' | 'workflow_deliveries',
  id: number,
  attempts: number,
  error: Error
) {
  try {
    const row = await db.from(table).where('id', id).first()
    const payload =
      table === 'notification_mails'
        ? { delivery: 'mail', id, to: row?.email ?? null, type: row?.type ?? null }
        : {
            delivery: 'workflow',
            id,
            channel: row?.channel ?? null,
            model: row?.model ?? null,
            recordId: row?.record_id ?? null,
            transition: row?.transition ?? null,
          }
    const what =
      table === 'notification_mails'
        ? `Mail to ${payload.to} (${payload.type})`
        : `Workflow ${row?.channel ?? ''} action of ${row?.model ?? ''} #${row?.record_id ?? ''}`
    const summary = `${what} given up after ${attempts} attempts: ${error.message}`
    await db.table('failed_jobs').insert({
      job_id: `${payload.delivery}:${id}:${attempts}:${Date.now()}`,
      job: REDELIVER_JOB,
      module: 'kernel',
      queue: 'default',
      payload: JSON.stringify(payload),
      error: `${summary}\n${error.stack ?? ''}`.slice(0, ERROR_LIMIT),
      attempts,
      failed_at: dbNow(),
    })
    logger.warn({ delivery: payload.delivery, id, attempts }, 'delivery given up')
  } catch (failure) {
    logger.error({ err: failure, table, id }, 'given-up delivery not kept')
  }
}

/** A copy of a payload fit to show: secrets hidden, long strings cut, bounded in size. */
export function displayPayload(raw: string): string {
  let value: unknown
  try {
    value = JSON.parse(raw)
  } catch {
    return raw.slice(0, PAYLOAD_LIMIT)
  }
  const clean = (item: unknown, depth: number): unknown => {
    if (typeof item === 'string') {
      return item.length > STRING_LIMIT ? `${item.slice(0, STRING_LIMIT)}…` : item
    }
    if (item === null || typeof item !== 'object') return item
    if (depth > 5) return '…'
    if (Array.isArray(item)) return item.slice(0, 50).map((v) => clean(v, depth + 1))
    return Object.fromEntries(
      Object.entries(item).map(([key, v]) => [
        key,
        SECRET_KEY.test(key) ? '••••' : clean(v, depth + 1),
      ])
    )
  }
  const text = JSON.stringify(clean(value, 0), null, 2)
  return text.length > PAYLOAD_LIMIT ? `${text.slice(0, PAYLOAD_LIMIT)}…` : text
}

function iso(value: string | Date) {
  const date =
    value instanceof Date ? DateTime.fromJSDate(value) : DateTime.fromSQL(value, { zone: 'utc' })
  return (date.isValid ? date : DateTime.fromISO(String(value), { zone: 'utc' })).toUTC().toISO()
}

/** What pages and the API show of a failed job. */
export function presentFailedJob(row: FailedJobRow) {
  return {
    id: Number(row.id),
    jobId: row.job_id,
    job: row.job,
    module: row.module,
    queue: row.queue,
    attempts: Number(row.attempts),
    failedAt: iso(row.failed_at),
    error: row.error.split('\n')[0],
    errorDetail: row.error,
    payload: displayPayload(row.payload),
  }
}

export type FailedJob = ReturnType<typeof presentFailedJob>

/** Failed jobs, newest first, keyset-paginated on id (ids grow with time). */
export async function listFailedJobs(options: { cursor?: string | null; limit?: number } = {}) {
  const page = await keysetPage<FailedJobRow>(db.from('failed_jobs').select('*'), {
    // Ids grow with time: newest first without a second sort column.
    valueOf: undefined,
    direction: 'desc',
    limit: options.limit ?? 25,
    cursor: options.cursor,
  })
  return { data: page.data.map(presentFailedJob), nextCursor: page.nextCursor }
}

export async function findFailedJob(id: number) {
  const row = await db.from('failed_jobs').where('id', id).first()
  if (!row) throw new JobRefusal('E_NOT_FOUND', 404, `No failed job #${id}`)
  return row as FailedJobRow
}

/**
 * Dispatches the job again with its payload and forgets the failure, in that
 * order: if the dispatch fails (queue store unreachable) the failure stays
 * listed. A lock per failed job makes two admins clicking at once dispatch
 * it once (the second finds it gone).
 */
export async function retryFailedJob(id: number) {
  const [acquired, result] = await lock.createLock(`failed-job:${id}`, '30s').run(async () => {
    const row = await findFailedJob(id)
    const { default: catalog } = await import('./catalog.js')
    const registered = catalog.job(row.job)
    if (!registered) {
      throw new JobRefusal('E_JOB_UNKNOWN', 409, `No module declares the job "${row.job}" any more`)
    }
    if (!(await registered.manager.isEnabled(registered.module))) {
      throw new JobRefusal(
        'E_MODULE_DISABLED',
        409,
        `The module "${registered.module}" is disabled`
      )
    }
    const { jobId } = await registered.jobClass
      .dispatch(JSON.parse(row.payload))
      .toQueue(row.queue)
      .run()
    await db.transaction(async (trx) => {
      await trx.from('failed_jobs').where('id', id).delete()
      await record(trx, {
        event: 'job.retried',
        model: FAILED_JOB_MODEL,
        recordId: id,
        meta: { job: row.job, jobId: row.job_id, attempts: row.attempts, newJobId: jobId },
        actor: { companyId: null },
      })
    })
    return { jobId }
  })
  if (!acquired) throw new JobRefusal('E_BUSY', 409, `Failed job #${id} is being retried`)
  return result
}

/** Forgets a failed job for good. */
export async function discardFailedJob(id: number) {
  const row = await findFailedJob(id)
  await db.transaction(async (trx) => {
    const deleted = await trx.from('failed_jobs').where('id', id).delete()
    if (!Number(Array.isArray(deleted) ? deleted[0] : deleted)) {
      throw new JobRefusal('E_NOT_FOUND', 404, `No failed job #${id}`)
    }
    await record(trx, {
      event: 'job.discarded',
      model: FAILED_JOB_MODEL,
      recordId: id,
      meta: { job: row.job, jobId: row.job_id, attempts: row.attempts },
      actor: { companyId: null },
    })
  })
}
