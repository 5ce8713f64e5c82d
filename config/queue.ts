import env from '#start/env'
import { defineConfig, drivers, exponentialBackoff } from '@adonisjs/queue'
import { redisEnabled } from '#config/redis'

/**
 * Jobs. Embedded default: the `database` adapter (the site's own database)
 * with a worker inside the app process, so retries wait in the background and
 * failed jobs are kept and listed — the `sync` adapter would run every retry
 * inside the request that dispatched the job, sleeping through the backoff.
 * With Redis: the `redis` adapter and separate `node ace queue:work` processes.
 * See README, "Jobs and schedules".
 */
export const queueDriver = env.get('QUEUE_DRIVER') ?? (redisEnabled ? 'redis' : 'database')

/** Whether app processes run a worker themselves (`inline`) or leave it to `queue:work`. */
export const queueWorker =
  env.get('QUEUE_WORKER') ?? (queueDriver === 'database' ? 'inline' : 'separate')

/** Whether app processes run the scheduler (each tick runs once, whatever their number). */
export const schedulerEnabled = env.get('SCHEDULER') !== 'off'

/** The table the database adapter keeps jobs in. */
export const QUEUE_JOBS_TABLE = 'queue_jobs'

const queueConfig = defineConfig({
  default: queueDriver,
  adapters: {
    database: drivers.database({ tableName: QUEUE_JOBS_TABLE }),
    // Only with Redis configured: resolving it opens a connection.
    ...(redisEnabled ? { redis: drivers.redis({ connectionName: 'queue' }) } : {}),
    // Scheduled runs execute through it, in the process that claimed the tick.
    sync: drivers.sync(),
  },
  worker: {
    concurrency: 2,
    idleDelay: '1s',
    // `queue:work` stops on SIGTERM/SIGINT after the jobs in hand; the worker
    // inside app processes is stopped by the app's own shutdown instead.
    gracefulShutdown: true,
  },
  // A job's own `static options` (maxRetries, retry.backoff) win over this.
  retry: {
    maxRetries: 3,
    backoff: exponentialBackoff({ baseDelay: '10s', maxDelay: '10m', multiplier: 3 }),
  },
  // Failed jobs are kept by the kernel (failed_jobs); the queue forgets them.
  defaultJobOptions: { removeOnComplete: true, removeOnFail: true },
  // Job classes come from module manifests, registered at boot.
  locations: [],
})

export default queueConfig
