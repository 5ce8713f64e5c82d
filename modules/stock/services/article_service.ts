import db from '@adonisjs/lucid/services/db'
import { Exception } from '@adonisjs/core/exceptions'
import type { TransactionClientContract } from '@adonisjs/lucid/types/database'
import type { Access } from '#kernel/security/access'
import { keysetPage } from '#kernel/pagination/keyset'
import { fieldError } from '#kernel/http/field_error'
import { isCompanyMember, isCompanyTeam } from '#kernel/security/directory'
import { record, snapshot } from '#kernel/audit/audit'
import { customFields, type CustomFilter } from '#kernel/custom_fields/custom_fields'
import moduleManager from '#kernel/modules/module_manager'
import Article from '../models/article.js'
import ArticleSupplier from '../models/article_supplier.js'
import { normalize, escapeLike } from './search.js'
import { ARTICLE_MODEL, PERMISSIONS } from '../constants.js'
import PostingService from './posting.js'
import type { CheckedRow } from '#kernel/imports/types'

export interface SupplierInput {
  contactId: number
  supplierReference?: string | null
  priceCents?: number | null
}

export interface ArticleInput {
  reference?: string
  name?: string
  category?: string | null
  unit?: string
  purchasePriceCents?: number | null
  minStock?: number
  reorderQuantity?: number
  barcode?: string | null
  suppliers?: SupplierInput[]
  ownerId?: number | null
  teamId?: number | null
  customFields?: Record<string, unknown>
}

export interface ArticleFilters {
  search?: string
  category?: string
  locationId?: number
  belowMinimum?: boolean
  archived?: boolean
  limit?: number
  cursor?: string
  custom?: CustomFilter[]
}

/** Derived or posting-kept columns: not the user's changes. */
const NOT_AUDITED = ['companyId', 'searchText', 'quantityOnHand', 'averageCostCents']

function notFound() {
  return new Exception('Article not found', { status: 404, code: 'E_NOT_FOUND' })
}

function auditValues(article: Article, custom: Record<string, unknown> = {}) {
  return {
    ...snapshot(article),
    ...Object.fromEntries(Object.entries(custom).map(([k, v]) => [`customFields.${k}`, v])),
    suppliers: (article.suppliers ?? []).map((s) => ({
      contactId: s.contactId,
      supplierReference: s.supplierReference,
      priceCents: s.priceCents,
    })),
  }
}

/**
 * Articles: reads through the user's scope of `stock.article.read`, writes in
 * one transaction with their suppliers, custom fields and audit entry.
 * Quantities on hand and average costs are the posting service's only.
 */
export default class ArticleService {
  constructor(private access: Access) {}

  scoped(permission: string = PERMISSIONS.articleRead, client?: TransactionClientContract) {
    return this.access.scope(Article.query(client ? { client } : undefined), permission)
  }

  filtered(filters: ArticleFilters, permission: string = PERMISSIONS.articleRead) {
    const query = this.scoped(permission)
    if (filters.archived) query.whereNotNull('archived_at')
    else query.whereNull('archived_at')
    if (filters.category) query.where('category', filters.category)
    if (filters.belowMinimum) {
      query.where('min_stock', '>', 0).whereRaw('quantity_on_hand < min_stock')
    }
    if (filters.locationId) {
      query.whereExists((q) =>
        q
          .from('stock_levels')
          .whereColumn('stock_levels.article_id', 'stock_articles.id')
          .where('stock_levels.location_id', filters.locationId!)
          .whereNot('stock_levels.quantity', 0)
      )
    }
    if (filters.custom?.length) {
      customFields.applyFilters(query, filters.custom, 'stock_articles.id')
    }
    const term = normalize(filters.search)
    if (term) {
      for (const word of term.split(' ').slice(0, 5)) {
        query.whereRaw(`search_text LIKE ? ESCAPE '\\'`, [`%${escapeLike(word)}%`])
      }
    }
    return query
  }

  /** One keyset page, by reference. */
  async list(filters: ArticleFilters) {
    const page = await keysetPage<Article>(this.filtered(filters), {
      column: 'reference',
      valueOf: (a) => a.reference,
      direction: 'asc',
      limit: filters.limit ?? 25,
      cursor: filters.cursor,
    })
    await customFields.attach(this.access.companyId, ARTICLE_MODEL, page.data)
    return page
  }

