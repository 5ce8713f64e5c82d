import db from '@adonisjs/lucid/services/db'
import { Exception } from '@adonisjs/core/exceptions'
import type { Access } from '#kernel/security/access'
import { record, snapshot } from '#kernel/audit/audit'
import SlateFormat from '../models/slate_format.js'

export const FORMAT_MODEL = 'ardoise.format'

export interface FormatInput {
  lengthMm: number
  widthMm: number
  /** mm, stored in micrometres */
  thickness?: number | null
  supplier?: string | null
  reference?: string | null
  priceCents?: number | null
}

function notFound() {
  return new Exception('Slate format not found', { status: 404, code: 'E_NOT_FOUND' })
}

export function formatToJson(format: SlateFormat) {
  return {
    id: format.id,
    lengthMm: format.lengthMm,
    widthMm: format.widthMm,
    thickness: format.thicknessUm === null ? null : format.thicknessUm / 1000,
    supplier: format.supplier,
    reference: format.reference,
    priceCents: format.priceCents,
  }
}

function columns(input: FormatInput) {
  return {
    lengthMm: input.lengthMm,
    widthMm: input.widthMm,
    thicknessUm:
      input.thickness === null || input.thickness === undefined
        ? null
        : Math.round(input.thickness * 1000),
    supplier: input.supplier ?? null,
    reference: input.reference ?? null,
    priceCents: input.priceCents ?? null,
  }
}

/** The company's slate formats: every calculation may pick one, managers edit them. */
export default class FormatService {
  constructor(private access: Access) {}

  list() {
    return SlateFormat.query()
      .where('company_id', this.access.companyId)
      .orderBy('length_mm')
      .orderBy('width_mm')
      .orderBy('id')
  }

  /** One format of the company, else 404 (before its input is even looked at). */
  async find(id: number) {
    const format = Number.isInteger(id)
      ? await SlateFormat.query().where({ company_id: this.access.companyId, id }).first()
      : null
    if (!format) throw notFound()
    return format
  }

  create(input: FormatInput) {
    return db.transaction(async (trx) => {
      const format = new SlateFormat()
      format.useTransaction(trx)
      format.merge({ companyId: this.access.companyId, ...columns(input) })
      await format.save()
      await record(trx, {
        event: 'created',
        model: FORMAT_MODEL,
        recordId: format.id,
        after: snapshot(format),
      })
      return format
    })
  }

  update(id: number, input: FormatInput) {
    return db.transaction(async (trx) => {
      const format = await SlateFormat.query({ client: trx })
        .where({ company_id: this.access.companyId, id })
        .forUpdate()
        .first()
      if (!format) throw notFound()
      const before = snapshot(format)
      format.merge(columns(input))
      await format.save()
      await record(trx, {
        event: 'updated',
        model: FORMAT_MODEL,
        recordId: format.id,
        before,
        after: snapshot(format),
      })
      return format
    })
  }

  /** Saved calculations keep their dimensions: their link to the format is cleared. */
  remove(id: number) {
    return db.transaction(async (trx) => {
      const format = await SlateFormat.query({ client: trx })
        .where({ company_id: this.access.companyId, id })
        .forUpdate()
        .first()
      if (!format) throw notFound()
      const before = snapshot(format)
      await trx
        .from('ardoise_calculations')
        .where('format_id', format.id)
        .update({ format_id: null })
      await format.delete()
      await record(trx, {
        event: 'deleted',
        model: FORMAT_MODEL,
        recordId: format.id,
        before,
        after: null,
      })
    })
  }
}
