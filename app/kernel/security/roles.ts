import type { QueryClientContract } from '@adonisjs/lucid/types/database'
import db from '@adonisjs/lucid/services/db'
import { BUILTIN_ROLES, type ModuleManifest, type Label } from '../modules/define_module.js'
import { KERNEL_PERMISSIONS } from './kernel_permissions.js'
import { dbNow } from '#kernel/db/timestamp'

export const BUILTIN_ROLE_LABELS: Record<(typeof BUILTIN_ROLES)[number], Label> = {
  admin: { fr: 'Administrateur', en: 'Administrator' },
  manager: { fr: 'Responsable', en: 'Manager' },
  staff: { fr: 'Bureau', en: 'Office staff' },
  technician: { fr: 'Technicien', en: 'Technician' },
  client: { fr: 'Client (portail)', en: 'Client (portal)' },
}

/**
 * Creates the built-in roles that are missing, with the kernel's default
 * grants. Roles that exist are left as the admin shaped them.
 */
export async function ensureBuiltinRoles(client: QueryClientContract = db.connection()) {
  const created = await createMissingRoles(client)
  if (created.length) {
    await grantDefaultPermissions({ permissions: KERNEL_PERMISSIONS }, client, created)
  }
}

async function createMissingRoles(client: QueryClientContract): Promise<string[]> {
  const existing = new Set(
    (await client.from('roles').select('key')).map((row) => row.key as string)
  )
  const now = dbNow(client)
  const created: string[] = []
  for (const key of BUILTIN_ROLES) {
    if (existing.has(key)) continue
    await client.table('roles').insert({
      key,
      name: BUILTIN_ROLE_LABELS[key].fr,
      is_builtin: true,
      // Admins sign in with a second factor unless an admin decides otherwise.
      mfa_required: key === 'admin',
      created_at: now,
      updated_at: now,
    })
    created.push(key)
  }
  return created
}

/**
 * Grants a module's default permissions to the built-in roles (or to `only`
 * of them). Called when a module is first installed, never on later enables,
 * so a grant an admin removed stays removed.
 */
export async function grantDefaultPermissions(
  manifest: Pick<ModuleManifest, 'permissions'>,
  client: QueryClientContract,
  only?: string[]
) {
  await createMissingRoles(client)
  const roles = await client
    .from('roles')
    .whereIn('key', [...BUILTIN_ROLES])
    .select('id', 'key')
  const roleId = new Map(roles.map((r) => [r.key as string, r.id as number]))
  for (const permission of manifest.permissions ?? []) {
    for (const role of permission.defaults ?? []) {
      if (only && !only.includes(role)) continue
      const id = roleId.get(role)!
      const existing = await client
        .from('role_permissions')
        .where({ role_id: id, permission: permission.key })
        .first()
      if (!existing) {
        await client
          .table('role_permissions')
          .insert({ role_id: id, permission: permission.key, scope: 'all' })
      }
    }
  }
}

export async function revokeModulePermissions(
  manifest: ModuleManifest,
  client: QueryClientContract
) {
  await client.from('role_permissions').whereLike('permission', `${manifest.name}.%`).delete()
}
