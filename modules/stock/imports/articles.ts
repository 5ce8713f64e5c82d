import db from '@adonisjs/lucid/services/db'
import { defineImport, type ImportProblem } from '#kernel/imports/types'
import Article from '../models/article.js'
import ArticleService from '../services/article_service.js'
import { LOCATION_COLUMNS } from '../services/location_service.js'
import { PERMISSIONS } from '../constants.js'

export default defineImport({
  async match({ access, client }, _field, values) {
    const rows = await access
      .scope(Article.query({ client }), PERMISSIONS.articleUpdate)
      .whereIn('reference', values)
      .select('id', 'reference')
    return new Map(
      values.map((value) => [value, rows.filter((r) => r.reference === value).map((r) => r.id)])
    )
  },

  async check({ access, t }, { values, action }) {
    const problems: ImportProblem[] = []
    if (action === 'create' && values.name === undefined) {
      problems.push({ field: 'name', rule: 'required', message: t('imports.errors.required') })
    }
    const hasLocation = values.location !== undefined
    const hasQuantity = values.quantity !== undefined
    if (hasQuantity && !hasLocation) {
      problems.push({
        field: 'location',
        rule: 'required',
        message: t('stock.import.location_required'),
      })
    }
    if (hasLocation) {
      const location = await access
        .scope(db.from('stock_locations'), PERMISSIONS.locationRead, LOCATION_COLUMNS)
        .where('name', String(values.location))
        .whereNull('archived_at')
        .select('id')
        .first()
      if (!location) {
        problems.push({
          field: 'location',
          rule: 'exists',
          message: t('stock.import.unknown_location', { name: String(values.location) }),
        })
      } else {
        values.locationId = location.id
      }
    }
    return problems
  },

  async apply({ access, trx, progress }, rows) {
    await new ArticleService(access).importRows(trx, rows, progress)
  },
})
