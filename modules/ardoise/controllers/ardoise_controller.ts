import type { HttpContext } from '@adonisjs/core/http'
import vine from '@vinejs/vine'
import CalculationService, { calculationToJson } from '../services/calculations.js'
import FormatService, { formatToJson } from '../services/formats.js'
import { activeTable } from '../services/tables.js'
import { calculationPdf } from '../services/pdf.js'
import { calculate } from '../services/calculate.js'
import {
  calculateValidator,
  listCalculationsValidator,
  saveCalculationValidator,
} from '../validators/calculation.js'
import { PERMISSIONS } from '../constants.js'

const compareQuery = vine.create({
  compare: vine.array(vine.number().withoutDecimals().positive()).maxLength(2).optional(),
  title: vine.string().trim().maxLength(200).optional(),
})

function sendPdf(response: HttpContext['response'], name: string, pdf: Buffer) {
  response.header('Content-Type', 'application/pdf')
  response.header('Content-Disposition', `inline; filename="${name}"`)
  return response.send(pdf)
}

/** The calculator, saved calculations and their PDFs. Thin: validate, call a service, render. */
export default class ArdoiseController {
  /** GET /ardoise: the calculator, with the active table for the preview and the formats. */
  async calculator({ inertia, access, request }: HttpContext) {
    const table = await activeTable(access.companyId)
    const formats = await new FormatService(access).list()
    const record = request.qs().recordModel && request.qs().recordId
    return inertia.render('ardoise/calculator', {
      table: table ? { id: table.id, label: table.label, rows: table.table.rows } : null,
      formats: formats.map(formatToJson),
      record: record
        ? { model: String(request.qs().recordModel), id: Number(request.qs().recordId) }
        : null,
      can: {
        list: access.can(PERMISSIONS.calculationRead),
        manage: access.can(PERMISSIONS.tableManage),
      },
    })
  }

  /** POST /ardoise/calculations: recomputed on the server, then saved. */
  async store({ request, access, response, session, i18n }: HttpContext) {
    const payload = await request.validateUsing(saveCalculationValidator)
    const calculation = await new CalculationService(access).save(payload)
    session.flash('success', i18n.t('ardoise.saved', { title: calculation.title }))
    if (!access.can(PERMISSIONS.calculationRead)) return response.redirect('/ardoise')
    return response.redirect(`/ardoise/calculations/${calculation.id}`)
  }

  async index({ inertia, request, access }: HttpContext) {
    let filters
    try {
      filters = await listCalculationsValidator.validate(request.qs())
    } catch {
      // A hand-edited query string falls back to the default list, not an error page.
      filters = {}
    }
    const page = await new CalculationService(access).list(filters)
    return inertia.render('ardoise/calculations', {
      calculations: page.data.map(calculationToJson),
      nextCursor: page.nextCursor,
      search: filters.search ?? '',
      can: { create: access.can(PERMISSIONS.calculationCreate) },
    })
  }

  async show({ inertia, params, access }: HttpContext) {
    const calculation = await new CalculationService(access).find(Number(params.id))
    return inertia.render('ardoise/calculation', { calculation: calculationToJson(calculation) })
  }

  /** GET /ardoise/calculations/:id/pdf: a saved calculation as a document. */
  async pdf({ params, access, i18n, response }: HttpContext) {
    const calculation = await new CalculationService(access).find(Number(params.id))
    const pdf = await calculationPdf(access.companyId, i18n, {
      title: calculation.title,
      input: calculation.inputs,
      result: calculation.result,
    })
    return sendPdf(response, `ardoise-${calculation.id}.pdf`, pdf)
  }

  /**
   * GET /ardoise/print.pdf?…: the calculator's current figures as a document,
   * with up to two other formats of the company compared (`compare[]=<id>`).
   */
  async print({ request, access, i18n, response }: HttpContext) {
    const qs = request.qs()
    const payload = await calculateValidator.validate(qs)
    const { compare, title } = await compareQuery.validate({
      compare: qs.compare === undefined ? undefined : [qs.compare].flat(),
      title: qs.title,
    })
    const service = new CalculationService(access)
    const { input, table, result } = await service.run(payload)
    const formats = compare?.length
      ? (await new FormatService(access).list()).filter((f) => compare.includes(f.id))
      : []
    const comparisons = formats.map((format) => {
      const other = {
        ...input,
        slate: {
          length: format.lengthMm,
          width: format.widthMm,
          thickness: format.thicknessUm === null ? null : format.thicknessUm / 1000,
        },
      }
      return { input: other, result: calculate(table.table, other) }
    })
    const pdf = await calculationPdf(access.companyId, i18n, {
      title: title || i18n.t('ardoise.pdf.title'),
      input,
      result,
      comparisons,
    })
    return sendPdf(response, 'ardoise.pdf', pdf)
  }
}
