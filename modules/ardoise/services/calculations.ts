import db from '@adonisjs/lucid/services/db'
import emitter from '@adonisjs/core/services/emitter'
import { Exception } from '@adonisjs/core/exceptions'
import type { Access } from '#kernel/security/access'
import { keysetPage } from '#kernel/pagination/keyset'
import { fieldError } from '#kernel/http/field_error'
import { record } from '#kernel/audit/audit'
import { recordTarget } from '#kernel/custom_fields/custom_fields'
import Calculation from '../models/calculation.js'
import SlateFormat from '../models/slate_format.js'
import { PERMISSIONS } from '../constants.js'
import { calculate, type CalculationInput, type CalculationResult } from './calculate.js'
import { activeTable, type LoadedTable } from './tables.js'
import { billOfMaterials, type BillOfMaterials } from './bill_of_materials.js'

export const CALCULATION_MODEL = 'ardoise.calculation'

/** Emitted after the commit when a calculation is saved against another module's record. */
export const CALCULATION_SAVED_EVENT = 'ardoise:calculation_saved'

export interface CalculationSavedEvent {
  calculationId: number
  companyId: number
  userId: number
  record: { model: string; id: number }
  title: string
  tableVersion: string
  feasible: boolean
  billOfMaterials: BillOfMaterials | null
}

/** A request's roof and slate, as the validators leave them. */
export interface CalculationRequest extends Omit<CalculationInput, 'slate' | 'zone'> {
  slate: { length: number; width: number; thickness?: number | null }
  zone: number
  formatId?: number | null
}

export interface SaveRequest extends CalculationRequest {
  title: string
  record?: { model: string; id: number } | null
}

function notFound() {
  return new Exception('Calculation not found', { status: 404, code: 'E_NOT_FOUND' })
}

/** Lower-case, accent-free text for search ("Élodie" is found by "elodie"). */
function normalize(text: string) {
  return text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/\s+/g, ' ')
    .trim()
}

