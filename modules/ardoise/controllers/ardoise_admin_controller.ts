import type { HttpContext } from '@adonisjs/core/http'
import vine from '@vinejs/vine'
import FormatService, { formatToJson } from '../services/formats.js'
import {
  activateVersion,
  activeTable,
  importVersion,
  previewReplacement,
  tableVersion,
  tableVersions,
} from '../services/tables.js'
import { tableToCsv } from '../services/table_csv.js'
import { formatValidator } from '../validators/calculation.js'
import { uploadedTable } from './ardoise_admin_api_controller.js'

const versionQuery = vine.create({
  version: vine.number().withoutDecimals().positive().optional(),
})

/** Table versions and slate formats, for holders of ardoise.table.manage. */
export default class ArdoiseAdminController {
  async #shown(ctx: HttpContext) {
    let version: number | undefined
    try {
      version = (await versionQuery.validate(ctx.request.qs())).version
    } catch {
      version = undefined
    }
    const companyId = ctx.access.companyId
    const shown = version ? await tableVersion(companyId, version) : await activeTable(companyId)
    return shown ? { id: shown.id, label: shown.label, rows: shown.table.rows } : null
  }

  async tables(ctx: HttpContext) {
    return ctx.inertia.render('ardoise/tables', {
      versions: await tableVersions(ctx.access.companyId),
      shown: await this.#shown(ctx),
      preview: null,
    })
  }

  /** POST /ardoise/tables/preview: the dry run, shown on the same page; nothing is written. */
  async preview(ctx: HttpContext) {
    const { parsed, name, fileName } = await uploadedTable(ctx.request)
    const preview = await previewReplacement(ctx.access.companyId, parsed, name)
    return ctx.inertia.render('ardoise/tables', {
      versions: await tableVersions(ctx.access.companyId),
      shown: await this.#shown(ctx),
      preview: { ...preview, fileName },
    })
  }

  async importTable({ request, access, response, session, i18n }: HttpContext) {
    const { parsed, name, notes, fileName } = await uploadedTable(request)
    const version = await importVersion(access, { parsed, name, notes, fileName, activate: true })
    session.flash('success', i18n.t('ardoise.tables.imported', { label: version.label }))
    return response.redirect('/ardoise/tables')
  }

  async activate({ params, access, response, session, i18n }: HttpContext) {
    const version = await activateVersion(access, Number(params.id))
    session.flash('success', i18n.t('ardoise.tables.activated', { label: version.label }))
    return response.redirect('/ardoise/tables')
  }

  /** GET /ardoise/tables/export.csv?version=<id>: a version (the active one by default) as CSV. */
  async exportCsv(ctx: HttpContext) {
    const shown = await this.#shown(ctx)
    if (!shown) return ctx.response.notFound()
    ctx.response.header('Content-Type', 'text/csv; charset=utf-8')
    ctx.response.header(
      'Content-Disposition',
      `attachment; filename="recouvrement-${shown.id}.csv"`
    )
    return ctx.response.send(tableToCsv(shown.rows))
  }

  async formats({ inertia, access }: HttpContext) {
    const formats = await new FormatService(access).list()
    return inertia.render('ardoise/formats', { formats: formats.map(formatToJson) })
  }

  async storeFormat({ request, access, response, session, i18n }: HttpContext) {
    await new FormatService(access).create(await request.validateUsing(formatValidator))
    session.flash('success', i18n.t('ardoise.formats.saved'))
    return response.redirect('/ardoise/formats')
  }

  async updateFormat({ request, params, access, response, session, i18n }: HttpContext) {
    const service = new FormatService(access)
    await service.find(Number(params.id))
    const input = await request.validateUsing(formatValidator)
    await service.update(Number(params.id), input)
    session.flash('success', i18n.t('ardoise.formats.saved'))
    return response.redirect('/ardoise/formats')
  }

  async destroyFormat({ params, access, response, session, i18n }: HttpContext) {
    await new FormatService(access).remove(Number(params.id))
    session.flash('success', i18n.t('ardoise.formats.deleted'))
    return response.redirect('/ardoise/formats')
  }
}
