import type { HttpContext } from '@adonisjs/core/http'
import type { NextFn } from '@adonisjs/core/types/http'
import { Exception } from '@adonisjs/core/exceptions'
import { accessDenied } from '#kernel/audit/auth_events'

/**
 * The permission a route needs (declared with `can()` from start/stacks).
 * 'public' and 'authenticated' are markers: the route's stack already
 * decides those.
 */
export default class PermissionMiddleware {
  async handle(ctx: HttpContext, next: NextFn, options: { permission: string }) {
    const { permission } = options
    if (permission === 'public' || permission === 'authenticated') return next()
    if (!ctx.access || !ctx.access.can(permission)) {
      await accessDenied({ permission })
      throw new Exception(`Missing permission ${permission}`, {
        status: 403,
        code: 'E_FORBIDDEN',
      })
    }
    return next()
  }
}
