import type { HttpContext } from '@adonisjs/core/http'
import type { NextFn } from '@adonisjs/core/types/http'
import { mfaMissing } from '#kernel/security/mfa'

/**
 * Signed-in pages: a user whose role in the current company requires MFA and
 * who has not switched it on is sent to the enrolment page from every other
 * page (enrolment and sign-out stay open; the language switch is not behind
 * this stack). API requests by token are not concerned.
 */
const OPEN_ROUTES = new Set(['mfa.show', 'mfa.enable', 'session.destroy'])

export const ENROLMENT_PAGE = '/profile/security'

export default class MfaEnforcementMiddleware {
  async handle(ctx: HttpContext, next: NextFn) {
    if (ctx.auth.authenticatedViaGuard !== 'web' || !ctx.access) return next()
    if (ctx.route?.name && OPEN_ROUTES.has(ctx.route.name)) return next()
    if (await mfaMissing(ctx.access.userId, ctx.access.companyId)) {
      ctx.session.flash('error', ctx.i18n.t('mfa.enrol_first'))
      return ctx.response.redirect(ENROLMENT_PAGE)
    }
    return next()
  }
}
