import { existsSync, readdirSync } from 'node:fs'
import { fileURLToPath } from 'node:url'

/**
 * Where modules live and how their folders are named. Read synchronously, so
 * configuration files (database connections, i18n loaders) can use it at load time.
 */
export const MODULES_ROOT = fileURLToPath(new URL('../../../modules/', import.meta.url))

export const MODULE_NAME_PATTERN = /^[a-z][a-z0-9_-]*$/

/** Folder names under `modules/` that hold a manifest, sorted by name. */
export function moduleFolders(): string[] {
  if (!existsSync(MODULES_ROOT)) return []
  return readdirSync(MODULES_ROOT, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .filter(
      (entry) =>
        existsSync(`${MODULES_ROOT}${entry.name}/module.ts`) ||
        existsSync(`${MODULES_ROOT}${entry.name}/module.js`)
    )
    .map((entry) => entry.name)
    .sort()
}

/** The Lucid connection name that carries a module's migrations. */
export function moduleConnectionName(name: string) {
  return `module_${name.replace(/-/g, '_')}`
}

/** The schema table that records a module's migrations. */
export function moduleSchemaTable(name: string) {
  return `adonis_schema_${name.replace(/-/g, '_')}`
}
