import type { NextFn } from '@adonisjs/core/types/http'
import type { HttpContext } from '@adonisjs/core/http'

/**
 * Flash messages (form errors, "saved" notices) are meant for the page the
 * browser shows after a redirect. A page's background requests — the live
 * notification stream and its subscriptions, widget, history and attachment
 * fetches — share its session and can land between the redirect and the page
 * visit; reading the session there would use the messages up, and the page
 * would show neither its field errors nor its notice. Such a request keeps
 * them for the next one.
 *
 * Background means: not an Inertia visit and not asking for an HTML page.
 */
export function isBackgroundRequest(ctx: HttpContext) {
  if (ctx.request.header('x-inertia')) return false
  return !(ctx.request.header('accept') ?? '').includes('text/html')
}

export default class KeepFlashMiddleware {
  async handle(ctx: HttpContext, next: NextFn) {
    if (isBackgroundRequest(ctx) && Object.keys(ctx.session.flashMessages.all()).length) {
      ctx.session.reflash()
    }
    return next()
  }
}
