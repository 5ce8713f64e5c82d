import type { HttpContext } from '@adonisjs/core/http'
import { listWidgets, loadWidget } from '#kernel/dashboard/widgets'

function localeOf(ctx: HttpContext): 'fr' | 'en' {
  return ctx.i18n?.locale === 'en' ? 'en' : 'fr'
}

export default class DashboardController {
  /** The page renders the widgets' frames at once; each fetches its own data. */
  async index(ctx: HttpContext) {
    return ctx.inertia.render('dashboard', {
      widgets: await listWidgets(ctx.access, localeOf(ctx)),
    })
  }

  /** The widgets this user may see (enabled modules, permission held). */
  async widgets(ctx: HttpContext) {
    return { data: await listWidgets(ctx.access, localeOf(ctx)) }
  }

  /** One widget's data (403 without its permission, 404 unknown or disabled). */
  async widget(ctx: HttpContext) {
    const { module, key } = ctx.params
    return { data: await loadWidget(ctx.access, localeOf(ctx), module, key) }
  }
}
