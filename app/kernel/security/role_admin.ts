import db from '@adonisjs/lucid/services/db'
import { Exception } from '@adonisjs/core/exceptions'
import { errors } from '@vinejs/vine'
import type { TransactionClientContract } from '@adonisjs/lucid/types/database'
import { dbNow } from '#kernel/db/timestamp'
import { fieldError } from '#kernel/http/field_error'
import { forgetAccess, type RecordScope } from './access.js'
import { ensureBuiltinRoles, BUILTIN_ROLE_LABELS } from './roles.js'
import { permissionIndex, isScopable } from './catalog.js'
import { forgetMfaState } from './mfa.js'
import { record, diff, type AuditValues } from '#kernel/audit/audit'

export interface Grant {
  permission: string
  scope?: RecordScope
}

export interface RoleView {
  id: number
  key: string
  name: string
  builtin: boolean
  /** The admin role has every permission, always: it cannot be edited */
  editable: boolean
  /** Members must sign in with a second factor (MFA) */
  mfaRequired: boolean
  members: number
  grants: { permission: string; scope: RecordScope }[]
}

function conflict(message: string, code = 'E_ROLE_CONFLICT') {
  return new Exception(message, { status: 409, code })
}

function notFound() {
  return new Exception('Role not found', { status: 404, code: 'E_NOT_FOUND' })
}

/** A role key derived from its name: lowercase ASCII, `_` separated, unique. */
async function keyFor(name: string, trx: TransactionClientContract) {
  const base =
    name
      .normalize('NFD')
      .replace(/[\u0300-\u036f]/g, '')
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '_')
      .replace(/^_+|_+$/g, '')
      .slice(0, 50) || 'role'
  let key = base
  for (let n = 2; await trx.from('roles').where('key', key).first(); n++) key = `${base}_${n}`
  return key
}

/**
 * Checks a set of grants against the declared permissions: unknown keys are
 * refused (422 naming them); a permission that carries no record scope is
 * stored with `all`. Later duplicates win.
 */
export function normalizeGrants(grants: Grant[]): Map<string, RecordScope> {
  const index = permissionIndex()
  const unknown = [...new Set(grants.map((g) => g.permission).filter((key) => !index.has(key)))]
  if (unknown.length) {
    throw new errors.E_VALIDATION_ERROR([
      {
        field: 'grants',
        rule: 'permission',
        message: `Unknown permissions: ${unknown.join(', ')}`,
        meta: { unknown },
      },
    ])
  }
  const result = new Map<string, RecordScope>()
  for (const grant of grants) {
    const declared = index.get(grant.permission)!
    result.set(grant.permission, isScopable(declared) ? (grant.scope ?? 'all') : 'all')
  }
  return result
}

/**
 * Roles are site-wide (every company's members hold them), so their audit
 * entries belong to no company: every company's audit page shows them.
 */
const SITE_WIDE = { companyId: null }

/** A role's grants as audit values: one field per permission, its scope as the value. */
function grantValues(grants: Iterable<[string, RecordScope]>): AuditValues {
  return Object.fromEntries([...grants].sort(([a], [b]) => a.localeCompare(b)))
}

async function currentGrants(roleId: number, trx: TransactionClientContract) {
  const rows = await trx.from('role_permissions').where('role_id', roleId).select('*')
  return rows.map(
    (row) => [row.permission as string, row.scope as RecordScope] as [string, RecordScope]
  )
}

async function nameTaken(name: string, trx: TransactionClientContract, except?: number) {
  const query = trx.from('roles').whereRaw('lower(name) = ?', [name.toLowerCase()])
  if (except) query.whereNot('id', except)
  return Boolean(await query.first())
}

/**
 * Roles and their grants, as the matrix editor and /api/v1/admin/roles manage
 * them. Every change runs in one transaction and clears the cached grants, so
 * it applies to the next request.
 */
