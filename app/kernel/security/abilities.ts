import { Bouncer } from '@adonisjs/bouncer'
import type { Access, RecordScope } from './access.js'

/** Where a record sits: the facts record scopes look at. */
export interface RecordPlace {
  companyId: number
  ownerId: number | null
  teamId: number | null
}

/**
 * Whether a scope lets `access` reach a record: never across companies; `all`
 * reaches the company's records, `team` the user's own and their teams', `own`
 * the user's own. The same rule Access.scope applies in SQL, for a record
 * already in memory.
 */
export function scopeReaches(access: Access, scope: RecordScope, record: RecordPlace) {
  if (record.companyId !== access.companyId) return false
  if (access.isAdmin || scope === 'all') return true
  if (record.ownerId !== null && record.ownerId === access.userId) return true
  return scope === 'team' && record.teamId !== null && access.teamIds.includes(record.teamId)
}

/**
 * The Bouncer abilities, generated from the security model rather than
 * written per resource: `permission` asks whether the request's user holds a
 * permission (its role's grants, narrowed by a token's abilities), and, given
 * a record, whether the permission's record scope reaches it. The "user"
 * Bouncer sees is the request's Access, so every check consults the same
 * roles × permissions × scopes the route guards and Access.scope use.
 *
 *   await ctx.bouncer.authorize('permission', 'contacts.contact.update', contact)
 *   if (await ctx.bouncer.allows('permission', 'contacts.contact.export')) …
 */
export const permission = Bouncer.ability(
  (access: Access, key: string, record?: RecordPlace | null) => {
    const scope = access.scopeFor(key)
    if (scope === null) return false
    return record ? scopeReaches(access, scope, record) : true
  }
)

export const abilities = { permission }

/** The Bouncer of one request, its "user" being the request's Access. */
export function bouncerFor(access: Access) {
  return new Bouncer<Access, typeof abilities>(access, abilities)
}

declare module '@adonisjs/core/http' {
  interface HttpContext {
    bouncer: ReturnType<typeof bouncerFor>
  }
}
