import { HttpContext } from '@adonisjs/core/http'
import { Exception } from '@adonisjs/core/exceptions'
import db from '@adonisjs/lucid/services/db'
import { record } from '#kernel/audit/audit'
import defaultManager, { type ModuleManager, type ModuleStatus } from './module_manager.js'
import { ModuleError } from './errors.js'

/** The audit trail's name for a module's state. */
export const MODULE_MODEL = 'kernel.module'

export interface ModuleView {
  name: string
  label: string
  description: string
  version: string
  installedVersion: string | null
  state: ModuleStatus['state']
  depends: string[]
  integrates: string[]
  dependents: string[]
  /** Dependencies, direct or not, that enabling this module would enable too */
  requires: string[]
  /** Enabled modules that depend on it: disabling it is refused while there are any */
  enabledDependents: string[]
  /** Installed modules that depend on it: uninstalling it is refused while there are any */
  installedDependents: string[]
  /** Whether the module declares per-company settings (manifest `settings`) */
  hasSettings: boolean
}

export interface UninstallPlan {
  module: string
  dryRun: boolean
  /** Tables its migrations would drop */
  tables: string[]
}

/**
 * A refusal of the module rules, as the admin pages and the API report it:
 * 409 with a code, a message in the request's language and the modules it
 * names; 404 for a module not on disk.
 */
export class ModuleRefusal extends Exception {
  constructor(
    message: string,
    public refusal: { code: string; modules: string[] },
    status = 409
  ) {
    super(message, { status, code: refusal.code })
  }
}

function t(key: string, fallback: string, data: Record<string, unknown> = {}) {
  const i18n = HttpContext.get()?.i18n
  return i18n ? i18n.t(`modules.errors.${key}`, data) : fallback
}

const quoted = (names: string[]) => names.map((n) => `"${n}"`).join(', ')

/**
 * The module manager page and /api/v1/admin/modules: the same rules and dry
 * run as the `module:*` commands (they all go through ModuleManager), checked
 * first here so that a refusal names its modules in the user's language.
 * Each action is audited; the enabled set is re-read by this process at once.
 */
export class ModuleAdmin {
  #manager: ModuleManager

  constructor(manager: ModuleManager = defaultManager) {
    this.#manager = manager
  }

  get manager() {
    return this.#manager
  }

  /** Acts on another manager (tests use fixture modules); returns a function that restores. */
  useManager(manager: ModuleManager) {
    const previous = this.#manager
    this.#manager = manager
    return () => {
      this.#manager = previous
    }
  }

  async list(locale = 'fr'): Promise<ModuleView[]> {
    const statuses = await this.#manager.status()
    const state = new Map(statuses.map((s) => [s.name, s.state]))
    const registry = this.#manager.registry
    const lang = (label: { fr: string; en: string }) => label[locale as 'fr' | 'en'] ?? label.fr
    return statuses.map((status) => ({
      name: status.name,
      label: lang(status.label),
      description: lang(status.description),
      version: status.version,
      installedVersion: status.installedVersion,
      state: status.state,
      depends: status.depends,
      integrates: [...(registry.get(status.name).integrates ?? [])],
      dependents: status.dependents,
      requires: registry
        .withDependencies(status.name)
        .map((m) => m.name)
        .filter((n) => n !== status.name && state.get(n) !== 'enabled'),
      enabledDependents: status.dependents.filter((d) => state.get(d) === 'enabled'),
      installedDependents: status.dependents.filter((d) => state.get(d) !== 'not_installed'),
      hasSettings: registry.get(status.name).settings !== undefined,
    }))
  }

  async find(name: string, locale = 'fr'): Promise<ModuleView> {
    const module = (await this.list(locale)).find((m) => m.name === name)
    if (!module) {
      throw new ModuleRefusal(
        t('unknown', `Unknown module "${name}"`, { name }),
        { code: 'E_MODULE_UNKNOWN', modules: [name] },
        404
      )
    }
    return module
  }

