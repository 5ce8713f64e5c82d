import type { HttpContext } from '@adonisjs/core/http'
import vine from '@vinejs/vine'
import CountService, { countClosedError, refusal } from '../services/counts.js'
import LocationService from '../services/location_service.js'
import { reorderList, type ReorderGroup } from '../services/reorder.js'
import { parseQuantity } from '../services/costing.js'
import { locationToJson } from '../transformers/stock_transformer.js'
import { streamCsv } from '#kernel/export/csv'
import { formatQuantity } from '#kernel/pdf/format'
import { addCountLineValidator, listCountsValidator } from '../validators/stock.js'
import { MAX_QUANTITY } from '../constants.js'

const openCountValidator = vine.create({ locationId: vine.number().withoutDecimals().positive() })

/** API: counted quantities in thousandths. */
const enterCountValidator = vine.create({
  lines: vine
    .array(
      vine.object({
        articleId: vine.number().withoutDecimals().positive(),
        counted: vine.number().withoutDecimals().min(0).max(MAX_QUANTITY).nullable(),
      })
    )
    .minLength(1)
    .maxLength(1000),
})

/** Pages: counted quantities as typed ("3", "2,5"), blank for not counted yet. */
const enterCountFormValidator = vine.create({
  lines: vine
    .array(
      vine.object({
        articleId: vine.number().withoutDecimals().positive(),
        counted: vine.string().trim().maxLength(20).nullable().optional(),
      })
    )
    .minLength(1)
    .maxLength(1000),
})

/** Pages: the same, the quantity as typed. */
const addLineFormValidator = vine.create({
  articleId: vine.number().withoutDecimals().positive(),
  counted: vine.string().trim().maxLength(20).nullable().optional(),
})

const candidatesValidator = vine.create({
  search: vine.string().trim().maxLength(100).optional(),
})

/** A quantity as typed ("3", "2,5") → thousandths; blank → null (not counted yet). */
function typedQuantity(text: string | null | undefined, field: string) {
  if (text === null || text === undefined || text === '') return null
  const counted = parseQuantity(text)
  if (counted === null || counted < 0 || counted > MAX_QUANTITY) {
    throw refusal(field, 'quantity', 'Enter a quantity of zero or more')
  }
  return counted
}

function isClosed(error: unknown) {
  return (error as { code?: string } | null)?.code === 'E_COUNT_CLOSED'
}

function reorderCsv(groups: ReorderGroup[], locale: 'fr' | 'en') {
  const header =
    locale === 'en'
      ? [
          'Supplier',
          'Supplier reference',
          'Reference',
          'Article',
          'Unit',
          'On hand',
          'Minimum',
          'To order',
          'Unit price',
          'Amount',
        ]
      : [
          'Fournisseur',
          'Réf. fournisseur',
          'Référence',
          'Article',
          'Unité',
          'En stock',
          'Minimum',
          'À commander',
          'Prix unitaire',
          'Montant',
        ]
  const euros = (cents: number | null) =>
    cents === null ? '' : (cents / 100).toFixed(2).replace('.', locale === 'fr' ? ',' : '.')
  async function* rows() {
    for (const group of groups) {
      for (const line of group.lines) {
        yield [
          group.supplierName ?? '',
          line.supplierReference ?? '',
          line.reference,
          line.name,
          line.unit,
          formatQuantity(line.onHand, locale),
          formatQuantity(line.minStock, locale),
          formatQuantity(line.suggested, locale),
          euros(line.priceCents),
          euros(line.amountCents),
        ]
      }
    }
  }
  return { header, rows: rows() }
}

/** Inventory counts and the reorder list, pages and API. */
export default class CountsController {
  // Pages

  async index(ctx: HttpContext) {
    let filters: Awaited<ReturnType<typeof listCountsValidator.validate>> = {}
    try {
      filters = await listCountsValidator.validate(ctx.request.qs())
    } catch {
      // A hand-edited query string falls back to the default list, not an error page.
    }
    const [page, locations] = await Promise.all([
      new CountService(ctx.access).list(filters),
      new LocationService(ctx.access).list(),
    ])
    return ctx.inertia.render('stock/counts', {
      counts: page.data,
      nextCursor: page.nextCursor,
      filters: {
        locationId: filters.locationId ?? null,
        status: filters.status ?? null,
        cursor: filters.cursor ?? null,
      },
      locations: locations.map(locationToJson),
    })
  }

