import type { HttpContext } from '@adonisjs/core/http'
import { seriesAdmin } from '#kernel/numbering/series_admin'
import { SEQUENCE_RESETS } from '#kernel/numbering/format'
import { updateSeriesValidator } from '#validators/numbering'

/** Numbering series of the current company: admin pages and /api/v1/admin/numbering. */
export default class NumberingController {
  async index({ inertia, access, i18n }: HttpContext) {
    return inertia.render('settings/numbering', {
      series: await seriesAdmin.list(access.companyId, { locale: i18n.locale }),
    })
  }

  async edit({ inertia, access, i18n, params }: HttpContext) {
    return inertia.render('settings/numbering_series', {
      series: await seriesAdmin.find(access.companyId, Number(params.id), { locale: i18n.locale }),
      resets: [...SEQUENCE_RESETS],
    })
  }

  async update({ request, access, params, response, session, i18n }: HttpContext) {
    const change = await request.validateUsing(updateSeriesValidator)
    const series = await seriesAdmin.update(access.companyId, Number(params.id), change, {
      locale: i18n.locale,
    })
    session.flash('success', i18n.t('numbering.saved', { label: series.label }))
    return response.redirect('/settings/numbering')
  }

  async apiIndex({ access, i18n }: HttpContext) {
    return { data: await seriesAdmin.list(access.companyId, { locale: i18n.locale }) }
  }

  async apiShow({ access, params, i18n }: HttpContext) {
    return {
      data: await seriesAdmin.find(access.companyId, Number(params.id), { locale: i18n.locale }),
    }
  }

  async apiUpdate({ request, access, params, i18n }: HttpContext) {
    const change = await request.validateUsing(updateSeriesValidator)
    return {
      data: await seriesAdmin.update(access.companyId, Number(params.id), change, {
        locale: i18n.locale,
      }),
    }
  }
}
