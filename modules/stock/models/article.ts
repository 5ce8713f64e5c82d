import { DateTime } from 'luxon'
import { BaseModel, column, hasMany } from '@adonisjs/lucid/orm'
import type { HasMany } from '@adonisjs/lucid/types/relations'
import ArticleSupplier from './article_supplier.js'
import { bigint } from './columns.js'

/** A stocked article (spare part, consumable). Quantities in thousandths, money in cents. */
export default class Article extends BaseModel {
  static table = 'stock_articles'

  @column({ isPrimary: true })
  declare id: number

  @column()
  declare companyId: number

  @column()
  declare reference: string

  @column()
  declare name: string

  @column({ serializeAs: null })
  declare searchText: string

  @column()
  declare category: string | null

  @column()
  declare unit: string

  @column(bigint)
  declare purchasePriceCents: number | null

  @column(bigint)
  declare minStock: number

  @column(bigint)
  declare reorderQuantity: number

  @column()
  declare barcode: string | null

  /** Kept by the posting service only */
  @column(bigint)
  declare quantityOnHand: number

  /** Weighted average unit cost, kept by the posting service only */
  @column(bigint)
  declare averageCostCents: number

  @column()
  declare ownerId: number | null

  @column()
  declare teamId: number | null

  @column.dateTime()
  declare archivedAt: DateTime | null

  @column.dateTime({ autoCreate: true })
  declare createdAt: DateTime

  @column.dateTime({ autoCreate: true, autoUpdate: true })
  declare updatedAt: DateTime

  @hasMany(() => ArticleSupplier)
  declare suppliers: HasMany<typeof ArticleSupplier>
}
