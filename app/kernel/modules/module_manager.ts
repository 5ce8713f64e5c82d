import app from '@adonisjs/core/services/app'
import db from '@adonisjs/lucid/services/db'
import type { QueryClientContract } from '@adonisjs/lucid/types/database'
import { MigrationRunner } from '@adonisjs/lucid/migration'
import { relative } from 'node:path'
import defaultRegistry, { type ModuleRegistry } from './registry.js'
import { ModuleError } from './errors.js'
import { moduleConnectionName, moduleSchemaTable } from './paths.js'
import type { ModuleManifest } from './define_module.js'
import type { ConnectionConfig } from '@adonisjs/lucid/types/database'
import { grantDefaultPermissions, revokeModulePermissions } from '#kernel/security/roles'
import { ensureSequences } from '#kernel/numbering/numbering'
import { dbNow } from '#kernel/db/timestamp'

export type ModuleStateName = 'enabled' | 'disabled' | 'not_installed'

export interface ModuleStatus {
  name: string
  version: string
  installedVersion: string | null
  state: ModuleStateName
  depends: string[]
  dependents: string[]
  label: { fr: string; en: string }
  description: { fr: string; en: string }
}

/**
 * How long a process trusts its copy of the enabled set before re-reading the
 * `modules` table. A change made by another process (an ace command, another
 * app instance) is seen within this delay, without a restart; a change made
 * in this process is seen at once.
 */
export const MODULE_STATE_TTL_MS = 1000

/**
 * Module state kept in the database: installed, enabled, version. Enabling
 * runs the module's pending migrations (through its own Lucid connection,
 * see config/database.ts), its required data and its default grants.
 * Disabling keeps every row.
 */
export class ModuleManager {
  #registry: ModuleRegistry
  #enabled = new Set<string>()
  #loadedAt = 0
  #refreshing: Promise<void> | null = null

  /**
   * The app uses one manager over the registry of `modules/`; another
   * registry (modules discovered elsewhere, or loaded from manifests) gets
   * its own manager with the same behaviour.
   */
  constructor(registry: ModuleRegistry = defaultRegistry) {
    this.#registry = registry
  }

  get registry(): ModuleRegistry {
    return this.#registry
  }

  /**
   * The enabled set, re-read when older than MODULE_STATE_TTL_MS. Code running
   * inside a transaction passes its client: on SQLite the pool has a single
   * connection, which the transaction holds, so a read through the pool would
   * wait for it forever.
   */
  async enabledSet(client?: QueryClientContract): Promise<ReadonlySet<string>> {
    if (Date.now() - this.#loadedAt > MODULE_STATE_TTL_MS) await this.refresh(client)
    return this.#enabled
  }

  async isEnabled(name: string, client?: QueryClientContract) {
    return (await this.enabledSet(client)).has(name)
  }

  /** The last known enabled set, without touching the database. */
  cachedEnabledSet(): ReadonlySet<string> {
    return this.#enabled
  }

  refresh(client?: QueryClientContract): Promise<void> {
    if (client) return this.#read(client)
    if (!this.#refreshing) {
      const refreshing = this.#read(db.connection()).finally(() => {
        if (this.#refreshing === refreshing) this.#refreshing = null
      })
      this.#refreshing = refreshing
      return refreshing
    }
    return this.#refreshing
  }

  /**
   * Bumped by every change: a read that started before a change may return
   * the old set, which must not then pass for fresh.
   */
  #generation = 0

  async #read(client: QueryClientContract): Promise<void> {
    const generation = this.#generation
    const rows = await client.from('modules').where('enabled', true).select('name')
    if (generation !== this.#generation) return this.#read(client)
    this.#enabled = new Set(
      rows.map((row) => row.name as string).filter((n) => this.#registry.has(n))
    )
    this.#loadedAt = Date.now()
  }

  /** Forgets this process's copy and tells the other processes (see `announceChangesWith`). */
  invalidate() {
    this.forget()
    this.#announce?.()
  }

  /** Forgets this process's copy: another process announced a change. */
  forget() {
    this.#loadedAt = 0
    this.#generation += 1
    this.#refreshing = null
  }

  #announce: (() => void) | null = null

  /**
   * With Redis, a change is announced on a channel every app instance listens
   * to, so it applies at once rather than within MODULE_STATE_TTL_MS.
   */
  announceChangesWith(announce: () => void) {
    this.#announce = announce
  }

