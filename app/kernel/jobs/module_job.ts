import { Job } from '@adonisjs/queue'
import logger from '@adonisjs/core/services/logger'
import { recordFailure } from './failed_jobs.js'

/**
 * The base of every job a module declares in its manifest (`jobs`). Write
 * the work in `handle()`; `this.payload` holds what was dispatched and
 * `this.context.attempt` the attempt number. Retries and backoff come from
 * `static options` (`maxRetries`, `retry.backoff`), the queue config
 * otherwise.
 *
 * The kernel wraps the queue's `execute` and `failed` hooks: a job of a
 * disabled module does not run (it is dropped, with a log line), and a job
 * out of retries is kept in `failed_jobs`, where admins retry or discard it.
 * Use `onFailure()` for a module's own reaction to a final failure.
 */
export abstract class ModuleJob<Payload = Record<string, unknown>> extends Job<Payload> {
  /** The declaring module, set by the kernel when it registers the job at boot */
  static module?: string
  /** Whether that module is enabled right now, also set by the kernel */
  static moduleEnabled?: () => Promise<boolean>

  abstract handle(): Promise<void>

  /** Called once, after the last attempt failed and the failure was recorded. */
  onFailure?(error: Error): void | Promise<void>

  async execute() {
    const { module, moduleEnabled } = this.constructor as typeof ModuleJob
    if (moduleEnabled && !(await moduleEnabled())) {
      logger.info({ job: this.context?.name, module }, 'job dropped: its module is disabled')
      return
    }
    await this.handle()
  }

  async failed(error: Error) {
    await recordFailure(this, error)
    await this.onFailure?.(error)
  }
}

/** Whether a value is a job class the kernel can register (a subclass of ModuleJob). */
export function isModuleJobClass(value: unknown): value is typeof ModuleJob {
  return typeof value === 'function' && value.prototype instanceof ModuleJob
}
