import { BaseModel, column } from '@adonisjs/lucid/orm'
import { bigint } from './columns.js'

/** A supplier of an article: a contact (contacts module), its reference and price. */
export default class ArticleSupplier extends BaseModel {
  static table = 'stock_article_suppliers'

  @column({ isPrimary: true })
  declare id: number

  @column()
  declare articleId: number

  @column()
  declare contactId: number

  @column()
  declare supplierReference: string | null

  @column(bigint)
  declare priceCents: number | null

  @column()
  declare position: number
}
