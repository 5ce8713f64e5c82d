import { Locator } from '@adonisjs/queue'
import type { ModuleRegistry } from '../modules/registry.js'
import type { ModuleManager } from '../modules/module_manager.js'
import type { ScheduleDeclaration } from '../modules/define_module.js'
import { ModuleError } from '../modules/errors.js'
import { isModuleJobClass, type ModuleJob } from './module_job.js'

/** What decides whether a job's or schedule's owner is enabled (a module manager, or the kernel's). */
export type OwnerGate = Pick<ModuleManager, 'isEnabled'>

/** The kernel is always on: its own jobs and schedules always run. */
const kernelGate: OwnerGate = { isEnabled: async () => true }

export interface RegisteredJob {
  /** `<module>.<key>`: the name the queue knows it by */
  name: string
  module: string
  key: string
  jobClass: typeof ModuleJob
  /** The manager that knows whether its module is enabled */
  manager: OwnerGate
}

export interface RegisteredSchedule extends ScheduleDeclaration {
  /** `<module>.<key>`: the name runs are logged under */
  name: string
  module: string
  /** `<module>.<job key>` */
  jobName: string
  manager: OwnerGate
}

/** The queue name of a module's job. */
export function jobName(module: string, key: string) {
  return `${module}.${key}`
}

/**
 * Every job and schedule of every module on disk. Job classes are imported
 * and registered with the queue at boot (a worker can only run a job whose
 * class it knows); whether one runs is decided when it runs, by its module's
 * state (see ModuleJob).
 */
export class JobCatalog {
  #jobs = new Map<string, RegisteredJob>()
  #schedules: RegisteredSchedule[] = []
  #sources = new Set<ModuleRegistry>()

  /** Registers the jobs and schedules of the app's modules (replacing what was known). */
  async load(registry: ModuleRegistry, manager: ModuleManager) {
    this.#jobs.clear()
    this.#schedules = []
    this.#sources.clear()
    await this.#addKernel()
    await this.add(registry, manager)
  }

  /** The kernel's own jobs and schedules (`kernel.<key>`, see kernel_jobs.ts). */
  async #addKernel() {
    const { KERNEL_JOBS, KERNEL_SCHEDULES } = await import('./kernel_jobs.js')
    for (const [key, jobClass] of Object.entries(KERNEL_JOBS)) {
      const name = jobName('kernel', key)
      jobClass.options = { ...jobClass.options, name }
      jobClass.module = 'kernel'
      Locator.register(name, jobClass as any)
      this.#jobs.set(name, { name, module: 'kernel', key, jobClass, manager: kernelGate })
    }
    this.#schedules.push(
      ...KERNEL_SCHEDULES.map((schedule) => ({
        ...schedule,
        name: `kernel.${schedule.key}`,
        module: 'kernel',
        jobName: jobName('kernel', schedule.job),
        manager: kernelGate,
      }))
    )
  }

  /**
   * Adds the jobs and schedules of modules discovered elsewhere (test
   * fixtures), gated by their own manager.
   */
  async add(registry: ModuleRegistry, manager: ModuleManager) {
    const jobs: RegisteredJob[] = []
    for (const manifest of registry.all()) {
      for (const [key, load] of Object.entries(manifest.jobs ?? {})) {
        const name = jobName(manifest.name, key)
        let exported: unknown
        try {
          exported = (await load()).default
        } catch (error) {
          throw new ModuleError(
            `Module "${manifest.name}": cannot load job "${key}": ${(error as Error).message}`
          )
        }
        if (!isModuleJobClass(exported)) {
          throw new ModuleError(
            `Module "${manifest.name}": invalid manifest: "jobs.${key}" must load a class extending ModuleJob (#kernel/jobs/module_job)`
          )
        }
        // The queue names a job after `options.name`: the kernel's name wins,
        // so two modules may both have a job class called SyncJob.
        exported.options = { ...exported.options, name }
        exported.module = manifest.name
        exported.moduleEnabled = () => manager.isEnabled(manifest.name)
        jobs.push({ name, module: manifest.name, key, jobClass: exported, manager })
      }
    }
    for (const job of jobs) {
      Locator.register(job.name, job.jobClass as any)
      this.#jobs.set(job.name, job)
    }
    this.#schedules.push(
      ...registry.all().flatMap((manifest) =>
        (manifest.schedules ?? []).map((schedule) => ({
          ...schedule,
          name: `${manifest.name}.${schedule.key}`,
          module: manifest.name,
          jobName: jobName(manifest.name, schedule.job),
          manager,
        }))
      )
    )
    this.#sources.add(registry)
  }

  /** Forgets what `add` brought from this registry. */
  remove(registry: ModuleRegistry) {
    const names = new Set(registry.all().map((m) => m.name))
    for (const [name, job] of this.#jobs) if (names.has(job.module)) this.#jobs.delete(name)
    this.#schedules = this.#schedules.filter((s) => !names.has(s.module))
    this.#sources.delete(registry)
  }

  job(name: string): RegisteredJob | undefined {
    return this.#jobs.get(name)
  }

  jobs(): RegisteredJob[] {
    return [...this.#jobs.values()]
  }

  schedules(): readonly RegisteredSchedule[] {
    return this.#schedules
  }
}

const catalog = new JobCatalog()
export default catalog
