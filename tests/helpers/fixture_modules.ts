import { mkdirSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import app from '@adonisjs/core/services/app'
import db from '@adonisjs/lucid/services/db'
import { ModuleRegistry } from '#kernel/modules/registry'
import { ModuleManager } from '#kernel/modules/module_manager'
import { moduleConnectionName } from '#kernel/modules/paths'

export interface FixtureModule {
  name: string
  depends?: string[]
  /** Tables its one migration creates */
  tables?: string[]
  /** Permissions it declares, granted to staff by default */
  permissions?: string[]
  /** Adds a second migration that fails after creating this table */
  failingMigration?: string
  /** Jobs it declares: key → the source of `modules/<name>/jobs/<key>.ts` */
  jobs?: Record<string, string>
  /** Schedules it declares (`{ key, cron, job, payload? }`) */
  schedules?: { key: string; cron: string; job: string; payload?: Record<string, unknown> }[]
}

/**
 * A job for fixture modules: each attempt is appended to
 * `globalThis.__jobProbe` (tests run the worker in their own process), and
 * the first `failTimes` attempts with its label throw, whichever dispatch
 * they belong to. Two retries, 300 ms apart.
 */
export const PROBE_JOB = `import { fixedBackoff } from '@adonisjs/queue'
import { ModuleJob } from '#kernel/jobs/module_job'

export default class ProbeJob extends ModuleJob<{ label: string; failTimes?: number }> {
  static options = { maxRetries: 2, retry: { backoff: fixedBackoff('300ms') } }

  async handle() {
    const log = ((globalThis as any).__jobProbe ??= [])
    log.push({ label: this.payload.label, attempt: this.context.attempt, at: Date.now() })
    // Counted per label, across dispatches: a job retried by an admin goes on counting.
    const made = log.filter((entry: { label: string }) => entry.label === this.payload.label)
    if (made.length <= (this.payload.failTimes ?? 0)) {
      throw new Error(\`probe failure on attempt \${this.context.attempt}\`)
    }
  }
}
`

/** The attempts fixture probe jobs made in this process (see PROBE_JOB). */
export function probeAttempts(label?: string): { label: string; attempt: number; at: number }[] {
  const log = ((globalThis as any).__jobProbe ?? []) as {
    label: string
    attempt: number
    at: number
  }[]
  return label === undefined ? log : log.filter((entry) => entry.label === label)
}

/**
 * Small modules written to a folder of their own under tmp/ (inside the
 * project, so their imports resolve), discovered by a registry of their own
 * and driven by a ModuleManager of their own: they share the test database
 * but never appear in the app's registry, routes or menus.
 */
export async function createFixtureModules(label: string, modules: FixtureModule[]) {
  const root = app.makePath('tmp', `fixture-modules-${label}-${process.pid}`)
  rmSync(root, { recursive: true, force: true })
  for (const m of modules) {
    const folder = join(root, m.name)
    mkdirSync(join(folder, 'database/migrations'), { recursive: true })
    const manifest = {
      name: m.name,
      version: '1.0.0',
      label: { fr: m.name, en: m.name },
      description: { fr: `Module ${m.name}`, en: `${m.name} module` },
      depends: m.depends ?? [],
      permissions: (m.permissions ?? []).map((key) => ({
        key,
        label: { fr: key, en: key },
        defaults: ['staff'],
      })),
    }
    const jobs = Object.keys(m.jobs ?? {})
    const jobsSource = jobs.length
      ? `\n  jobs: {\n${jobs.map((key) => `    ${key}: () => import('./jobs/${key}.js'),`).join('\n')}\n  },`
      : ''
    writeFileSync(
      join(folder, 'module.ts'),
      `export default {\n  ...${JSON.stringify({ ...manifest, schedules: m.schedules ?? [] }, null, 2)},${jobsSource}\n}\n`
    )
    if (jobs.length) mkdirSync(join(folder, 'jobs'), { recursive: true })
    for (const key of jobs) writeFileSync(join(folder, 'jobs', `${key}.ts`), m.jobs![key])
    if (m.tables?.length) {
      const create = m.tables
        .map((t) => `    this.schema.createTable('${t}', (table) => table.increments('id'))`)
        .join('\n')
      const drop = [...m.tables]
        .reverse()
        .map((t) => `    this.schema.dropTable('${t}')`)
        .join('\n')
      writeFileSync(
        join(folder, `database/migrations/1000_create_${m.name}_tables.ts`),
        `import { BaseSchema } from '@adonisjs/lucid/schema'

export default class extends BaseSchema {
  async up() {
${create}
  }

  async down() {
${drop}
  }
}
`
      )
    }
    if (m.failingMigration) {
      writeFileSync(
        join(folder, `database/migrations/2000_broken_${m.name}.ts`),
        `import { BaseSchema } from '@adonisjs/lucid/schema'

export default class extends BaseSchema {
  async up() {
    this.schema.createTable('${m.failingMigration}', (table) => table.increments('id'))
    this.schema.raw('this is not SQL')
  }

  async down() {
    this.schema.dropTableIfExists('${m.failingMigration}')
  }
}
`
      )
    }
  }
  const registry = new ModuleRegistry()
  await registry.discover(
    root,
    modules.map((m) => m.name)
  )
  const manager = new ModuleManager(registry)

  /** Uninstalls whatever is installed (dependents first), closes their connections, removes the files. */
  async function cleanup() {
    for (const manifest of [...registry.all()].reverse()) {
      if ((await manager.stateOf(manifest.name)) !== 'not_installed') {
        await manager.uninstall(manifest.name)
      }
    }
    for (const manifest of registry.all()) {
      const connection = moduleConnectionName(manifest.name)
      if (db.manager.has(connection)) await db.manager.close(connection, true)
    }
    rmSync(root, { recursive: true, force: true })
  }

  return { root, registry, manager, cleanup }
}