  /**
   * Enables a module. Refused when it is enabled already, or when some of its
   * dependencies are not enabled and `withDependencies` is not set: the
   * refusal lists them, so the page can ask and try again with them.
   */
  async enable(name: string, options: { withDependencies?: boolean } = {}) {
    const module = await this.find(name)
    if (module.state === 'enabled') {
      throw new ModuleRefusal(
        t('already_enabled', `Module "${name}" is already enabled`, { name }),
        {
          code: 'E_MODULE_ENABLED',
          modules: [name],
        }
      )
    }
    if (module.requires.length && !options.withDependencies) {
      throw new ModuleRefusal(
        t(
          'needs_dependencies',
          `Cannot enable "${name}": it depends on ${quoted(module.requires)}, not enabled (enable them too)`,
          { name, modules: module.requires.join(', ') }
        ),
        { code: 'E_MODULE_DEPENDENCIES', modules: module.requires }
      )
    }
    const enabled = await this.#run(() => this.#manager.enable(name, options))
    for (const each of enabled) {
      await audit('module.enabled', each, module.state, {
        version: this.#manager.registry.get(each).version,
        ...(each === name ? {} : { dependencyOf: name }),
      })
    }
    return { enabled }
  }

  /** Disables a module; its data stays. Refused while an enabled module depends on it. */
  async disable(name: string) {
    const module = await this.find(name)
    if (module.state !== 'enabled') {
      throw new ModuleRefusal(t('not_enabled', `Module "${name}" is not enabled`, { name }), {
        code: 'E_MODULE_NOT_ENABLED',
        modules: [name],
      })
    }
    if (module.enabledDependents.length) {
      throw new ModuleRefusal(
        t(
          'has_enabled_dependents',
          `Cannot disable "${name}": ${quoted(module.enabledDependents)} depend on it and are enabled (disable them first)`,
          { name, modules: module.enabledDependents.join(', ') }
        ),
        { code: 'E_MODULE_DEPENDENTS', modules: module.enabledDependents }
      )
    }
    await this.#run(() => this.#manager.disable(name))
    await audit('module.disabled', name, 'enabled', {})
    return { disabled: [name] }
  }

  /** What uninstalling would drop, after the same refusals as uninstall(). */
  async uninstallPlan(name: string): Promise<UninstallPlan> {
    await this.#checkUninstall(name)
    const { tables } = await this.#run(() => this.#manager.uninstallPlan(name))
    return { module: name, dryRun: true, tables }
  }

  /** Drops a module's tables and forgets it. Refused while an installed module depends on it. */
  async uninstall(name: string): Promise<UninstallPlan> {
    const module = await this.#checkUninstall(name)
    const { tables } = await this.#run(() => this.#manager.uninstallPlan(name))
    await this.#run(() => this.#manager.uninstall(name))
    await audit('module.uninstalled', name, module.state, { tables })
    return { module: name, dryRun: false, tables }
  }

  async #checkUninstall(name: string) {
    const module = await this.find(name)
    if (module.state === 'not_installed') {
      throw new ModuleRefusal(t('not_installed', `Module "${name}" is not installed`, { name }), {
        code: 'E_MODULE_NOT_INSTALLED',
        modules: [name],
      })
    }
    if (module.installedDependents.length) {
      throw new ModuleRefusal(
        t(
          'has_installed_dependents',
          `Cannot uninstall "${name}": ${quoted(module.installedDependents)} depend on it and are installed (uninstall them first)`,
          { name, modules: module.installedDependents.join(', ') }
        ),
        { code: 'E_MODULE_DEPENDENTS', modules: module.installedDependents }
      )
    }
    return module
  }

  /** Runs a manager action; a refusal it raises itself (a rule, a failed migration) is a 409. */
  async #run<T>(action: () => Promise<T>): Promise<T> {
    try {
      return await action()
    } catch (error) {
      if (error instanceof ModuleError) {
        throw new ModuleRefusal(error.message, { code: 'E_MODULE_REFUSED', modules: [] })
      }
      throw error
    }
  }
}

/**
 * Module state belongs to the site, not to a company: its entries carry no
 * company, so every company's audit page shows them. Written after the
 * action (which is not one transaction: migrations commit file by file);
 * a failure to write is logged, never turned into a failed action.
 */
async function audit(
  event: string,
  name: string,
  before: ModuleStatus['state'],
  meta: Record<string, unknown>
) {
  const after = { 'module.enabled': 'enabled', 'module.disabled': 'disabled' }[event] ?? null
  try {
    await record(db.connection(), {
      event,
      model: MODULE_MODEL,
      recordId: name,
      before: { state: before },
      after: { state: after ?? 'not_installed' },
      meta,
      actor: { companyId: null },
    })
  } catch (error) {
    HttpContext.get()?.logger.error({ err: error, event, module: name }, 'audit entry not written')
  }
}

const moduleAdmin = new ModuleAdmin()
export default moduleAdmin
