import db from '@adonisjs/lucid/services/db'
import type { ModelQueryBuilderContract, LucidModel } from '@adonisjs/lucid/types/model'
import type { DatabaseQueryBuilderContract } from '@adonisjs/lucid/types/querybuilder'
import { hiddenFields } from './field_rules.js'
import { isScopable, permissionIndex } from './catalog.js'

export type RecordScope = 'all' | 'team' | 'own'

const SCOPE_RANK: Record<RecordScope, number> = { own: 0, team: 1, all: 2 }

/**
 * What one user may do in one company: their role, the permissions it grants
 * with their record scope, and their teams. Resolved once per request (and
 * cached briefly across requests, see resolveAccess).
 *
 * A request made with an API token carrying a list of abilities works with
 * the intersection of the role's permissions and those abilities
 * (`restrictedTo`): every check below goes through `can`/`scopeFor`, so the
 * restriction holds on every route, page or API, kernel or module.
 */
export class Access {
  constructor(
    readonly userId: number,
    readonly companyId: number,
    readonly role: string,
    readonly permissions: ReadonlyMap<string, RecordScope>,
    readonly teamIds: readonly number[],
    /** The token's abilities when the request's token is restricted; null otherwise */
    readonly abilities: ReadonlySet<string> | null = null
  ) {}

  get isAdmin() {
    return this.role === 'admin'
  }

  /** True when a token's abilities narrow what the role grants. */
  get isRestricted() {
    return this.abilities !== null
  }

  can(permission: string) {
    if (this.abilities && !this.abilities.has(permission)) return false
    return this.isAdmin || this.permissions.has(permission)
  }

  /** The record scope a permission carries for this user; admins see all. */
  scopeFor(permission: string): RecordScope | null {
    if (this.abilities && !this.abilities.has(permission)) return null
    if (this.isAdmin) return 'all'
    return this.permissions.get(permission) ?? null
  }

  /**
   * The same access narrowed to a token's abilities; unchanged for a token
   * holding `*` (all the user's permissions).
   */
  restrictedTo(abilities: readonly string[]): Access {
    if (abilities.includes('*')) return this
    return new Access(
      this.userId,
      this.companyId,
      this.role,
      this.permissions,
      this.teamIds,
      new Set(abilities)
    )
  }

  /**
   * Whether this user may see `field` of `model`'s records (`<module>.<model>`):
   * always, unless a field rule (the manifest's `sensitive`) reserves it to a
   * permission this user lacks.
   */
  canSeeField(model: string, field: string) {
    return !hiddenFields(this, model).includes(field)
  }

  /**
   * Whether this user may change `field` of `model`'s records, given they may
   * change the record at all (the route's permission and scope decide that):
   * a sensitive field is changed by those who may see it, no one else.
   */
  canEditField(model: string, field: string) {
    return this.canSeeField(model, field)
  }

  /**
   * The one central filter every read path applies: the current company,
   * then the record scope of `permission` (own records, the team's, or all).
   * A user without the permission sees nothing.
   */
  scope<Q extends ModelQueryBuilderContract<LucidModel> | DatabaseQueryBuilderContract>(
    query: Q,
    permission: string,
    columns: { company?: string; owner?: string; team?: string } = {}
  ): Q {
    const company = columns.company ?? 'company_id'
    const owner = columns.owner ?? 'owner_id'
    const team = columns.team ?? 'team_id'
    query.where(company, this.companyId)
    const scope = this.scopeFor(permission)
    if (scope === null) {
      query.whereRaw('1 = 0')
    } else if (scope === 'own') {
      query.where(owner, this.userId)
    } else if (scope === 'team') {
      const teams = [...this.teamIds]
      query.where((q: any) => {
        q.where(owner, this.userId)
        if (teams.length) q.orWhereIn(team, teams)
      })
    }
    return query
  }

  toJSON() {
    let permissions: string[]
    if (this.abilities) {
      permissions = [...this.abilities].filter((key) => this.can(key)).sort()
    } else {
      permissions = this.isAdmin ? ['*'] : [...this.permissions.keys()].sort()
    }
    return { role: this.role, companyId: this.companyId, permissions }
  }
}

const CACHE_TTL_MS = 2000
const cache = new Map<string, { at: number; access: Access | null }>()

/** Forgets cached grants (call after changing roles, grants or memberships). */
export function forgetAccess() {
  cache.clear()
}

/**
 * Reads a user's role, grants and teams in a company; null when the user is
 * not a member of it.
 */
export async function resolveAccess(userId: number, companyId: number): Promise<Access | null> {
  const key = `${userId}:${companyId}`
  const hit = cache.get(key)
  if (hit && Date.now() - hit.at < CACHE_TTL_MS) return hit.access

  const membership = await db
    .from('company_users')
    .join('roles', 'roles.id', 'company_users.role_id')
    .where('company_users.user_id', userId)
    .where('company_users.company_id', companyId)
    .select('roles.id as role_id', 'roles.key as role_key')
    .first()

  let access: Access | null = null
  if (membership) {
    const [grants, teams] = await Promise.all([
      db
        .from('role_permissions')
        .where('role_id', membership.role_id)
        .select('permission', 'scope'),
      db
        .from('team_users')
        .join('teams', 'teams.id', 'team_users.team_id')
        .where('team_users.user_id', userId)
        .where('teams.company_id', companyId)
        .select('teams.id'),
    ])
    const permissions = new Map<string, RecordScope>()
    for (const grant of grants) {
      const scope = (grant.scope as RecordScope) ?? 'all'
      const previous = permissions.get(grant.permission)
      if (!previous || SCOPE_RANK[scope] > SCOPE_RANK[previous]) {
        permissions.set(grant.permission, scope)
      }
    }
    boundByRead(permissions)
    access = new Access(
      userId,
      companyId,
      membership.role_key,
      permissions,
      teams.map((t) => t.id as number)
    )
  }
  cache.set(key, { at: Date.now(), access })
  return access
}

/**
 * Acting on records never reaches further than seeing them: the scope of a
 * record permission (`contacts.contact.export`, `.update`, `.delete`…) is
 * capped by the scope of the same resource's `.read`, and without `.read`
 * the permission is dropped. Otherwise a role reading "own" records but
 * exporting "all" would export what it cannot list.
 */
function boundByRead(permissions: Map<string, RecordScope>) {
  const declared = permissionIndex()
  for (const [key, scope] of [...permissions]) {
    const permission = declared.get(key)
    if (!permission || !isScopable(permission) || key.endsWith('.read')) continue
    const read = `${key.slice(0, key.lastIndexOf('.'))}.read`
    if (!declared.has(read)) continue
    const readScope = permissions.get(read)
    if (!readScope) permissions.delete(key)
    else if (SCOPE_RANK[readScope] < SCOPE_RANK[scope]) permissions.set(key, readScope)
  }
}

/** The companies a user is a member of, by name. */
export async function companiesOf(userId: number) {
  return db
    .from('company_users')
    .join('companies', 'companies.id', 'company_users.company_id')
    .where('company_users.user_id', userId)
    .orderBy('companies.name')
    .select('companies.id', 'companies.name')
}
