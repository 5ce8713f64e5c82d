import type { HttpContext } from '@adonisjs/core/http'
import { Exception } from '@adonisjs/core/exceptions'
import type User from '#models/user'
import moduleManager from '#kernel/modules/module_manager'
import {
  listNotifications,
  markAllRead,
  markRead,
  preferencesOf,
  savePreferences,
  unreadCount,
} from '#kernel/notifications/notifications'
import {
  notificationListValidator,
  notificationPreferencesValidator,
} from '#validators/notifications'

function localeOf(ctx: HttpContext): 'fr' | 'en' {
  return ctx.i18n?.locale === 'en' ? 'en' : 'fr'
}

function notFound() {
  return new Exception('Notification not found', { status: 404, code: 'E_NOT_FOUND' })
}

/**
 * The notification centre: a user's own notifications in the current
 * company (pages under /notifications, API under /api/v1/notifications),
 * and their channels per type (/profile/notifications,
 * /api/v1/me/notification-preferences). Nobody reads anyone else's.
 */
export default class NotificationsController {
  async index(ctx: HttpContext) {
    const { cursor, unread } = await ctx.request.validateUsing(notificationListValidator)
    const user = ctx.auth.user as User
    const page = await listNotifications(user.id, ctx.access.companyId, localeOf(ctx), {
      cursor,
      unread,
    })
    return ctx.inertia.render('notifications', {
      notifications: page.data,
      nextCursor: page.nextCursor,
      cursor: cursor ?? null,
      unreadOnly: unread ?? false,
      unread: await unreadCount(user.id, ctx.access.companyId),
    })
  }

  async read(ctx: HttpContext) {
    const user = ctx.auth.user as User
    if (!(await markRead(user.id, ctx.access.companyId, Number(ctx.params.id)))) throw notFound()
    return ctx.response.redirect().back()
  }

  async readAll(ctx: HttpContext) {
    const user = ctx.auth.user as User
    const count = await markAllRead(user.id, ctx.access.companyId)
    ctx.session.flash('success', ctx.i18n.t('notifications.all_read', { count }))
    return ctx.response.redirect().back()
  }

  /** The bell's count, for a page that was open while notifications were read elsewhere. */
  async unread(ctx: HttpContext) {
    const user = ctx.auth.user as User
    return { data: { unread: await unreadCount(user.id, ctx.access.companyId) } }
  }

  async preferences(ctx: HttpContext) {
    const user = ctx.auth.user as User
    return ctx.inertia.render('profile/notifications', {
      preferences: await preferencesOf(user.id, localeOf(ctx), await moduleManager.enabledSet()),
    })
  }

  async savePreferences(ctx: HttpContext) {
    const { preferences } = await ctx.request.validateUsing(notificationPreferencesValidator)
    await savePreferences((ctx.auth.user as User).id, preferences)
    ctx.session.flash('success', ctx.i18n.t('notifications.preferences_saved'))
    return ctx.response.redirect('/profile/notifications')
  }

  /* API */

  async apiIndex(ctx: HttpContext) {
    const { cursor, unread } = await ctx.request.validateUsing(notificationListValidator)
    const user = ctx.auth.user as User
    const page = await listNotifications(user.id, ctx.access.companyId, localeOf(ctx), {
      cursor,
      unread,
    })
    return {
      data: page.data,
      nextCursor: page.nextCursor,
      unread: await unreadCount(user.id, ctx.access.companyId),
    }
  }

  async apiRead(ctx: HttpContext) {
    const user = ctx.auth.user as User
    if (!(await markRead(user.id, ctx.access.companyId, Number(ctx.params.id)))) throw notFound()
    return { data: { id: Number(ctx.params.id), read: true } }
  }

  async apiReadAll(ctx: HttpContext) {
    const user = ctx.auth.user as User
    return { data: { marked: await markAllRead(user.id, ctx.access.companyId) } }
  }

  async apiPreferences(ctx: HttpContext) {
    const user = ctx.auth.user as User
    return {
      data: await preferencesOf(user.id, localeOf(ctx), await moduleManager.enabledSet()),
    }
  }

  async apiSavePreferences(ctx: HttpContext) {
    const { preferences } = await ctx.request.validateUsing(notificationPreferencesValidator)
    const user = ctx.auth.user as User
    await savePreferences(user.id, preferences)
    return {
      data: await preferencesOf(user.id, localeOf(ctx), await moduleManager.enabledSet()),
    }
  }
}
