import { pathToFileURL } from 'node:url'
import { existsSync } from 'node:fs'
import type {
  ModuleManifest,
  PermissionDeclaration,
  MenuEntry,
  WidgetDeclaration,
  NotificationTypeDeclaration,
} from './define_module.js'
import { validateManifest, sortByDependencies } from './manifest.js'
import { MODULES_ROOT, moduleFolders } from './paths.js'
import { ModuleError } from './errors.js'
import { KERNEL_PERMISSIONS } from '../security/kernel_permissions.js'
import { KERNEL_NOTIFICATION_TYPES } from '../notifications/kernel_types.js'

/**
 * Every module on disk, validated and sorted by dependencies. Filled once at
 * boot: routes, listeners and commands of all modules are registered then,
 * and whether a module is enabled is decided per request (see ModuleManager).
 */
export class ModuleRegistry {
  #manifests: ModuleManifest[] = []
  #byName = new Map<string, ModuleManifest>()
  #folders = new Map<string, string>()
  #loaded = false

  get loaded() {
    return this.#loaded
  }

  /** Reads and checks every `modules/<name>/module.ts`. */
  async discover(root = MODULES_ROOT, folders = moduleFolders()) {
    if (!root.endsWith('/')) root = `${root}/`
    const manifests: ModuleManifest[] = []
    const paths = new Map<string, string>()
    for (const folder of folders) {
      const file = existsSync(`${root}${folder}/module.ts`)
        ? `${root}${folder}/module.ts`
        : `${root}${folder}/module.js`
      let exported: unknown
      try {
        exported = (await import(pathToFileURL(file).href)).default
      } catch (error) {
        throw new ModuleError(
          `Module "${folder}": cannot load module.ts: ${(error as Error).message}`
        )
      }
      manifests.push(validateManifest(exported, folder))
      paths.set(folder, `${root}${folder}`)
    }
    this.load(manifests, paths)
  }

  /**
   * Replaces the known manifests (used by discovery and by tests). `folders`
   * maps a module name to its folder when it is not `modules/<name>`.
   */
  load(manifests: ModuleManifest[], folders: ReadonlyMap<string, string> = new Map()) {
    this.#manifests = sortByDependencies(manifests)
    this.#byName = new Map(this.#manifests.map((m) => [m.name, m]))
    this.#folders = new Map(
      this.#manifests.map((m) => [m.name, folders.get(m.name) ?? `${MODULES_ROOT}${m.name}`])
    )
    this.#loaded = true
  }

  /** The absolute path of a module's folder (no trailing slash). */
  folderOf(name: string): string {
    this.get(name)
    return this.#folders.get(name)!
  }

  /** All manifests, dependencies first. */
  all(): readonly ModuleManifest[] {
    return this.#manifests
  }

  has(name: string) {
    return this.#byName.has(name)
  }

  get(name: string): ModuleManifest {
    const manifest = this.#byName.get(name)
    if (!manifest) {
      const known = this.#manifests.map((m) => m.name).join(', ') || 'none'
      throw new ModuleError(`Unknown module "${name}" (modules on disk: ${known})`)
    }
    return manifest
  }

  /** Modules that declare a hard dependency on `name`, directly. */
  dependentsOf(name: string): ModuleManifest[] {
    return this.#manifests.filter((m) => (m.depends ?? []).includes(name))
  }

  /** `name` and everything it depends on, transitively, dependencies first. */
  withDependencies(name: string): ModuleManifest[] {
    const wanted = new Set<string>()
    const walk = (n: string) => {
      if (wanted.has(n)) return
      wanted.add(n)
      for (const dep of this.get(n).depends ?? []) walk(dep)
    }
    walk(name)
    return this.#manifests.filter((m) => wanted.has(m.name))
  }

  /** Every permission: the kernel's own, then each module's. */
  permissions(): (PermissionDeclaration & { module: string })[] {
    return [
      ...KERNEL_PERMISSIONS.map((p) => ({ ...p, module: 'kernel' })),
      ...this.#manifests.flatMap((m) =>
        (m.permissions ?? []).map((p) => ({ ...p, module: m.name }))
      ),
    ]
  }

  /** Every module's dashboard widgets, in dashboard order. */
  widgets(): (WidgetDeclaration & { module: string })[] {
    return this.#manifests
      .flatMap((m) => (m.widgets ?? []).map((w) => ({ ...w, module: m.name })))
      .sort((a, b) => (a.order ?? 100) - (b.order ?? 100))
  }

  /**
   * Every notification type: the kernel's, then each module's, keyed
   * `<module>.<key>` (`kernel.<key>` for the kernel's own).
   */
  notificationTypes(): (NotificationTypeDeclaration & { module: string; type: string })[] {
    return [
      ...KERNEL_NOTIFICATION_TYPES.map((n) => ({
        ...n,
        module: 'kernel',
        type: `kernel.${n.key}`,
      })),
      ...this.#manifests.flatMap((m) =>
        (m.notifications ?? []).map((n) => ({ ...n, module: m.name, type: `${m.name}.${n.key}` }))
      ),
    ]
  }

  menu(): (MenuEntry & { module: string })[] {
    return this.#manifests
      .flatMap((m) => (m.menu ?? []).map((e) => ({ ...e, module: m.name })))
      .sort((a, b) => (a.order ?? 100) - (b.order ?? 100))
  }
}

const registry = new ModuleRegistry()
export default registry
