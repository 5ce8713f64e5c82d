import type { HttpContext } from '@adonisjs/core/http'
import type { NextFn } from '@adonisjs/core/types/http'
import type { Authenticators } from '@adonisjs/auth/types'
import { errors } from '@adonisjs/auth'

/** Requires a signed-in, active user. */
export default class AuthMiddleware {
  redirectTo = '/login'

  async handle(
    ctx: HttpContext,
    next: NextFn,
    options: { guards?: (keyof Authenticators)[] } = {}
  ) {
    await ctx.auth.authenticateUsing(options.guards, { loginRoute: this.redirectTo })
    const user = ctx.auth.user as { isActive?: boolean } | undefined
    if (user && user.isActive === false) {
      if (ctx.auth.authenticatedViaGuard === 'web') await ctx.auth.use('web').logout()
      throw new errors.E_UNAUTHORIZED_ACCESS('Account disabled', {
        guardDriverName: ctx.auth.authenticatedViaGuard === 'web' ? 'session' : 'access_tokens',
        redirectTo: this.redirectTo,
      })
    }
    return next()
  }
}