  async store(ctx: HttpContext) {
    const { locationId } = await ctx.request.validateUsing(openCountValidator)
    const id = await new CountService(ctx.access).open(locationId)
    return ctx.response.redirect(`/stock/counts/${id}`)
  }

  async show(ctx: HttpContext) {
    const count = await new CountService(ctx.access).find(Number(ctx.params.id))
    return ctx.inertia.render('stock/count', { count })
  }

  async enter(ctx: HttpContext) {
    // Someone else's count is a 404 before any validation.
    await new CountService(ctx.access).find(Number(ctx.params.id))
    const { lines } = await ctx.request.validateUsing(enterCountFormValidator)
    const parsed = lines.map((line, i) => ({
      articleId: line.articleId,
      counted: typedQuantity(line.counted, `lines.${i}.counted`),
    }))
    await new CountService(ctx.access).enter(Number(ctx.params.id), parsed)
    ctx.session.flash('success', ctx.i18n.t('stock.count_saved'))
    return ctx.response.redirect(`/stock/counts/${ctx.params.id}`)
  }

  /** Articles to add to the count, for the search on its page (JSON). */
  async candidates(ctx: HttpContext) {
    const { search } = await ctx.request.validateUsing(candidatesValidator, {
      data: ctx.request.qs(),
    })
    const service = new CountService(ctx.access)
    return { data: await service.candidates(Number(ctx.params.id), search ?? '') }
  }

  /** Adds an article found on the shelf; a closed count is a refusal on the form. */
  async add(ctx: HttpContext) {
    const service = new CountService(ctx.access)
    await service.find(Number(ctx.params.id))
    const { articleId, counted } = await ctx.request.validateUsing(addLineFormValidator)
    try {
      await service.add(Number(ctx.params.id), articleId, typedQuantity(counted, 'counted'))
    } catch (error) {
      if (isClosed(error)) throw countClosedError('articleId')
      throw error
    }
    ctx.session.flash('success', ctx.i18n.t('stock.count_line_added'))
    return ctx.response.redirect(`/stock/counts/${ctx.params.id}`)
  }

  async validate(ctx: HttpContext) {
    const result = await new CountService(ctx.access).validate(Number(ctx.params.id))
    ctx.session.flash(
      'success',
      ctx.i18n.t('stock.count_done', { differences: result.differences.length })
    )
    return ctx.response.redirect(`/stock/counts/${ctx.params.id}`)
  }

  async reorder(ctx: HttpContext) {
    return ctx.inertia.render('stock/reorder', { groups: await reorderList(ctx.access) })
  }

  async reorderExport(ctx: HttpContext) {
    const locale = ctx.i18n.locale.startsWith('en') ? 'en' : 'fr'
    const csv = reorderCsv(await reorderList(ctx.access), locale)
    streamCsv(ctx.response, 'reorder.csv', csv.header, csv.rows)
  }

  // API

  async apiIndex({ request, access }: HttpContext) {
    const filters = await request.validateUsing(listCountsValidator, { data: request.qs() })
    const page = await new CountService(access).list(filters)
    return { data: page.data, meta: { nextCursor: page.nextCursor } }
  }

  async apiStore({ request, access, response }: HttpContext) {
    const { locationId } = await request.validateUsing(openCountValidator)
    const service = new CountService(access)
    return response.created({ data: await service.find(await service.open(locationId)) })
  }

  async apiShow({ params, access }: HttpContext) {
    return { data: await new CountService(access).find(Number(params.id)) }
  }

  async apiEnter({ request, params, access }: HttpContext) {
    const service = new CountService(access)
    await service.find(Number(params.id))
    const { lines } = await request.validateUsing(enterCountValidator)
    await service.enter(Number(params.id), lines)
    return { data: await service.find(Number(params.id)) }
  }

  async apiAdd({ request, params, access, response }: HttpContext) {
    const service = new CountService(access)
    await service.find(Number(params.id))
    const { articleId, counted } = await request.validateUsing(addCountLineValidator)
    await service.add(Number(params.id), articleId, counted ?? null)
    return response.created({ data: await service.find(Number(params.id)) })
  }

  async apiValidate({ params, access }: HttpContext) {
    const service = new CountService(access)
    const result = await service.validate(Number(params.id))
    return { data: { ...(await service.find(Number(params.id))), differences: result.differences } }
  }

  async apiReorder({ access }: HttpContext) {
    return { data: await reorderList(access) }
  }

  async apiReorderExport(ctx: HttpContext) {
    return this.reorderExport(ctx)
  }
}