export const roleAdmin = {
  async list(): Promise<RoleView[]> {
    await ensureBuiltinRoles()
    const [roles, grants, members] = await Promise.all([
      db.from('roles').orderBy('is_builtin', 'desc').orderBy('id').select('*'),
      db.from('role_permissions').orderBy('permission').select('*'),
      db.from('company_users').groupBy('role_id').select('role_id').count('* as total'),
    ])
    const count = new Map(members.map((m) => [m.role_id as number, Number(m.total)]))
    return roles.map((role) => ({
      id: role.id,
      key: role.key,
      // Built-in roles keep their translated label; custom ones their given name.
      name: role.name,
      builtin: Boolean(role.is_builtin),
      editable: role.key !== 'admin',
      mfaRequired: Boolean(role.mfa_required),
      members: count.get(role.id) ?? 0,
      grants: grants
        .filter((g) => g.role_id === role.id)
        .map((g) => ({ permission: g.permission, scope: g.scope as RecordScope })),
    }))
  },

  async find(id: number): Promise<RoleView> {
    const role = (await this.list()).find((r) => r.id === id)
    if (!role) throw notFound()
    return role
  },

  async create(input: {
    name: string
    grants?: Grant[]
    mfaRequired?: boolean
  }): Promise<RoleView> {
    const grants = normalizeGrants(input.grants ?? [])
    const id = await db.transaction(async (trx) => {
      if (await nameTaken(input.name, trx)) {
        throw fieldError('name', 'A role with this name exists', 'roleNameTaken')
      }
      const now = dbNow(trx)
      const [row] = await trx
        .table('roles')
        .insert({
          key: await keyFor(input.name, trx),
          name: input.name,
          is_builtin: false,
          mfa_required: input.mfaRequired ?? false,
          created_at: now,
          updated_at: now,
        })
        .returning('id')
      const roleId = typeof row === 'object' ? (row.id as number) : (row as number)
      await this.replaceGrants(roleId, grants, trx)
      await record(trx, {
        event: 'role.created',
        model: 'kernel.role',
        recordId: roleId,
        after: {
          name: input.name,
          mfaRequired: input.mfaRequired ?? false,
          ...grantValues(grants),
        },
        actor: SITE_WIDE,
      })
      return roleId
    })
    forgetAccess()
    forgetMfaState()
    return this.find(id)
  },

  /**
   * Renames a custom role, replaces a role's whole set of grants and/or sets
   * whether it requires MFA.
   */
  async update(
    id: number,
    input: { name?: string; grants?: Grant[]; mfaRequired?: boolean }
  ): Promise<RoleView> {
    await this.saveMatrix([{ id, ...input }])
    return this.find(id)
  },

  /**
   * Applies several roles' changes at once (the matrix editor's save): all
   * of them or none.
   */
  async saveMatrix(
    changes: { id: number; name?: string; grants?: Grant[]; mfaRequired?: boolean }[]
  ) {
    const normalized = changes.map((c) => ({
      ...c,
      grants: c.grants ? normalizeGrants(c.grants) : undefined,
    }))
    await db.transaction(async (trx) => {
      for (const change of normalized) {
        const role = await trx.from('roles').where('id', change.id).forUpdate().first()
        if (!role) throw notFound()
        // The admin role's grants and name are fixed; only its MFA requirement changes.
        const renamed = change.name !== undefined && change.name !== role.name
        if (role.key === 'admin' && (change.grants || renamed)) {
          throw conflict('The admin role always has every permission and cannot be changed')
        }
        if (change.mfaRequired !== undefined && change.mfaRequired !== Boolean(role.mfa_required)) {
          await trx
            .from('roles')
            .where('id', role.id)
            .update({ mfa_required: change.mfaRequired, updated_at: dbNow(trx) })
          await record(trx, {
            event: 'role.updated',
            model: 'kernel.role',
            recordId: role.id,
            before: { mfaRequired: Boolean(role.mfa_required) },
            after: { mfaRequired: change.mfaRequired },
            meta: { role: role.name },
            actor: SITE_WIDE,
          })
        }
        if (change.name !== undefined && change.name !== role.name) {
          if (role.is_builtin) {
            throw fieldError('name', 'A built-in role cannot be renamed', 'builtinRole')
          }
          if (await nameTaken(change.name, trx, role.id)) {
            throw fieldError('name', 'A role with this name exists', 'roleNameTaken')
          }
          await trx
            .from('roles')
            .where('id', role.id)
            .update({ name: change.name, updated_at: dbNow(trx) })
          await record(trx, {
            event: 'role.updated',
            model: 'kernel.role',
            recordId: role.id,
            before: { name: role.name },
            after: { name: change.name },
            actor: SITE_WIDE,
          })
        }
        if (change.grants) {
          const before = grantValues(await currentGrants(role.id, trx))
          await this.replaceGrants(role.id, change.grants, trx)
          const after = grantValues(change.grants)
          if (Object.keys(diff(before, after)).length) {
            await record(trx, {
              event: 'role.grants_changed',
              model: 'kernel.role',
              recordId: role.id,
              before,
              after,
              meta: { role: role.name },
              actor: SITE_WIDE,
            })
          }
        }
      }
    })
    forgetAccess()
    forgetMfaState()
  },

  async replaceGrants(
    roleId: number,
    grants: Map<string, RecordScope>,
    trx: TransactionClientContract
  ) {
    await trx.from('role_permissions').where('role_id', roleId).delete()
    if (grants.size) {
      await trx
        .table('role_permissions')
        .multiInsert(
          [...grants].map(([permission, scope]) => ({ role_id: roleId, permission, scope }))
        )
    }
  },

  /** Deletes a custom role nobody holds (409 otherwise, naming why). */
  async remove(id: number) {
    await db.transaction(async (trx) => {
      const role = await trx.from('roles').where('id', id).forUpdate().first()
      if (!role) throw notFound()
      if (role.is_builtin) {
        throw conflict(
          `"${BUILTIN_ROLE_LABELS[role.key as keyof typeof BUILTIN_ROLE_LABELS]?.en ?? role.name}" is a built-in role and cannot be deleted`
        )
      }
      const used = await trx.from('company_users').where('role_id', id).count('* as total')
      const total = Number(used[0].total)
      if (total > 0) {
        throw conflict(
          `The role "${role.name}" is held by ${total} member${total > 1 ? 's' : ''}: give them another role first`,
          'E_ROLE_IN_USE'
        )
      }
      const grants = await currentGrants(id, trx)
      await trx.from('role_permissions').where('role_id', id).delete()
      await trx.from('roles').where('id', id).delete()
      await record(trx, {
        event: 'role.deleted',
        model: 'kernel.role',
        recordId: id,
        before: { name: role.name, ...grantValues(grants) },
        after: null,
        actor: SITE_WIDE,
      })
    })
    forgetAccess()
  },
}
