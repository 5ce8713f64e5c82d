import type { HttpContext } from '@adonisjs/core/http'
import { formatQuantity } from '#kernel/pdf/format'
import type { InsufficientStockError } from '../services/posting.js'

/**
 * The 409 body's entry for a refused movement, in the request's language:
 * `{ rule: 'insufficient_stock', message, available }` (available in thousandths).
 */
export function insufficientStockError({ i18n }: HttpContext, error: InsufficientStockError) {
  const locale = i18n.locale.startsWith('en') ? 'en' : 'fr'
  return {
    rule: 'insufficient_stock',
    message: i18n.t('stock.errors.insufficient_stock', {
      reference: error.reference,
      location: error.locationName,
      available: formatQuantity(error.available, locale),
      requested: formatQuantity(error.requested, locale),
    }),
    available: error.available,
    requested: error.requested,
    articleId: error.articleId,
    locationId: error.locationId,
  }
}
