import type { HttpContext } from '@adonisjs/core/http'
import ArticleService from '../services/article_service.js'
import LocationService from '../services/location_service.js'
import LedgerService from '../services/ledger.js'
import PostingService, { InsufficientStockError, type MovementInput } from '../services/posting.js'
import {
  createArticleValidator,
  updateArticleValidator,
  listArticlesValidator,
  createLocationValidator,
  updateLocationValidator,
  documentValidator,
  shorthandValidator,
  listMovementsValidator,
  listLevelsValidator,
} from '../validators/stock.js'
import { articleToJson, locationToJson, movementToJson } from '../transformers/stock_transformer.js'
import { customFields } from '#kernel/custom_fields/custom_fields'
import { validateWithCustomFields } from '#kernel/custom_fields/http'
import { ARTICLE_MODEL } from '../constants.js'
import { insufficientStockError } from './errors.js'

/** /api/v1/stock: articles, locations, movements, levels. */
export default class StockApiController {
  async articles({ request, access }: HttpContext) {
    const filters = await request.validateUsing(listArticlesValidator, { data: request.qs() })
    const custom = await customFields.parseFilters(access.companyId, ARTICLE_MODEL, filters.cf)
    const page = await new ArticleService(access).list({ ...filters, custom })
    return { data: page.data.map(articleToJson), meta: { nextCursor: page.nextCursor } }
  }

  async article({ params, access }: HttpContext) {
    return { data: articleToJson(await new ArticleService(access).find(Number(params.id))) }
  }

  async storeArticle(ctx: HttpContext) {
    const data = await validateWithCustomFields(ctx, createArticleValidator, ARTICLE_MODEL, {
      creating: true,
    })
    const article = await new ArticleService(ctx.access).create(data)
    return ctx.response.created({ data: articleToJson(article) })
  }

  async updateArticle(ctx: HttpContext) {
    const data = await validateWithCustomFields(ctx, updateArticleValidator, ARTICLE_MODEL, {
      creating: false,
    })
    const article = await new ArticleService(ctx.access).update(Number(ctx.params.id), data)
    return { data: articleToJson(article) }
  }

  async locations({ access }: HttpContext) {
    const locations = await new LocationService(access).list()
    return { data: locations.map(locationToJson) }
  }

  async location({ params, access }: HttpContext) {
    return { data: locationToJson(await new LocationService(access).find(Number(params.id))) }
  }

  async storeLocation({ request, access, response }: HttpContext) {
    const data = await request.validateUsing(createLocationValidator)
    const location = await new LocationService(access).create(data)
    return response.created({ data: locationToJson(location) })
  }

  async updateLocation({ request, params, access }: HttpContext) {
    const data = await request.validateUsing(updateLocationValidator)
    const location = await new LocationService(access).update(Number(params.id), data)
    return { data: locationToJson(location) }
  }

  async movements({ request, access }: HttpContext) {
    const filters = await request.validateUsing(listMovementsValidator, { data: request.qs() })
    const page = await new LedgerService(access).movements(filters)
    return { data: page.data.map(movementToJson), meta: { nextCursor: page.nextCursor } }
  }

  async movement({ params, access }: HttpContext) {
    return { data: movementToJson(await new LedgerService(access).movement(Number(params.id))) }
  }

  /** A document `{ type, lines: [...] }` or the one-line shorthand `{ type, articleId, quantity }`. */
  async storeMovement(ctx: HttpContext) {
    const { request, access, response } = ctx
    let input: MovementInput
    if (request.input('lines') !== undefined || request.input('articleId') === undefined) {
      input = await request.validateUsing(documentValidator)
    } else {
      const { articleId, quantity, unitCost, ...header } =
        await request.validateUsing(shorthandValidator)
      input = { ...header, lines: [{ articleId, quantity, unitCost }] }
    }
    try {
      const movement = await new PostingService(access).post(input)
      return response.created({ data: movementToJson(movement) })
    } catch (error) {
      if (!(error instanceof InsufficientStockError)) throw error
      return response.conflict({ errors: [insufficientStockError(ctx, error)] })
    }
  }

  async levels({ request, access }: HttpContext) {
    const filters = await request.validateUsing(listLevelsValidator, { data: request.qs() })
    const page = await new LedgerService(access).levels(filters)
    return { data: page.data, meta: { nextCursor: page.nextCursor } }
  }

  async valuation({ access }: HttpContext) {
    return { data: await new LedgerService(access).valuation() }
  }
}
