import type { HttpContext } from '@adonisjs/core/http'
import { streamCsv } from '#kernel/export/csv'
import { customFields } from '#kernel/custom_fields/custom_fields'
import { articlesCsv, levelsCsv, movementsCsv } from '../services/export.js'
import {
  listArticlesValidator,
  listLevelsValidator,
  listMovementsValidator,
} from '../validators/stock.js'
import { ARTICLE_MODEL } from '../constants.js'

/** CSV exports of articles, levels and movements (pages and API alike), with the list filters. */
export default class ExportsController {
  async articles({ request, access, response }: HttpContext) {
    const filters = await request.validateUsing(listArticlesValidator, { data: request.qs() })
    const custom = await customFields.parseFilters(access.companyId, ARTICLE_MODEL, filters.cf)
    // The whole filtered list from its start: no cursor, no page size.
    const csv = await articlesCsv(access, {
      ...filters,
      cursor: undefined,
      limit: undefined,
      custom,
    })
    streamCsv(response, 'articles.csv', csv.header, csv.rows)
  }

  async levels({ request, access, response }: HttpContext) {
    const { articleId, locationId } = await request.validateUsing(listLevelsValidator, {
      data: request.qs(),
    })
    const csv = levelsCsv(access, { articleId, locationId })
    streamCsv(response, 'stock-levels.csv', csv.header, csv.rows)
  }

  async movements({ request, access, response }: HttpContext) {
    const { type, articleId, locationId } = await request.validateUsing(listMovementsValidator, {
      data: request.qs(),
    })
    const csv = await movementsCsv(access, { type, articleId, locationId })
    streamCsv(response, 'stock-movements.csv', csv.header, csv.rows)
  }
}
