import type { HttpContext } from '@adonisjs/core/http'
import vine from '@vinejs/vine'
import ArticleService, { type ArticleFilters } from '../services/article_service.js'
import LocationService from '../services/location_service.js'
import LedgerService from '../services/ledger.js'
import PostingService, { InsufficientStockError, type MovementInput } from '../services/posting.js'
import { parseQuantity } from '../services/costing.js'
import {
  createArticleValidator,
  updateArticleValidator,
  listArticlesValidator,
  createLocationValidator,
  updateLocationValidator,
} from '../validators/stock.js'
import { articleToJson, locationToJson, movementToJson } from '../transformers/stock_transformer.js'
import { customFields, toView } from '#kernel/custom_fields/custom_fields'
import { validateWithCustomFields } from '#kernel/custom_fields/http'
import { companyMembers, companyTeams } from '#kernel/security/directory'
import { fieldError } from '#kernel/http/field_error'
import { ARTICLE_MODEL, MOVEMENT_TYPES, PERMISSIONS } from '../constants.js'
import { insufficientStockError } from './errors.js'

/**
 * The movement form as people fill it: articles by reference, quantities as
 * decimals ("2", "1,5"); the controller turns them into the document the
 * posting service takes (ids, thousandths).
 */
const movementFormValidator = vine.create({
  type: vine.enum(MOVEMENT_TYPES),
  fromLocationId: vine.number().withoutDecimals().positive().nullable().optional(),
  toLocationId: vine.number().withoutDecimals().positive().nullable().optional(),
  reason: vine.string().trim().maxLength(500).nullable().optional(),
  lines: vine
    .array(
      vine.object({
        reference: vine.string().trim().minLength(1).maxLength(60),
        quantity: vine.string().trim().minLength(1).maxLength(20),
        unitCost: vine.number().withoutDecimals().min(0).max(1e13).nullable().optional(),
      })
    )
    .minLength(1)
    .maxLength(50),
})

