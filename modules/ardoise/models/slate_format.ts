import { DateTime } from 'luxon'
import { BaseModel, column } from '@adonisjs/lucid/orm'

const integerOrNull = {
  consume: (v: unknown) => (v === null || v === undefined ? null : Number(v)),
}

/** A slate the company buys: length × width × thickness, supplier, price of one slate. */
export default class SlateFormat extends BaseModel {
  static table = 'ardoise_formats'

  @column({ isPrimary: true })
  declare id: number

  @column()
  declare companyId: number

  @column()
  declare lengthMm: number

  @column()
  declare widthMm: number

  /** Micrometres (3.3 mm → 3300) */
  @column(integerOrNull)
  declare thicknessUm: number | null

  @column()
  declare supplier: string | null

  @column()
  declare reference: string | null

  @column(integerOrNull)
  declare priceCents: number | null

  @column.dateTime({ autoCreate: true })
  declare createdAt: DateTime

  @column.dateTime({ autoCreate: true, autoUpdate: true })
  declare updatedAt: DateTime
}
