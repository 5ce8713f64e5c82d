import type { HttpContext } from '@adonisjs/core/http'
import { readFile } from 'node:fs/promises'
import FormatService, { formatToJson } from '../services/formats.js'
import {
  activateVersion,
  activeTable,
  importVersion,
  previewReplacement,
  tableVersion,
  tableVersions,
} from '../services/tables.js'
import { formatValidator, tableImportValidator } from '../validators/calculation.js'
import vine from '@vinejs/vine'

const versionQuery = vine.create({
  version: vine.number().withoutDecimals().positive().optional(),
})

/** The uploaded CSV as text (UTF-8, with or without a BOM). */
export async function uploadedCsv(request: HttpContext['request']) {
  const payload = await request.validateUsing(tableImportValidator)
  const csv = await readFile(payload.file.tmpPath!, 'utf8')
  return { ...payload, csv, fileName: payload.file.clientName }
}

/** /api/v1/ardoise/formats and /tables: slate formats and recouvrement table versions. */
export default class ArdoiseAdminApiController {
  async formats({ access }: HttpContext) {
    const formats = await new FormatService(access).list()
    return { data: formats.map(formatToJson) }
  }

  async storeFormat({ request, access, response }: HttpContext) {
    const input = await request.validateUsing(formatValidator)
    return response.created({ data: formatToJson(await new FormatService(access).create(input)) })
  }

  async updateFormat({ request, access, params }: HttpContext) {
    const service = new FormatService(access)
    await service.find(Number(params.id))
    const input = await request.validateUsing(formatValidator)
    return { data: formatToJson(await service.update(Number(params.id), input)) }
  }

  async destroyFormat({ access, params, response }: HttpContext) {
    await new FormatService(access).remove(Number(params.id))
    return response.noContent()
  }

  /** Every version (newest first); `?version=<id>` adds that version's rows, else the active one's. */
  async tables({ request, access }: HttpContext) {
    const { version } = await request.validateUsing(versionQuery, { data: request.qs() })
    const shown = version
      ? await tableVersion(access.companyId, version)
      : await activeTable(access.companyId)
    return {
      data: await tableVersions(access.companyId),
      meta: { shown: shown ? { id: shown.id, label: shown.label, rows: shown.table.rows } : null },
    }
  }

  /** Dry run: what a CSV would change against the active version; nothing is written. */
  async preview({ request, access }: HttpContext) {
    const { csv, name } = await uploadedCsv(request)
    const preview = await previewReplacement(access.companyId, csv, name)
    return { data: preview }
  }

  async importTable({ request, access, response }: HttpContext) {
    const { csv, name, notes, fileName } = await uploadedCsv(request)
    const activate = request.input('activate', 'true') !== 'false'
    const version = await importVersion(access, { csv, name, notes, fileName, activate })
    return response.created({
      data: { id: version.id, label: version.label, isActive: version.isActive },
    })
  }

  async activate({ access, params }: HttpContext) {
    const version = await activateVersion(access, Number(params.id))
    return { data: { id: version.id, label: version.label, isActive: version.isActive } }
  }
}
