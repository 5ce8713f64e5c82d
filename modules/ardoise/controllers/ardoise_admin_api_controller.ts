import type { HttpContext } from '@adonisjs/core/http'
import { readFile } from 'node:fs/promises'
import FormatService, { formatToJson } from '../services/formats.js'
import {
  activateVersion,
  activeTable,
  importVersion,
  previewReplacement,
  readTableFile,
  tableVersion,
  tableVersions,
} from '../services/tables.js'
import { formatValidator, tableImportValidator } from '../validators/calculation.js'
import vine from '@vinejs/vine'

const versionQuery = vine.create({
  version: vine.number().withoutDecimals().positive().optional(),
})

/** The uploaded table, read by the kernel's import file reader (CSV or XLSX). */
export async function uploadedTable(request: HttpContext['request']) {
  const payload = await request.validateUsing(tableImportValidator)
  const parsed = await readTableFile(await readFile(payload.file.tmpPath!))
  return { ...payload, parsed, fileName: payload.file.clientName }
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
    const { parsed, name } = await uploadedTable(request)
    const preview = await previewReplacement(access.companyId, parsed, name)
    return { data: preview }
  }

  async importTable({ request, access, response }: HttpContext) {
    const { parsed, name, notes, fileName } = await uploadedTable(request)
    const activate = request.input('activate', 'true') !== 'false'
    const version = await importVersion(access, { parsed, name, notes, fileName, activate })
    return response.created({
      data: { id: version.id, label: version.label, isActive: version.isActive },
    })
  }

  async activate({ access, params }: HttpContext) {
    const version = await activateVersion(access, Number(params.id))
    return { data: { id: version.id, label: version.label, isActive: version.isActive } }
  }
}
