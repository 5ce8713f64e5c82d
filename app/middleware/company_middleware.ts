import type { HttpContext } from '@adonisjs/core/http'
import type { NextFn } from '@adonisjs/core/types/http'
import { Exception } from '@adonisjs/core/exceptions'
import { resolveAccess, companiesOf, type Access } from '#kernel/security/access'
import { accessDenied } from '#kernel/audit/auth_events'
import { bouncerFor } from '#kernel/security/abilities'

/**
 * Picks the company the request works in — the X-Company-Id header (API),
 * the one chosen in the switcher (session), the user's last one, or their
 * first — and resolves the user's access in it, once per request. A request
 * authenticated with an API token works with the token's abilities only
 * (the intersection with the role's permissions). `ctx.bouncer` then checks
 * abilities against that same access (see app/kernel/security/abilities.ts).
 */
export default class CompanyMiddleware {
  async handle(ctx: HttpContext, next: NextFn) {
    const user = ctx.auth.user as { id: number; currentCompanyId: number | null }
    const header = ctx.request.header('x-company-id')
    let access: Access | null = null

    if (header) {
      const id = Number(header)
      access = Number.isInteger(id) ? await resolveAccess(user.id, id) : null
      if (!access) {
        // Filed under the user's own company, whose admins answer for them.
        await accessDenied(
          { reason: 'company', companyId: header.slice(0, 20) },
          { companyId: user.currentCompanyId }
        )
        throw new Exception('You are not a member of this company', {
          status: 403,
          code: 'E_COMPANY_FORBIDDEN',
        })
      }
    } else {
      const wanted = (ctx.session?.get('companyId') as number | undefined) ?? user.currentCompanyId
      if (wanted) access = await resolveAccess(user.id, wanted)
      if (!access) {
        const [first] = await companiesOf(user.id)
        if (first) access = await resolveAccess(user.id, first.id)
      }
      if (!access) {
        await accessDenied({ reason: 'no_company' }, { companyId: user.currentCompanyId })
        throw new Exception('Your account is not a member of any company', {
          status: 403,
          code: 'E_COMPANY_FORBIDDEN',
        })
      }
    }
    const token = (ctx.auth.user as { currentAccessToken?: { abilities: string[] } })
      .currentAccessToken
    ctx.access =
      token && ctx.auth.authenticatedViaGuard === 'api'
        ? access.restrictedTo(token.abilities)
        : access
    ctx.bouncer = bouncerFor(ctx.access)
    return next()
  }
}

declare module '@adonisjs/core/http' {
  interface HttpContext {
    access: Access
  }
}