  async status(): Promise<ModuleStatus[]> {
    const rows = await db.from('modules').select('name', 'version', 'enabled')
    const byName = new Map(rows.map((row) => [row.name as string, row]))
    return this.#registry.all().map((m) => {
      const row = byName.get(m.name)
      return {
        name: m.name,
        version: m.version,
        installedVersion: row ? (row.version as string) : null,
        state: !row ? 'not_installed' : row.enabled ? 'enabled' : 'disabled',
        depends: m.depends ?? [],
        dependents: this.#registry.dependentsOf(m.name).map((d) => d.name),
        label: m.label,
        description: m.description,
      }
    })
  }

  async stateOf(name: string): Promise<ModuleStateName> {
    this.#registry.get(name)
    const row = await db.from('modules').where('name', name).first()
    return !row ? 'not_installed' : row.enabled ? 'enabled' : 'disabled'
  }

  /**
   * Enables a module. Refuses when a dependency is not enabled, naming them,
   * unless `withDependencies` is set: then they are enabled first, in order.
   * Returns the names enabled by this call.
   */
  async enable(name: string, options: { withDependencies?: boolean } = {}): Promise<string[]> {
    const chain = this.#registry.withDependencies(name)
    const states = new Map((await this.status()).map((s) => [s.name, s.state]))
    const missing = chain
      .filter((m) => m.name !== name && states.get(m.name) !== 'enabled')
      .map((m) => m.name)
    if (missing.length && !options.withDependencies) {
      throw new ModuleError(
        `Cannot enable "${name}": it depends on ${missing.map((n) => `"${n}"`).join(', ')}, which ${
          missing.length > 1 ? 'are' : 'is'
        } not enabled (enable ${missing.length > 1 ? 'them' : 'it'} first, or pass --with-dependencies)`
      )
    }
    const enabled: string[] = []
    for (const manifest of chain) {
      if (states.get(manifest.name) === 'enabled' && manifest.name !== name) continue
      await this.#enableOne(manifest, states.get(manifest.name) ?? 'not_installed')
      enabled.push(manifest.name)
    }
    this.invalidate()
    return enabled
  }

  async #enableOne(manifest: ModuleManifest, state: ModuleStateName) {
    const row = await db.from('modules').where('name', manifest.name).first()
    await this.migrate(manifest.name)

    const ctx = { app, client: db.connection() }
    if (state === 'not_installed' && manifest.install) await manifest.install(ctx)
    if (row && row.version !== manifest.version && manifest.upgrade) {
      await manifest.upgrade({ ...ctx, from: row.version })
    }

    await db.transaction(async (trx) => {
      // Default grants on first install only: an admin's later changes stand.
      if (!row) await grantDefaultPermissions(manifest, trx)
      const companies = await trx.from('companies').select('id')
      for (const company of companies) {
        await ensureSequences(manifest, company.id, trx)
        if (manifest.seed) await manifest.seed({ app, client: trx, companyId: company.id })
      }
      const now = dbNow(trx)
      if (row) {
        await trx
          .from('modules')
          .where('name', manifest.name)
          .update({ enabled: true, version: manifest.version, updated_at: now })
      } else {
        await trx.table('modules').insert({
          name: manifest.name,
          version: manifest.version,
          enabled: true,
          installed_at: now,
          updated_at: now,
        })
      }
    })
    if (manifest.enable) await manifest.enable(ctx)
  }

  /** Disables a module; its data stays. Refuses while an enabled module depends on it. */
  async disable(name: string) {
    const manifest = this.#registry.get(name)
    const state = await this.stateOf(name)
    if (state !== 'enabled') throw new ModuleError(`Module "${name}" is not enabled`)
    const enabled = await this.#enabledInDb()
    const blockers = this.#registry
      .dependentsOf(name)
      .map((d) => d.name)
      .filter((d) => enabled.has(d))
    if (blockers.length) {
      throw new ModuleError(
        `Cannot disable "${name}": ${blockers.map((b) => `"${b}"`).join(', ')} depend${
          blockers.length > 1 ? '' : 's'
        } on it and ${blockers.length > 1 ? 'are' : 'is'} enabled (disable ${
          blockers.length > 1 ? 'them' : 'it'
        } first)`
      )
    }
    await db.from('modules').where('name', name).update({ enabled: false, updated_at: dbNow() })
    if (manifest.disable) await manifest.disable({ app, client: db.connection() })
    this.invalidate()
  }

  /** What uninstalling would drop: the module's tables, from a dry run of its migrations. */
  async uninstallPlan(name: string): Promise<{ tables: string[]; queries: string[] }> {
    this.#registry.get(name)
    const runner = new MigrationRunner(db, app, {
      direction: 'down',
      batch: 0,
      connectionName: this.#connection(name),
      dryRun: true,
    })
    await runner.run()
    if (runner.error) throw runner.error
    const queries = Object.values(runner.migratedFiles).flatMap((file) =>
      (file.queries ?? []).map((q) => String(q))
    )
    const tables = [
      ...new Set(
        queries.flatMap((q) =>
          [...q.matchAll(/drop table(?: if exists)?\s+[`"]?([\w.]+)[`"]?/gi)].map((m) => m[1])
        )
      ),
    ]
    return { tables, queries }
  }

  /** Refuses, as uninstall() would, while an installed module depends on `name`. */
  async checkUninstall(name: string) {
    this.#registry.get(name)
    const statuses = await this.status()
    const blockers = this.#registry
      .dependentsOf(name)
      .map((d) => d.name)
      .filter((d) => statuses.find((s) => s.name === d)?.state !== 'not_installed')
    if (blockers.length) {
      throw new ModuleError(
        `Cannot uninstall "${name}": ${blockers.map((b) => `"${b}"`).join(', ')} depend${
          blockers.length > 1 ? '' : 's'
        } on it and ${blockers.length > 1 ? 'are' : 'is'} installed (uninstall ${
          blockers.length > 1 ? 'them' : 'it'
        } first)`
      )
    }
  }

  /** Drops a module's tables and forgets it. Refuses while an installed module depends on it. */
  async uninstall(name: string) {
    const manifest = this.#registry.get(name)
    await this.checkUninstall(name)
    if (manifest.uninstall) await manifest.uninstall({ app, client: db.connection() })
    const runner = new MigrationRunner(db, app, {
      direction: 'down',
      batch: 0,
      connectionName: this.#connection(name),
    })
    await runner.run()
    if (runner.error) throw runner.error
    const schema = db.connection(this.#connection(name)).schema
    await schema.dropTableIfExists(moduleSchemaTable(name))
    await schema.dropTableIfExists(`${moduleSchemaTable(name)}_versions`)
    await db.transaction(async (trx) => {
      await revokeModulePermissions(manifest, trx)
      await trx.from('modules').where('name', name).delete()
    })
    this.invalidate()
  }

  /** Runs a module's pending migrations on its own connection. */
  async migrate(name: string) {
    const runner = new MigrationRunner(db, app, {
      direction: 'up',
      connectionName: this.#connection(name),
    })
    await runner.run()
    if (runner.error) {
      // Each migration file commits on its own: undo the ones this run applied,
      // so a failed enable leaves the schema as it found it.
      const applied = Object.values(runner.migratedFiles).filter((f) => f.status === 'completed')
      if (applied.length) {
        const undo = new MigrationRunner(db, app, {
          direction: 'down',
          step: applied.length,
          connectionName: this.#connection(name),
        })
        await undo.run()
      }
      throw new ModuleError(`Module "${name}": migration failed: ${runner.error.message}`)
    }
    return Object.keys(runner.migratedFiles)
  }

  /**
   * First boot of a site: enables the default set (MODULES, with their
   * dependencies). Later boots: runs pending migrations of enabled modules
   * whose code moved to a newer version.
   */
  async bootstrap(defaults: string[]) {
    const count = await db.from('modules').count('* as total')
    if (Number(count[0].total) === 0) {
      for (const name of defaults) {
        if (!this.#registry.has(name)) {
          throw new ModuleError(`MODULES names "${name}", which is not a module on disk`)
        }
        await this.enable(name, { withDependencies: true })
      }
      return
    }
    const rows = await db.from('modules').where('enabled', true).select('name', 'version')
    for (const row of rows) {
      if (!this.#registry.has(row.name)) continue
      const manifest = this.#registry.get(row.name)
      const pending = await this.migrate(row.name)
      if (pending.length || manifest.version !== row.version) {
        await this.#enableOne(manifest, 'enabled')
      }
    }
    this.invalidate()
  }

  /**
   * The Lucid connection that carries a module's migrations. config/database.ts
   * declares one per folder of `modules/` when the process starts; a module
   * outside them (discovered from another folder, or created since) gets one
   * here, built the same way: the primary connection with the module's own
   * migration folder, relative to the app root as recorded names are.
   */
  #connection(name: string): string {
    const connectionName = moduleConnectionName(name)
    if (!db.manager.has(connectionName)) {
      const primary = db.manager.get(db.primaryConnectionName)!.config
      const folder = relative(
        app.makePath(),
        `${this.#registry.folderOf(name)}/database/migrations`
      )
      db.manager.add(connectionName, {
        ...primary,
        ...(primary.client === 'pg' ? { pool: { min: 0, max: 2 } } : {}),
        seeders: undefined,
        migrations: { naturalSort: true, paths: [folder], tableName: moduleSchemaTable(name) },
      } as ConnectionConfig)
    }
    return connectionName
  }

  async #enabledInDb() {
    const rows = await db.from('modules').where('enabled', true).select('name')
    return new Set(rows.map((r) => r.name as string))
  }
}

const moduleManager = new ModuleManager()
export default moduleManager
