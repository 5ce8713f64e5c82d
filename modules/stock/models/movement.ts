import { DateTime } from 'luxon'
import { BaseModel, column, hasMany } from '@adonisjs/lucid/orm'
import type { HasMany } from '@adonisjs/lucid/types/relations'
import MovementLine from './movement_line.js'
import { bigint } from './columns.js'
import type { MovementType } from '../constants.js'

/** A posted movement document (BE-, BS-, BT-, BA-…): never edited once written. */
export default class Movement extends BaseModel {
  static table = 'stock_movements'

  @column({ isPrimary: true })
  declare id: number

  @column()
  declare companyId: number

  @column()
  declare number: string

  @column()
  declare type: MovementType

  @column()
  declare fromLocationId: number | null

  @column()
  declare toLocationId: number | null

  @column()
  declare reason: string | null

  @column()
  declare referenceModel: string | null

  @column()
  declare referenceId: number | null

  @column(bigint)
  declare totalCostCents: number

  @column()
  declare ownerId: number | null

  @column()
  declare teamId: number | null

  @column.dateTime({ autoCreate: true })
  declare createdAt: DateTime

  @hasMany(() => MovementLine)
  declare lines: HasMany<typeof MovementLine>
}
