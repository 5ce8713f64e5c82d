import { DateTime } from 'luxon'
import { BaseModel, column } from '@adonisjs/lucid/orm'
import type { LocationKind } from '../constants.js'

/** Where stock is kept: a warehouse, a shelf in it, or a technician's van. */
export default class Location extends BaseModel {
  static table = 'stock_locations'

  @column({ isPrimary: true })
  declare id: number

  @column()
  declare companyId: number

  @column()
  declare name: string

  @column()
  declare kind: LocationKind

  @column()
  declare parentId: number | null

  @column()
  declare holderUserId: number | null

  @column()
  declare teamId: number | null

  @column.dateTime()
  declare archivedAt: DateTime | null

  @column.dateTime({ autoCreate: true })
  declare createdAt: DateTime

  @column.dateTime({ autoCreate: true, autoUpdate: true })
  declare updatedAt: DateTime
}
