import { hostname } from 'node:os'
import { DateTime } from 'luxon'
import db from '@adonisjs/lucid/services/db'
import lock from '@adonisjs/lock/services/main'
import logger from '@adonisjs/core/services/logger'
import type { QueryClientContract } from '@adonisjs/lucid/types/database'
import { dbNow } from '#kernel/db/timestamp'
import { keysetPage } from '#kernel/pagination/keyset'
import defaultCatalog, { type JobCatalog, type RegisteredSchedule } from './catalog.js'
import { nextTick, ticksBetween } from './cron.js'

/** How long a claimed tick stays locked; the unique (schedule, tick) row outlives it. */
const TICK_LOCK_TTL = '10m'

export type RunOutcome = 'running' | 'succeeded' | 'failed'

function dbTime(date: Date, client: QueryClientContract = db.connection()) {
  return DateTime.fromJSDate(date).toUTC().toFormat(client.dialect.dateTimeFormat)
}

function isUniqueViolation(error: any) {
  return error?.code === '23505' || String(error?.code ?? '').startsWith('SQLITE_CONSTRAINT')
}

/**
 * Runs module schedules. Every app process may run one; each tick of each
 * schedule runs once across all of them: the process that takes the tick's
 * lock (Redis when configured, so across instances) and then inserts its
 * (schedule, tick) row runs it — the row's unique index refuses a second
 * claim even where the lock store is per process (memory, embedded).
 *
 * A run executes the job in the claiming process, through the queue's `sync`
 * adapter (retries and backoff included), and its outcome is logged in
 * `schedule_runs`. Ticks missed while no process was running are not caught
 * up; a disabled module's schedules do not run.
 */
export class Scheduler {
  readonly instance = `${hostname()}:${process.pid}`
  #catalog: JobCatalog
  #timer: NodeJS.Timeout | null = null
  #handled = new Map<string, number>()
  #since = 0
  #inFlight = new Set<Promise<unknown>>()

  constructor(catalog: JobCatalog = defaultCatalog) {
    this.#catalog = catalog
  }

  get running() {
    return this.#timer !== null
  }