function escapeLike(text: string) {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`)
}

export default class CalculationService {
  constructor(private access: Access) {}

  /** The active table, or a clear 409 when the company has none. */
  async table(): Promise<LoadedTable> {
    const table = await activeTable(this.access.companyId)
    if (!table) {
      throw new Exception('No active recouvrement table', { status: 409, code: 'E_NO_TABLE' })
    }
    return table
  }

  /**
   * The calculation's input: one pitch, and a format's thickness when the
   * request names a format of the company and gives none.
   */
  async input(request: CalculationRequest): Promise<CalculationInput> {
    const hasPercent = request.pitchPercent !== undefined && request.pitchPercent !== null
    const hasDegrees = request.pitchDegrees !== undefined && request.pitchDegrees !== null
    if (hasPercent && hasDegrees) {
      throw fieldError('pitchDegrees', 'Give the pitch in % or in degrees, not both', 'pitchOnce')
    }
    if (!hasPercent && !hasDegrees) {
      throw fieldError('pitchPercent', 'The pitch is required', 'required')
    }
    let thickness = request.slate.thickness ?? null
    if (request.formatId) {
      const format = await SlateFormat.query()
        .where({ company_id: this.access.companyId, id: request.formatId })
        .first()
      if (!format) throw fieldError('formatId', 'Unknown slate format', 'exists')
      if (thickness === null && format.thicknessUm !== null) thickness = format.thicknessUm / 1000
    }
    return {
      slate: { length: request.slate.length, width: request.slate.width, thickness },
      pitchPercent: hasPercent ? request.pitchPercent : null,
      pitchDegrees: hasDegrees ? request.pitchDegrees : null,
      zone: request.zone as CalculationInput['zone'],
      situation: request.situation,
      rampant: request.rampant,
      area: request.area,
      wastePercent: request.wastePercent ?? null,
      fixing: request.fixing,
      jointGap: request.jointGap ?? null,
    }
  }

  /** Runs a calculation on the company's active table; nothing is written. */
  async run(request: CalculationRequest) {
    const input = await this.input(request)
    const table = await this.table()
    return { input, table, result: calculate(table.table, input) }
  }

  /** Recomputes on the server and saves, with the table version used. */
  async save(request: SaveRequest) {
    if (request.record) await this.#checkRecord(request.record)
    const { input, table, result } = await this.run(request)
    const calculation = await db.transaction(async (trx) => {
      const row = new Calculation()
      row.useTransaction(trx)
      row.merge({
        companyId: this.access.companyId,
        title: request.title,
        tableId: table.id,
        tableLabel: table.label,
        formatId: request.formatId ?? null,
        inputs: input,
        result,
        feasible: result.feasible,
        reason: result.feasible ? null : result.reason,
        recordModel: request.record?.model ?? null,
        recordId: request.record?.id ?? null,
        searchText: normalize(
          [
            request.title,
            `${input.slate.length}x${input.slate.width}`,
            `${input.slate.length}×${input.slate.width}`,
            table.label,
          ].join(' ')
        ),
        ownerId: this.access.userId,
        teamId: null,
      })
      await row.save()
      await record(trx, {
        event: 'created',
        model: CALCULATION_MODEL,
        recordId: row.id,
        after: {
          title: row.title,
          tableLabel: row.tableLabel,
          feasible: row.feasible,
          reason: row.reason,
          recordModel: row.recordModel,
          recordId: row.recordId,
        },
      })
      return row
    })
    if (calculation.recordModel && calculation.recordId) {
      const payload: CalculationSavedEvent = {
        calculationId: calculation.id,
        companyId: calculation.companyId,
        userId: this.access.userId,
        record: { model: calculation.recordModel, id: calculation.recordId },
        title: calculation.title,
        tableVersion: calculation.tableLabel,
        feasible: calculation.feasible,
        billOfMaterials: billOfMaterials(calculation.result, calculation.inputs.slate),
      }
      await emitter.emit(CALCULATION_SAVED_EVENT as any, payload)
    }
    return calculation
  }

  /**
   * A referenced record must be of a kind an enabled module declares in
   * `records`, in the company and within what the user may read.
   */
  async #checkRecord(target: { model: string; id: number }) {
    const declaration = recordTarget(target.model)
    if (!declaration) throw fieldError('record.model', 'Unknown kind of record', 'exists')
    const found = await this.access
      .scope(db.from(declaration.table), declaration.permission, declaration.columns)
      .where('id', target.id)
      .select('id')
      .first()
    if (!found) throw fieldError('record.id', 'Unknown record', 'exists')
  }

  scoped() {
    return this.access.scope(Calculation.query(), PERMISSIONS.calculationRead)
  }

  async list(filters: {
    search?: string
    limit?: number
    cursor?: string
    recordModel?: string
    recordId?: number
  }) {
    const query = this.scoped()
    const term = normalize(filters.search ?? '')
    for (const word of term.split(' ').filter(Boolean).slice(0, 5)) {
      query.whereRaw(`search_text LIKE ? ESCAPE '\\'`, [`%${escapeLike(word)}%`])
    }
    if (filters.recordModel) query.where('record_model', filters.recordModel)
    if (filters.recordId) query.where('record_id', filters.recordId)
    return keysetPage<Calculation>(query, {
      valueOf: undefined,
      direction: 'desc',
      limit: filters.limit ?? 25,
      cursor: filters.cursor,
    })
  }

  async find(id: number) {
    const calculation = await this.readable(id)
    if (!calculation) throw notFound()
    return calculation
  }

  /** The calculation when it is in the user's read scope, else null. */
  async readable(id: number) {
    if (!Number.isInteger(id) || id < 1) return null
    return this.scoped().where('id', id).first()
  }
}

/** A saved calculation as the API and pages show it. */
export function calculationToJson(calculation: Calculation) {
  return {
    id: calculation.id,
    title: calculation.title,
    tableVersion: calculation.tableLabel,
    tableId: calculation.tableId,
    formatId: calculation.formatId,
    input: calculation.inputs,
    result: calculation.result as CalculationResult,
    feasible: calculation.feasible,
    reason: calculation.reason,
    record:
      calculation.recordModel && calculation.recordId
        ? { model: calculation.recordModel, id: calculation.recordId }
        : null,
    ownerId: calculation.ownerId,
    createdAt: calculation.createdAt.toISO(),
  }
}
