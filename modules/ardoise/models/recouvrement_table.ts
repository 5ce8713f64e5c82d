import { DateTime } from 'luxon'
import { BaseModel, column, hasMany } from '@adonisjs/lucid/orm'
import type { HasMany } from '@adonisjs/lucid/types/relations'
import RecouvrementRow from './recouvrement_row.js'

/** One version of a company's recouvrement table; calculations keep the version they used. */
export default class RecouvrementTableVersion extends BaseModel {
  static table = 'ardoise_tables'

  @column({ isPrimary: true })
  declare id: number

  @column()
  declare companyId: number

  @column()
  declare name: string

  @column()
  declare version: number

  @column({ consume: Boolean })
  declare isActive: boolean

  @column()
  declare source: 'seed' | 'csv'

  @column()
  declare fileName: string | null

  @column()
  declare notes: string | null

  @column()
  declare createdBy: number | null

  @column.dateTime()
  declare activatedAt: DateTime | null

  @column.dateTime({ autoCreate: true })
  declare createdAt: DateTime

  @column.dateTime({ autoCreate: true, autoUpdate: true })
  declare updatedAt: DateTime

  @hasMany(() => RecouvrementRow, { foreignKey: 'tableId' })
  declare rows: HasMany<typeof RecouvrementRow>

  /** How results name it, e.g. "DTU 40.11 (1977/1993) — site normal v1". */
  get label() {
    return `${this.name} v${this.version}`
  }
}