  start() {
    if (this.#timer) return
    this.#since = Math.floor(Date.now() / 1000) * 1000
    const loop = () => {
      this.tick().catch((error) => logger.error({ err: error }, 'scheduler tick failed'))
      // Shortly after each second boundary, so a seconds-grained tick is never skipped.
      this.#timer = setTimeout(loop, 1050 - (Date.now() % 1000))
      this.#timer.unref()
    }
    this.#timer = setTimeout(loop, 1050 - (Date.now() % 1000))
    this.#timer.unref()
  }

  /** Stops ticking and waits (up to `waitMs`) for the runs in progress. */
  async stop(waitMs = 10000) {
    if (this.#timer) clearTimeout(this.#timer)
    this.#timer = null
    await Promise.race([
      Promise.allSettled([...this.#inFlight]),
      new Promise((resolve) => setTimeout(resolve, waitMs).unref()),
    ])
  }

  /**
   * Starts the runs of every tick this process has not handled yet: the
   * latest, and those a busy event loop let pass since the previous call
   * (a few at most). Ticks from before the scheduler started are not caught up.
   */
  async tick(now = new Date()) {
    for (const schedule of this.#catalog.schedules()) {
      const last = this.#handled.get(schedule.name) ?? this.#since
      const ticks = ticksBetween(schedule.cron, schedule.timezone, new Date(last), now)
      if (!ticks.length) continue
      this.#handled.set(schedule.name, ticks[ticks.length - 1].getTime())
      if (!(await schedule.manager.isEnabled(schedule.module))) continue
      for (const tick of ticks) {
        const run = this.run(schedule, tick)
          .catch((error) => logger.error({ err: error, schedule: schedule.name }, 'scheduled run'))
          .finally(() => this.#inFlight.delete(run))
        this.#inFlight.add(run)
      }
    }
  }

  /** Claims and runs one tick; answers false when another process has it. */
  async run(schedule: RegisteredSchedule, tick: Date): Promise<boolean> {
    const claimed = await lock
      .createLock(`schedule:${schedule.name}:${tick.toISOString()}`, TICK_LOCK_TTL)
      .acquireImmediately()
    // Never released: the key names one tick, and must keep refusing it.
    if (!claimed) return false
    let id: number
    try {
      const [row] = await db
        .table('schedule_runs')
        .insert({
          schedule: schedule.name,
          tick_at: dbTime(tick),
          instance: this.instance,
          started_at: dbNow(),
          outcome: 'running',
        })
        .returning('id')
      id = Number(typeof row === 'object' ? row.id : row)
    } catch (error) {
      if (isUniqueViolation(error)) return false
      throw error
    }

    let outcome: RunOutcome = 'succeeded'
    let message: string | null = null
    try {
      const registered = this.#catalog.job(schedule.jobName)
      if (!registered) throw new Error(`Unknown job "${schedule.jobName}"`)
      const { jobId } = await registered.jobClass
        .dispatch(schedule.payload ?? {})
        .with('sync')
        .run()
      // The sync adapter does not throw: a job out of retries is in failed_jobs.
      const failed = await db.from('failed_jobs').where('job_id', jobId).select('error').first()
      if (failed) {
        outcome = 'failed'
        message = String(failed.error).split('\n')[0]
      }
    } catch (error) {
      outcome = 'failed'
      message = (error as Error).message
    }
    await db
      .from('schedule_runs')
      .where('id', id)
      .update({ finished_at: dbNow(), outcome, error: message?.slice(0, 2000) ?? null })
    return true
  }
}

/** How long scheduled runs stay in `schedule_runs` (a schedule every minute logs 1 440 a day). */
export const SCHEDULE_RUNS_RETENTION_DAYS = 30

/**
 * Forgets the runs whose tick is older than the retention period (the
 * kernel schedule `kernel.runs`, nightly). Ticks that old are never claimed
 * again, so their rows no longer guard anything. Answers how many went.
 */
export async function pruneScheduleRuns(
  options: { now?: Date; days?: number } = {}
): Promise<number> {
  const days = options.days ?? SCHEDULE_RUNS_RETENTION_DAYS
  const cutoff = new Date((options.now ?? new Date()).getTime() - days * 24 * 3600 * 1000)
  const deleted = await db
    .from('schedule_runs')
    .where('tick_at', '<', dbTime(cutoff))
    .whereNot('outcome', 'running')
    .delete()
  return Array.isArray(deleted) ? deleted.length : Number(deleted)
}

function iso(value: string | Date | null) {
  if (value === null) return null
  const date =
    value instanceof Date ? DateTime.fromJSDate(value) : DateTime.fromSQL(value, { zone: 'utc' })
  return (date.isValid ? date : DateTime.fromISO(String(value), { zone: 'utc' })).toUTC().toISO()
}

/** Logged runs, newest first, keyset-paginated; one schedule's when `schedule` is given. */
export async function listScheduleRuns(
  options: { cursor?: string | null; limit?: number; schedule?: string | null } = {}
) {
  const query = db.from('schedule_runs').select('*')
  if (options.schedule) query.where('schedule', options.schedule)
  const page = await keysetPage<any>(query, {
    // Ids grow with time: newest first without a second sort column.
    valueOf: undefined,
    direction: 'desc',
    limit: options.limit ?? 25,
    cursor: options.cursor,
  })
  return {
    data: page.data.map((row) => ({
      id: Number(row.id),
      schedule: row.schedule as string,
      tickAt: iso(row.tick_at),
      instance: row.instance as string,
      startedAt: iso(row.started_at),
      finishedAt: iso(row.finished_at),
      outcome: row.outcome as RunOutcome,
      error: (row.error as string | null) ?? null,
    })),
    nextCursor: page.nextCursor,
  }
}

/** Every declared schedule, with its module's state and its next tick. */
export async function listSchedules(catalog: JobCatalog = defaultCatalog) {
  const schedules = catalog.schedules()
  const enabled = await Promise.all(schedules.map((s) => s.manager.isEnabled(s.module)))
  return schedules.map((schedule, i) => ({
    name: schedule.name,
    module: schedule.module,
    job: schedule.jobName,
    cron: schedule.cron,
    timezone: schedule.timezone ?? 'UTC',
    enabled: enabled[i],
    nextTickAt: nextTick(schedule.cron, schedule.timezone)?.toISOString() ?? null,
  }))
}

const scheduler = new Scheduler()
export default scheduler
