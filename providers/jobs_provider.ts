import type { ApplicationService } from '@adonisjs/core/types'

/**
 * Registers the jobs of every module on disk with the queue, at boot, in
 * every process (app, `queue:work`, commands). App processes then run the
 * scheduler and, with the embedded database queue, a worker of their own
 * (config/queue.ts says which).
 */
export default class JobsProvider {
  constructor(protected app: ApplicationService) {}

  #worker = false
  #scheduler = false

  async boot() {
    const { default: registry } = await import('#kernel/modules/registry')
    const { default: moduleManager } = await import('#kernel/modules/module_manager')
    const { default: catalog } = await import('#kernel/jobs/catalog')
    // The queue must be initialised before classes register with it.
    await this.app.container.make('queue.manager')
    await catalog.load(registry, moduleManager)
    // Tests that start app processes give them fixture modules (jobs and
    // schedules only, gated by their own manager) through this variable.
    const fixtures = process.env.TEST_JOB_MODULES
    if (this.app.inTest && fixtures) {
      const { ModuleRegistry } = await import('#kernel/modules/registry')
      const { ModuleManager } = await import('#kernel/modules/module_manager')
      const { readdirSync } = await import('node:fs')
      const fixtureRegistry = new ModuleRegistry()
      await fixtureRegistry.discover(fixtures, readdirSync(fixtures).sort())
      await catalog.add(fixtureRegistry, new ModuleManager(fixtureRegistry))
    }
  }

  async ready() {
    if (this.app.getEnvironment() !== 'web') return
    const { queueWorker, schedulerEnabled } = await import('#config/queue')
    // A SIGTERM may arrive while this is still starting (the server already
    // answers): nothing is started after shutdown began, or it would keep the
    // process alive.
    if (queueWorker === 'inline' && !this.#closing) {
      const { startWorker, stopWorker } = await import('#kernel/jobs/worker')
      await startWorker()
      this.#worker = true
      if (this.#closing) await stopWorker()
    }
    if (schedulerEnabled && !this.#closing) {
      const { default: scheduler } = await import('#kernel/jobs/scheduler')
      scheduler.start()
      this.#scheduler = true
    }
  }

  #closing = false

  async shutdown() {
    this.#closing = true
    if (this.#scheduler) {
      const { default: scheduler } = await import('#kernel/jobs/scheduler')
      await scheduler.stop()
    }
    if (this.#worker) {
      const { stopWorker } = await import('#kernel/jobs/worker')
      await stopWorker()
    }
  }
}
