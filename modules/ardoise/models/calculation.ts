import { DateTime } from 'luxon'
import { BaseModel, column } from '@adonisjs/lucid/orm'
import type { CalculationInput, CalculationResult } from '../services/calculate.js'

const json = {
  prepare: (value: unknown) => JSON.stringify(value),
  consume: (value: unknown) => (typeof value === 'string' ? JSON.parse(value) : value),
}

/** A saved calculation: its inputs, its result and the table version that gave it. */
export default class Calculation extends BaseModel {
  static table = 'ardoise_calculations'

  @column({ isPrimary: true })
  declare id: number

  @column()
  declare companyId: number

  @column()
  declare title: string

  @column()
  declare tableId: number

  @column()
  declare tableLabel: string

  @column()
  declare formatId: number | null

  @column(json)
  declare inputs: CalculationInput

  @column(json)
  declare result: CalculationResult

  @column({ consume: Boolean })
  declare feasible: boolean

  @column()
  declare reason: string | null

  @column()
  declare recordModel: string | null

  @column({ consume: (v: unknown) => (v === null || v === undefined ? null : Number(v)) })
  declare recordId: number | null

  @column({ serializeAs: null })
  declare searchText: string

  @column()
  declare ownerId: number | null

  @column()
  declare teamId: number | null

  @column.dateTime({ autoCreate: true })
  declare createdAt: DateTime

  @column.dateTime({ autoCreate: true, autoUpdate: true })
  declare updatedAt: DateTime
}
