import type { HttpContext } from '@adonisjs/core/http'
import type { NextFn } from '@adonisjs/core/types/http'
import { sessionTooOld, endCurrentSession } from '#kernel/users/sessions'

export default class SilentAuthMiddleware {
  async handle(ctx: HttpContext, next: NextFn) {
    await ctx.auth.check()
    // The absolute timeout: however active, a session ends some hours after
    // sign-in. (The idle timeout is the session store's age.)
    if (
      ctx.auth.isAuthenticated &&
      ctx.auth.authenticatedViaGuard === 'web' &&
      sessionTooOld(ctx)
    ) {
      await endCurrentSession(ctx)
    }
    return next()
  }
}
