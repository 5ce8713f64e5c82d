/**
 * The stock module's public surface. Other modules (maintenance, chantiers…)
 * import from this file only, and only if their manifest depends on or
 * integrates 'stock'.
 */
import type { Access } from '#kernel/security/access'
import ArticleService from './services/article_service.js'
import { articleToJson } from './transformers/stock_transformer.js'

export { PERMISSIONS as STOCK_PERMISSIONS, QUANTITY_SCALE } from './constants.js'
export type { MovementType, LocationKind } from './constants.js'

/** An article as another module may show it, within the user's scope; null if not visible. */
export async function findArticle(access: Access, id: number) {
  try {
    return articleToJson(await new ArticleService(access).find(id))
  } catch {
    return null
  }
}
