import { I18n } from '@adonisjs/i18n'
import i18nManager from '@adonisjs/i18n/services/main'
import type { NextFn } from '@adonisjs/core/types/http'
import { type HttpContext, RequestValidator } from '@adonisjs/core/http'
import { localeOf } from '#middleware/inertia_middleware'

/**
 * Gives the request its language (the user's choice in the session, else the
 * browser's, else French) and makes validation messages follow it.
 */
export default class LocaleMiddleware {
  static {
    RequestValidator.messagesProvider = (ctx) =>
      (ctx.i18n ?? i18nManager.locale(i18nManager.defaultLocale)).createMessagesProvider()
  }

  async handle(ctx: HttpContext, next: NextFn) {
    ctx.i18n = i18nManager.locale(localeOf(ctx))
    ctx.containerResolver.bindValue(I18n, ctx.i18n)
    return next()
  }
}

declare module '@adonisjs/core/http' {
  export interface HttpContext {
    i18n: I18n
  }
}
