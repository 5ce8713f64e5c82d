import registry from '#kernel/modules/registry'
import type {
  PermissionDeclaration,
  RecordDeclaration,
  ModuleManifest,
} from '#kernel/modules/define_module'

export type CatalogPermission = PermissionDeclaration & { module: string }

/**
 * Whether a grant of `permission` carries a record scope: the manifest says
 * so explicitly, or it is a module permission that acts on existing records
 * (everything but `.create`). Kernel permissions guard settings, not records.
 */
export function isScopable(permission: CatalogPermission): boolean {
  if (permission.scoped !== undefined) return permission.scoped
  return permission.module !== 'kernel' && !permission.key.endsWith('.create')
}

/** Every declared permission by key. */
export function permissionIndex(): Map<string, CatalogPermission> {
  return new Map(registry.permissions().map((p) => [p.key, p]))
}

/** Every module's record declarations, with the module they come from. */
export function recordDeclarations(): (RecordDeclaration & { module: string })[] {
  return registry
    .all()
    .flatMap((m: ModuleManifest) => (m.records ?? []).map((r) => ({ ...r, module: m.name })))
}

export function recordDeclaration(model: string) {
  return recordDeclarations().find((r) => r.model === model)
}

/**
 * The permissions grouped by module, labelled in `locale`, as the matrix
 * editor and the explainer show them: the kernel first, then the modules in
 * dependency order.
 */
export function permissionGroups(locale: string) {
  const lang = (locale === 'en' ? 'en' : 'fr') as 'fr' | 'en'
  const groups: {
    module: string
    label: string
    permissions: { key: string; label: string; scopable: boolean }[]
  }[] = []
  for (const permission of registry.permissions()) {
    let group = groups.find((g) => g.module === permission.module)
    if (!group) {
      const label =
        permission.module === 'kernel'
          ? lang === 'fr'
            ? 'Noyau'
            : 'Kernel'
          : registry.get(permission.module).label[lang]
      group = { module: permission.module, label, permissions: [] }
      groups.push(group)
    }
    group.permissions.push({
      key: permission.key,
      label: permission.label[lang] ?? permission.label.fr,
      scopable: isScopable(permission),
    })
  }
  return groups
}
