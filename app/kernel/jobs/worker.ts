import app from '@adonisjs/core/services/app'
import logger from '@adonisjs/core/services/logger'
import { Worker } from '@adonisjs/queue'

let running: { worker: Worker; done: Promise<void> } | null = null

/** The queue config with its adapters resolved, as `node ace queue:work` builds it. */
async function workerConfig() {
  const config = app.config.get<any>('queue')
  const adapters: Record<string, any> = {}
  for (const [name, adapter] of Object.entries<any>(config.adapters)) {
    adapters[name] = typeof adapter === 'function' ? adapter : await adapter.resolver(app)
  }
  return {
    ...config,
    autoLoadJobs: false,
    adapters,
    jobFactory: (JobClass: any) => app.container.make(JobClass),
    logger,
    // The app's shutdown stops it (stopWorker), after the HTTP server.
    worker: { ...config.worker, gracefulShutdown: false },
  }
}

/**
 * Runs a queue worker inside this process (the embedded default: app
 * processes work their own database queue, no `queue:work` needed). Runs
 * until `stopWorker()`; calling it twice keeps the first one.
 */
export async function startWorker(queues = ['default']) {
  if (running) return running.worker
  const worker = new Worker(await workerConfig())
  // Initialised before its loop starts, so a stopWorker() right after this
  // returns finds the loop running and ends it.
  await worker.init()
  const done = worker.start(queues).catch((error) => {
    logger.error({ err: error }, 'the job worker stopped')
  })
  running = { worker, done }
  return worker
}

/** Stops the in-process worker, waiting for the jobs it is running. */
export async function stopWorker() {
  if (!running) return
  const { worker, done } = running
  running = null
  await worker.stop()
  await done
}