  async find(id: number, permission: string = PERMISSIONS.articleRead) {
    if (!Number.isInteger(id) || id < 1) throw notFound()
    const article = await this.scoped(permission)
      .where('id', id)
      .preload('suppliers', (q) => q.orderBy('position'))
      .first()
    if (!article) throw notFound()
    await customFields.attach(this.access.companyId, ARTICLE_MODEL, [article])
    return article
  }

  /** The distinct categories of the company's articles, for the list's filter. */
  async categories() {
    const rows = await this.scoped()
      .whereNotNull('category')
      .distinct('category')
      .orderBy('category')
      .limit(500)
    return rows.map((r) => r.category as string)
  }

  async #checkReference(reference: string, trx: TransactionClientContract, exceptId?: number) {
    const clash = await trx
      .from('stock_articles')
      .where({ company_id: this.access.companyId, reference })
      .if(exceptId, (q) => q.whereNot('id', exceptId!))
      .first()
    if (clash) throw fieldError('reference', 'This reference is already used', 'unique')
  }

  async #checkOwnership(input: ArticleInput, trx: TransactionClientContract) {
    if (input.ownerId && !(await isCompanyMember(this.access.companyId, input.ownerId, trx))) {
      throw fieldError('ownerId', 'Unknown user in this company', 'exists')
    }
    if (input.teamId && !(await isCompanyTeam(this.access.companyId, input.teamId, trx))) {
      throw fieldError('teamId', 'Unknown team in this company', 'exists')
    }
  }

  /**
   * Suppliers are contacts of the contacts module, read through its public
   * surface and the user's scope; without that module, none can be named.
   */
  async #checkSuppliers(suppliers: SupplierInput[] | undefined) {
    if (!suppliers?.length) return
    if (!(await moduleManager.isEnabled('contacts'))) {
      throw fieldError('suppliers', 'Suppliers come from the contacts module', 'contacts')
    }
    const { findContact } = await import('../../contacts/index.js')
    const seen = new Set<number>()
    for (const [i, supplier] of suppliers.entries()) {
      if (seen.has(supplier.contactId)) {
        throw fieldError(`suppliers.${i}.contactId`, 'This supplier is listed twice', 'distinct')
      }
      seen.add(supplier.contactId)
      if (!(await findContact(this.access, supplier.contactId))) {
        throw fieldError(`suppliers.${i}.contactId`, 'Unknown contact', 'exists')
      }
    }
  }

  async #replaceSuppliers(
    article: Article,
    suppliers: SupplierInput[] | undefined,
    trx: TransactionClientContract
  ) {
    if (suppliers === undefined) return
    await ArticleSupplier.query({ client: trx }).where('article_id', article.id).delete()
    if (suppliers.length) {
      await ArticleSupplier.createMany(
        suppliers.map((s, position) => ({
          articleId: article.id,
          contactId: s.contactId,
          supplierReference: s.supplierReference ?? null,
          priceCents: s.priceCents ?? null,
          position,
        })),
        { client: trx }
      )
    }
  }

  #derived(article: Article) {
    article.searchText = normalize(
      [article.reference, article.name, article.barcode].filter(Boolean).join(' ')
    )
  }

  async create(input: ArticleInput & { reference: string; name: string }) {
    await this.#checkSuppliers(input.suppliers)
    const custom = await customFields.prepare(this.access, ARTICLE_MODEL, input.customFields, {
      creating: true,
    })
    return db.transaction(async (trx) => {
      await this.#checkOwnership(input, trx)
      await this.#checkReference(input.reference, trx)
      const article = new Article()
      article.useTransaction(trx)
      article.merge({
        companyId: this.access.companyId,
        reference: input.reference,
        name: input.name,
        category: input.category ?? null,
        unit: input.unit ?? 'u',
        purchasePriceCents: input.purchasePriceCents ?? null,
        minStock: input.minStock ?? 0,
        reorderQuantity: input.reorderQuantity ?? 0,
        barcode: input.barcode ?? null,
        quantityOnHand: 0,
        averageCostCents: 0,
        ownerId: input.ownerId ?? this.access.userId,
        teamId: input.teamId ?? null,
      })
      this.#derived(article)
      await article.save()
      await this.#replaceSuppliers(article, input.suppliers ?? [], trx)
      await article.load('suppliers', (q) => q.orderBy('position'))
      const { after } = await customFields.write(trx, custom, article.id)
      await customFields.attach(this.access.companyId, ARTICLE_MODEL, [article], { client: trx })
      await record(trx, {
        // Outside a request (a job, another module), who and which company still come through.
        actor: { companyId: this.access.companyId, actorId: this.access.userId },
        event: 'created',
        model: ARTICLE_MODEL,
        recordId: article.id,
        after: auditValues(article, after),
        ignore: NOT_AUDITED,
      })
      return article
    })
  }

  async update(id: number, input: ArticleInput) {
    await this.#checkSuppliers(input.suppliers)
    return db.transaction(async (trx) => {
      const article = await this.scoped(PERMISSIONS.articleUpdate, trx)
        .where('id', id)
        .forUpdate()
        .first()
      if (!article) throw notFound()
      await this.#checkOwnership(input, trx)
      if (input.reference !== undefined) await this.#checkReference(input.reference, trx, id)
      const { suppliers, customFields: customInput, ...fields } = input
      const custom = await customFields.prepare(this.access, ARTICLE_MODEL, customInput, {
        creating: false,
        client: trx,
      })
      await article.load('suppliers', (q) => q.orderBy('position'))
      const written = await customFields.write(trx, custom, article.id)
      const before = auditValues(article, written.before)
      article.merge(Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined)))
      this.#derived(article)
      await article.save()
      await this.#replaceSuppliers(article, suppliers, trx)
      await article.load('suppliers', (q) => q.orderBy('position'))
      await customFields.attach(this.access.companyId, ARTICLE_MODEL, [article], { client: trx })
      await record(trx, {
        actor: { companyId: this.access.companyId, actorId: this.access.userId },
        event: 'updated',
        model: ARTICLE_MODEL,
        recordId: article.id,
        before,
        after: auditValues(article, written.after),
        ignore: NOT_AUDITED,
      })
      return article
    })
  }

  /**
   * Writes an import's rows inside the import's transaction: articles
   * created or updated (audited), then each row's quantity on hand at its
   * location set by a numbered document — a receipt where the location has
   * none of the article yet (at the row's unit cost, else the purchase
   * price), else an adjustment for the difference.
   */
  async importRows(
    trx: TransactionClientContract,
    rows: CheckedRow[],
    progress: (done: number) => void
  ) {
    const posting = new PostingService(this.access)
    let done = 0
    for (const row of rows) {
      const { location, locationId, quantity, unitCost, ...fields } = row.values as Record<
        string,
        any
      >
      void location
      let article: Article
      let before: Record<string, unknown> | null = null
      if (row.action === 'update') {
        const found = await this.scoped(PERMISSIONS.articleUpdate, trx)
          .where('id', row.recordId!)
          .forUpdate()
          .first()
        // Matched within this scope by the dry run moments ago: gone means changed meanwhile.
        if (!found) throw notFound()
        article = found
        before = snapshot(article)
        article.merge(fields)
      } else {
        article = new Article()
        article.useTransaction(trx)
        article.merge({
          companyId: this.access.companyId,
          unit: 'u',
          minStock: 0,
          reorderQuantity: 0,
          quantityOnHand: 0,
          averageCostCents: 0,
          ownerId: this.access.userId,
          ...fields,
        })
      }
      this.#derived(article)
      await article.save()
      await record(trx, {
        actor: { companyId: this.access.companyId, actorId: this.access.userId },
        event: before ? 'updated' : 'created',
        model: ARTICLE_MODEL,
        recordId: article.id,
        before,
        after: snapshot(article),
        ignore: NOT_AUDITED,
      })
      if (quantity !== undefined && locationId) {
        const level = await trx
          .from('stock_levels')
          .where({ article_id: article.id, location_id: locationId })
          .first()
        const current = Number(level?.quantity ?? 0)
        const reason = 'Import'
        if (current === 0 && quantity > 0) {
          const cost = unitCost ?? article.purchasePriceCents ?? undefined
          await posting.postIn(
            trx,
            {
              type: 'receipt',
              lines: [{ articleId: article.id, quantity, unitCost: cost }],
              reason,
            },
            null,
            locationId
          )
        } else if (quantity !== current) {
          await posting.postIn(
            trx,
            {
              type: 'adjustment',
              lines: [{ articleId: article.id, quantity: quantity - current }],
              reason,
            },
            null,
            locationId
          )
        }
      }
      progress(++done)
    }
  }
}
