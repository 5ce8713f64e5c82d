import type { HttpContext } from '@adonisjs/core/http'
import type { NextFn } from '@adonisjs/core/types/http'
import BaseInertiaMiddleware from '@adonisjs/inertia/inertia_middleware'
import { createHash } from 'node:crypto'
import i18nManager from '@adonisjs/i18n/services/main'
import registry from '#kernel/modules/registry'
import moduleManager from '#kernel/modules/module_manager'
import { companiesOf } from '#kernel/security/access'
import { unreadCount } from '#kernel/notifications/notifications'
import { settingsMenu } from '#kernel/settings/settings'

/**
 * The interface language: the one chosen with the switch (session), else the
 * signed-in user's, else French — the product's language, whatever the browser says.
 */
export function localeOf(ctx: HttpContext): string {
  const chosen = ctx.session?.get('locale') as string | undefined
  if (chosen && SUPPORTED_LOCALES.includes(chosen)) return chosen
  const own = (ctx.auth?.user as { locale?: string } | undefined)?.locale
  if (own && SUPPORTED_LOCALES.includes(own)) return own
  return 'fr'
}

const SUPPORTED_LOCALES = ['fr', 'en']

const messageKeys = new WeakMap<object, string>()

/**
 * The once-key of a locale's translation table: the locale and a digest of
 * the table, so a client holding the table of another language, or of an
 * earlier release, is sent the current one (and any app instance gives a
 * client that holds it the same key).
 */
function messagesKey(locale: string, table: Record<string, string>) {
  let key = messageKeys.get(table)
  if (!key) {
    // Sorted: translation files load in no set order, and every app instance must agree.
    const entries = Object.entries(table).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    const digest = createHash('sha256').update(JSON.stringify(entries)).digest('base64url')
    key = `messages.${locale}.${digest.slice(0, 16)}`
    messageKeys.set(table, key)
  }
  return key
}

export default class InertiaMiddleware extends BaseInertiaMiddleware {
  async share(ctx: HttpContext) {
    const { session, auth, access } = ctx as Partial<HttpContext>
    const locale = localeOf(ctx)
    const user = auth?.user as { id: number; email: string; fullName: string | null } | undefined

    const errorsBag = session?.flashMessages.get('errorsBag') ?? {}
    const error: string | undefined = Object.keys(errorsBag)
      .filter((code) => code !== 'E_VALIDATION_ERROR')
      .map((code) => errorsBag[code])[0]

    let menu: { key: string; label: string; href: string; icon: string | null }[] = []
    let companies: { id: number; name: string }[] = []
    let unread: number | null = null
    let moduleSettings: { module: string; label: string; href: string }[] = []
    if (user && access) {
      unread = await unreadCount(user.id, access.companyId)
      const enabled = await moduleManager.enabledSet()
      menu = registry
        .menu()
        .filter((entry) => enabled.has(entry.module) && access.can(entry.permission))
        .map((entry) => ({
          key: entry.key,
          label: entry.label[locale as 'fr' | 'en'] ?? entry.label.fr,
          href: entry.href,
          icon: entry.icon ?? null,
        }))
      companies = (await companiesOf(user.id)).map((c) => ({ id: c.id, name: c.name }))
      moduleSettings = await settingsMenu(access, locale as 'fr' | 'en')
    }

    return {
      errors: ctx.inertia.always(this.getValidationErrors(ctx)),
      flash: ctx.inertia.always({
        error: error ?? (session?.flashMessages.get('error') as string | undefined) ?? null,
        success: (session?.flashMessages.get('success') as string | undefined) ?? null,
      }),
      locale: ctx.inertia.always(locale),
      // The whole translation table (about 57 KB) is sent once; the client keeps it
      // across visits and says so (X-Inertia-Except-Once-Props).
      messages: ctx.inertia.once(i18nManager.getTranslationsFor(locale), {
        key: messagesKey(locale, i18nManager.getTranslationsFor(locale)),
      }),
      user: ctx.inertia.always(
        user ? { id: user.id, email: user.email, fullName: user.fullName } : null
      ),
      company: ctx.inertia.always(
        access ? (companies.find((c) => c.id === access.companyId) ?? null) : null
      ),
      companies: ctx.inertia.always(companies),
      menu: ctx.inertia.always(menu),
      // The settings pages of enabled modules this user may manage
      moduleSettings: ctx.inertia.always(moduleSettings),
      permissions: ctx.inertia.always(access ? access.toJSON().permissions : []),
      // The bell's count; live updates come over the user's channel.
      unreadNotifications: ctx.inertia.always(unread),
    }
  }

  async handle(ctx: HttpContext, next: NextFn) {
    // The API and health routes never render pages: skip Inertia's work there.
    const url = ctx.request.url()
    if (url.startsWith('/api/') || url.startsWith('/health/')) return next()
    await this.init(ctx)
    const output = await next()
    this.dispose(ctx)
    return output
  }
}

declare module '@adonisjs/inertia/types' {
  type MiddlewareSharedProps = InferSharedProps<InertiaMiddleware>
  export interface SharedProps extends MiddlewareSharedProps {}
}
