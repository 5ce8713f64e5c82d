import { BaseModel, column } from '@adonisjs/lucid/orm'
import { bigint } from './columns.js'

/** One article of a movement document. */
export default class MovementLine extends BaseModel {
  static table = 'stock_movement_lines'

  @column({ isPrimary: true })
  declare id: number

  @column()
  declare movementId: number

  @column()
  declare companyId: number

  @column()
  declare articleId: number

  /** Thousandths; signed for adjustments */
  @column(bigint)
  declare quantity: number

  @column(bigint)
  declare unitCostCents: number

  @column(bigint)
  declare totalCostCents: number

  @column(bigint)
  declare averageCostCents: number
}