/** The stock pages. Thin: validate, call a service, render or redirect. */
export default class StockController {
  #can(ctx: HttpContext) {
    const { access } = ctx
    return {
      createArticle: access.can(PERMISSIONS.articleCreate),
      updateArticle: access.can(PERMISSIONS.articleUpdate),
      manageLocations: access.can(PERMISSIONS.locationManage),
      move: access.can(PERMISSIONS.movementCreate),
      readMovements: access.can(PERMISSIONS.movementRead),
      counts: access.can(PERMISSIONS.countManage),
      import: access.can(PERMISSIONS.articleImport),
    }
  }

  async #filters(ctx: HttpContext): Promise<ArticleFilters> {
    try {
      const filters = await listArticlesValidator.validate(ctx.request.qs())
      const custom = await customFields.parseFilters(
        ctx.access.companyId,
        ARTICLE_MODEL,
        filters.cf
      )
      return { ...filters, custom }
    } catch {
      // A hand-edited query string falls back to the default list, not an error page.
      return {}
    }
  }

  async index(ctx: HttpContext) {
    const { custom, ...filters } = await this.#filters(ctx)
    const service = new ArticleService(ctx.access)
    const page = await service.list({ ...filters, custom })
    return ctx.inertia.render('stock/index', {
      articles: page.data.map(articleToJson),
      nextCursor: page.nextCursor,
      filters: { ...filters, cursor: filters.cursor ?? null },
      categories: await service.categories(),
      locations: (await new LocationService(ctx.access).list()).map(locationToJson),
      can: this.#can(ctx),
    })
  }

  async #formOptions(ctx: HttpContext) {
    const [members, teams] = await Promise.all([
      companyMembers(ctx.access.companyId),
      companyTeams(ctx.access.companyId),
    ])
    return {
      members,
      teams,
      customFields: await customFields.views(ctx.access.companyId, ARTICLE_MODEL, ctx.i18n.locale),
    }
  }

  async create(ctx: HttpContext) {
    return ctx.inertia.render('stock/article_form', {
      article: null,
      ...(await this.#formOptions(ctx)),
    })
  }

  async store(ctx: HttpContext) {
    const data = await validateWithCustomFields(ctx, createArticleValidator, ARTICLE_MODEL, {
      creating: true,
    })
    const article = await new ArticleService(ctx.access).create(data)
    ctx.session.flash(
      'success',
      ctx.i18n.t('stock.article_created', { reference: article.reference })
    )
    return ctx.response.redirect(`/stock/articles/${article.id}`)
  }

  async show(ctx: HttpContext) {
    const article = await new ArticleService(ctx.access).find(Number(ctx.params.id))
    const ledger = new LedgerService(ctx.access)
    const [levels, history, fields] = await Promise.all([
      ledger.levels({ articleId: article.id, limit: 200 }),
      ledger.history(article.id, {
        limit: 25,
        cursor: ctx.request.qs().cursor as string | undefined,
      }),
      customFields.definitions(ctx.access.companyId, ARTICLE_MODEL),
    ])
    const locations = await new LocationService(ctx.access).list()
    const place = { companyId: article.companyId, ownerId: article.ownerId, teamId: article.teamId }
    return ctx.inertia.render('stock/show', {
      article: articleToJson(article),
      levels: levels.data,
      history: history.data,
      nextCursor: history.nextCursor,
      locations: locations.map(locationToJson),
      customFields: fields.map((field) => toView(field, ctx.i18n.locale)),
      can: {
        ...this.#can(ctx),
        updateArticle: await ctx.bouncer.allows('permission', PERMISSIONS.articleUpdate, place),
      },
    })
  }

  async edit(ctx: HttpContext) {
    const article = await new ArticleService(ctx.access).find(
      Number(ctx.params.id),
      PERMISSIONS.articleUpdate
    )
    return ctx.inertia.render('stock/article_form', {
      article: articleToJson(article),
      ...(await this.#formOptions(ctx)),
    })
  }

  async update(ctx: HttpContext) {
    const data = await validateWithCustomFields(ctx, updateArticleValidator, ARTICLE_MODEL, {
      creating: false,
    })
    const article = await new ArticleService(ctx.access).update(Number(ctx.params.id), data)
    ctx.session.flash('success', ctx.i18n.t('stock.article_updated'))
    return ctx.response.redirect(`/stock/articles/${article.id}`)
  }

  async locations(ctx: HttpContext) {
    const archived = ctx.request.qs().archived === '1'
    const [locations, valuation, members] = await Promise.all([
      new LocationService(ctx.access).list({ archived }),
      new LedgerService(ctx.access).valuation(),
      companyMembers(ctx.access.companyId),
    ])
    // The parent warehouses of archived shelves, named even when archived themselves.
    const warehouses = archived ? await new LocationService(ctx.access).list() : locations
    return ctx.inertia.render('stock/locations', {
      locations: locations.map(locationToJson),
      warehouses: warehouses.filter((l) => l.kind === 'warehouse').map(locationToJson),
      archived,
      valuation,
      members,
      can: this.#can(ctx),
    })
  }

  /** A location: what it holds (keyset pages of its levels), its details and history. */
  async location(ctx: HttpContext) {
    const service = new LocationService(ctx.access)
    const location = await service.find(Number(ctx.params.id))
    const cursor = ctx.request.qs().cursor
    const ledger = new LedgerService(ctx.access)
    const [levels, valuation, others, members, teams, manageable] = await Promise.all([
      ledger
        .levels({ locationId: location.id, limit: 50, cursor })
        .catch(() => ledger.levels({ locationId: location.id, limit: 50 })),
      ledger.valuation(),
      service.list(),
      companyMembers(ctx.access.companyId),
      companyTeams(ctx.access.companyId),
      service.scoped(PERMISSIONS.locationManage).where('id', location.id).first(),
    ])
    const parent = location.parentId
      ? await service.find(location.parentId).catch(() => null)
      : null
    return ctx.inertia.render('stock/location', {
      location: locationToJson(location),
      parentName: parent?.name ?? null,
      levels: levels.data,
      nextCursor: levels.nextCursor,
      valueCents:
        valuation.locations.find((l: { locationId: number }) => l.locationId === location.id)
          ?.valueCents ?? 0,
      warehouses: others
        .filter((l) => l.kind === 'warehouse' && l.id !== location.id)
        .map(locationToJson),
      members,
      teams,
      can: { ...this.#can(ctx), manageLocation: manageable !== null },
    })
  }

  async updateLocation(ctx: HttpContext) {
    const data = await ctx.request.validateUsing(updateLocationValidator)
    const id = Number(ctx.params.id)
    const location = await new LocationService(ctx.access).update(id, data)
    const message =
      data.archived === true
        ? 'stock.location_archived'
        : data.archived === false
          ? 'stock.location_restored'
          : 'stock.location_updated'
    ctx.session.flash('success', ctx.i18n.t(message, { name: location.name }))
    return ctx.response.redirect(`/stock/locations/${id}`)
  }

  async storeLocation(ctx: HttpContext) {
    const data = await ctx.request.validateUsing(createLocationValidator)
    const location = await new LocationService(ctx.access).create(data)
    ctx.session.flash('success', ctx.i18n.t('stock.location_created', { name: location.name }))
    return ctx.response.redirect('/stock/locations')
  }

  async newMovement(ctx: HttpContext) {
    const qs = ctx.request.qs()
    const type = (MOVEMENT_TYPES as readonly string[]).includes(qs.type) ? qs.type : 'receipt'
    let article = null
    if (qs.articleId) {
      article = await new ArticleService(ctx.access)
        .find(Number(qs.articleId))
        .then(articleToJson)
        .catch(() => null)
    }
    return ctx.inertia.render('stock/movement_form', {
      type,
      article,
      fromLocationId: Number(qs.fromLocationId) || null,
      locations: (await new LocationService(ctx.access).list()).map(locationToJson),
    })
  }

  async storeMovement(ctx: HttpContext) {
    const form = await ctx.request.validateUsing(movementFormValidator)
    const lines: MovementInput['lines'] = []
    const articles = new ArticleService(ctx.access)
    for (const [i, line] of form.lines.entries()) {
      const quantity = parseQuantity(line.quantity)
      if (quantity === null) {
        throw fieldError(`lines.${i}.quantity`, 'Enter a number, e.g. 2 or 1,5', 'quantity')
      }
      const article = await articles
        .scoped()
        .where('reference', line.reference)
        .whereNull('archived_at')
        .select('id')
        .first()
      if (!article) throw fieldError(`lines.${i}.reference`, 'Unknown article', 'exists')
      lines.push({ articleId: article.id, quantity, unitCost: line.unitCost ?? undefined })
    }
    try {
      const movement = await new PostingService(ctx.access).post({ ...form, lines })
      ctx.session.flash('success', ctx.i18n.t('stock.movement_posted', { number: movement.number }))
      return ctx.response.redirect(`/stock/movements/${movement.id}`)
    } catch (error) {
      if (!(error instanceof InsufficientStockError)) throw error
      const index = lines.findIndex((l) => l.articleId === error.articleId)
      const { message } = insufficientStockError(ctx, error)
      throw fieldError(`lines.${Math.max(index, 0)}.quantity`, message, 'insufficient_stock')
    }
  }

  async movement(ctx: HttpContext) {
    const movement = await new LedgerService(ctx.access).movement(Number(ctx.params.id))
    const ids = movement.lines.map((l) => l.articleId)
    const articles = await new ArticleService(ctx.access)
      .scoped()
      .whereIn('id', ids)
      .select('id', 'reference', 'name', 'unit')
    const locations = await new LocationService(ctx.access).list()
    return ctx.inertia.render('stock/movement', {
      movement: movementToJson(movement),
      articles: Object.fromEntries(
        articles.map((a) => [a.id, { reference: a.reference, name: a.name, unit: a.unit }])
      ),
      locations: Object.fromEntries(locations.map((l) => [l.id, l.name])),
    })
  }
}
