import db from '@adonisjs/lucid/services/db'
import { resolveAccess, type Access, type RecordScope } from './access.js'
import { permissionIndex, recordDeclaration } from './catalog.js'

/** How a record relates to a company, an owner and a team: what record scopes look at. */
export interface RecordFacts {
  id: number
  companyId: number
  ownerId: number | null
  teamId: number | null
}

/**
 * Why a user may or may not use a permission (on a record): each step the
 * decision went through, in order. `reason` names the step that decided.
 */
export interface Explanation {
  allowed: boolean
  reason:
    | 'not_member'
    | 'unknown_permission'
    | 'admin'
    | 'not_granted'
    | 'granted'
    | 'record_not_found'
    | 'other_company'
    | 'scope_all'
    | 'owner'
    | 'team'
    | 'outside_scope'
  permission: string
  permissionKnown: boolean
  member: boolean
  role: string | null
  /** The role's name as admins gave it (filled in by explain()) */
  roleName: string | null
  granted: boolean
  scope: RecordScope | null
  teamIds: number[]
  record: null | {
    id: number
    found: boolean
    companyMatch: boolean | null
    ownerMatch: boolean | null
    teamMatch: boolean | null
  }
}

/**
 * The decision Access.scope() makes, spelled out. `access` is the user's
 * access in the company the question is asked in (null: not a member);
 * `record`, when given, is the record's facts (null: no such record).
 * Pure: the same rules as the query filter, so the two never disagree.
 */
export function decide(
  access: Access | null,
  permission: string,
  options: { known?: boolean; record?: RecordFacts | null; recordId?: number } = {}
): Explanation {
  const known = options.known ?? true
  const asksRecord = options.record !== undefined
  const base: Explanation = {
    allowed: false,
    reason: 'not_member',
    permission,
    permissionKnown: known,
    member: Boolean(access),
    role: access?.role ?? null,
    roleName: null,
    granted: false,
    scope: null,
    teamIds: access ? [...access.teamIds] : [],
    record: asksRecord
      ? {
          id: options.record?.id ?? options.recordId ?? 0,
          found: Boolean(options.record),
          companyMatch: null,
          ownerMatch: null,
          teamMatch: null,
        }
      : null,
  }
  if (!access) return base
  if (!known) return { ...base, reason: 'unknown_permission' }

  const scope = access.scopeFor(permission)
  const granted = scope !== null
  const result: Explanation = { ...base, granted, scope }
  if (!granted) return { ...result, reason: 'not_granted' }
  if (!asksRecord) return { ...result, allowed: true, reason: access.isAdmin ? 'admin' : 'granted' }

  const record = options.record
  if (!record) return { ...result, reason: 'record_not_found' }
  const companyMatch = record.companyId === access.companyId
  const ownerMatch = record.ownerId !== null && record.ownerId === access.userId
  const teamMatch = record.teamId !== null && access.teamIds.includes(record.teamId)
  const facts = { id: record.id, found: true, companyMatch, ownerMatch, teamMatch }
  const decided = (allowed: boolean, reason: Explanation['reason']): Explanation => ({
    ...result,
    allowed,
    reason,
    record: facts,
  })
  // Scopes never cross companies, not even for admins.
  if (!companyMatch) return decided(false, 'other_company')
  if (access.isAdmin) return decided(true, 'admin')
  if (scope === 'all') return decided(true, 'scope_all')
  if (ownerMatch) return decided(true, 'owner')
  if (scope === 'team' && teamMatch) return decided(true, 'team')
  return decided(false, 'outside_scope')
}

/** Reads a record's company, owner and team from a module's declared record table. */
export async function recordFacts(model: string, id: number): Promise<RecordFacts | null> {
  const declaration = recordDeclaration(model)
  if (!declaration || !Number.isInteger(id) || id < 1) return null
  const columns = declaration.columns ?? {}
  const row = await db
    .from(declaration.table)
    .where('id', id)
    .select(
      'id',
      `${columns.company ?? 'company_id'} as company_id`,
      `${columns.owner ?? 'owner_id'} as owner_id`,
      `${columns.team ?? 'team_id'} as team_id`
    )
    .first()
  if (!row) return null
  return {
    id: row.id,
    companyId: row.company_id,
    ownerId: row.owner_id ?? null,
    teamId: row.team_id ?? null,
  }
}

/**
 * Explains whether `userId` may use `permission` in `companyId` — on the
 * record `model`/`id` when given. The permission defaults to the record
 * kind's read permission.
 */
export async function explain(input: {
  userId: number
  companyId: number
  permission?: string
  model?: string
  id?: number
}): Promise<Explanation> {
  const declaration = input.model ? recordDeclaration(input.model) : undefined
  const permission = input.permission ?? declaration?.permission ?? ''
  const access = await resolveAccess(input.userId, input.companyId)
  const known = permissionIndex().has(permission)
  const role = access
    ? await db.from('roles').where('key', access.role).select('name').first()
    : null
  const named = (result: Explanation) => ({ ...result, roleName: role?.name ?? null })
  if (input.model === undefined || input.id === undefined) {
    return named(decide(access, permission, { known }))
  }
  let record = declaration ? await recordFacts(input.model, input.id) : null
  // The explainer works within one company: another company's record is
  // reported as not found, as the scope itself would.
  if (record && record.companyId !== input.companyId) record = null
  return named(decide(access, permission, { known, record, recordId: input.id }))
}
