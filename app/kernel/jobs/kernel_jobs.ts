import logger from '@adonisjs/core/services/logger'
import type { ScheduleDeclaration } from '../modules/define_module.js'
import { ModuleJob } from './module_job.js'

/**
 * The kernel's own jobs and schedules, registered by the job catalog next to
 * the modules' ones as `kernel.<key>` (always enabled): its housekeeping.
 */

/** Delivers what a crash left owed: workflow notify/email actions, notification mails. */
class SweepDeliveries extends ModuleJob {
  // The next tick is the retry: a failed sweep must not sleep through backoffs.
  static options = { maxRetries: 0 }

  async handle() {
    const { sweepDeliveries } = await import('#kernel/notifications/sweep')
    const swept = await sweepDeliveries()
    if (swept.workflow || swept.mails || swept.failed || swept.interrupted) {
      logger.info(swept, 'owed deliveries swept')
    }
  }
}

/** An admin's retry of a delivery the kernel gave up on (listed with the failed jobs). */
class Redeliver extends ModuleJob<{ delivery: 'mail' | 'workflow'; id: number }> {
  static options = { maxRetries: 0 }

  async handle() {
    const { redeliver } = await import('#kernel/notifications/sweep')
    await redeliver(this.payload.delivery, Number(this.payload.id))
  }
}

/** Removes import uploads nobody applied within the retention period. */
class DiscardImports extends ModuleJob {
  static options = { maxRetries: 0 }

  async handle() {
    const { discardAbandonedImports } = await import('#kernel/imports/retention')
    await discardAbandonedImports()
  }
}

/** Forgets scheduled runs past their retention (the delivery sweep alone logs one a minute). */
class PruneScheduleRuns extends ModuleJob {
  static options = { maxRetries: 0 }

  async handle() {
    const { pruneScheduleRuns } = await import('./scheduler.js')
    const pruned = await pruneScheduleRuns()
    if (pruned) logger.info({ pruned }, 'old scheduled runs forgotten')
  }
}

export const KERNEL_JOBS: Record<string, typeof ModuleJob<any>> = {
  sweep_deliveries: SweepDeliveries,
  redeliver: Redeliver,
  discard_imports: DiscardImports,
  prune_schedule_runs: PruneScheduleRuns,
}

export const KERNEL_SCHEDULES: ScheduleDeclaration[] = [
  // Past the grace period only, so it never races the after-commit delivery.
  { key: 'deliveries', cron: '* * * * *', job: 'sweep_deliveries' },
  { key: 'imports', cron: '40 3 * * *', job: 'discard_imports' },
  { key: 'runs', cron: '50 3 * * *', job: 'prune_schedule_runs' },
]
