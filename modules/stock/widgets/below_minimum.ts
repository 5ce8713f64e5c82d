import type { WidgetContext } from '#kernel/modules/define_module'
import Article from '../models/article.js'
import { PERMISSIONS } from '../constants.js'

/** KPI: articles whose total stock is below their minimum, in the user's scope. */
export default async function belowMinimum({ access, locale }: WidgetContext) {
  const row = await access
    .scope(Article.query(), PERMISSIONS.articleRead)
    .whereNull('archived_at')
    .where('min_stock', '>', 0)
    .whereRaw('quantity_on_hand < min_stock')
    .count('* as total')
    .first()
  return {
    value: Number(row?.$extras.total ?? 0),
    hint: locale === 'en' ? 'articles to reorder' : 'articles à réapprovisionner',
  }
}
