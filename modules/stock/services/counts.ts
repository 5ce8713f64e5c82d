import db from '@adonisjs/lucid/services/db'
import { Exception } from '@adonisjs/core/exceptions'
import { HttpContext } from '@adonisjs/core/http'
import type { TransactionClientContract } from '@adonisjs/lucid/types/database'
import type { Access } from '#kernel/security/access'
import { fieldError } from '#kernel/http/field_error'
import { dbNow } from '#kernel/db/timestamp'
import { record } from '#kernel/audit/audit'
import { keysetPage } from '#kernel/pagination/keyset'
import { normalize, escapeLike } from './search.js'
import PostingService from './posting.js'
import { LOCATION_COLUMNS } from './location_service.js'
import { COUNT_MODEL, MAX_QUANTITY, PERMISSIONS, type CountStatus } from '../constants.js'

function notFound() {
  return new Exception('Count not found', { status: 404, code: 'E_NOT_FOUND' })
}

function conflict(message: string) {
  return new Exception(message, { status: 409, code: 'E_COUNT_CLOSED' })
}

/** The request's wording of a refusal (`stock.errors.<key>`), English outside a request. */
export function refusal(field: string, key: string, fallback: string) {
  const i18n = HttpContext.get()?.i18n
  return fieldError(field, i18n ? i18n.t(`stock.errors.${key}`, {}, fallback) : fallback, key)
}

/** A closed count as a refusal on a page's form (the API answers 409). */
export function countClosedError(field: string) {
  return refusal(field, 'count_closed', 'This count is closed')
}

export interface CountFilters {
  locationId?: number
  status?: CountStatus
  limit?: number
  cursor?: string
}

export interface CountSummary {
  id: number
  status: CountStatus
  locationId: number
  locationName: string
  createdAt: string
  validatedAt: string | null
}

/** An article offered to a count by the search on its page. */
export interface CountCandidate {
  id: number
  reference: string
  name: string
  unit: string
  barcode: string | null
  /** Already a line of this count: the page shows it, adding it again is refused */
  onCount: boolean
}

function isoString(value: unknown) {
  if (value === null || value === undefined) return null
  return value instanceof Date ? value.toISOString() : String(value)
}

function checkCounted(counted: number | null, field: string) {
  if (
    counted !== null &&
    (!Number.isSafeInteger(counted) || counted < 0 || counted > MAX_QUANTITY)
  ) {
    throw refusal(field, 'quantity', 'Enter a quantity of zero or more')
  }
}

export interface CountLine {
  articleId: number
  reference: string
  name: string
  unit: string
  /** The level when the count was opened */
  expected: number
  /** The level now (it moves if movements are posted during the count) */
  current: number
  counted: number | null
  /** counted − current: the adjustment validation would post */
  difference: number | null
}

/**
 * Inventory counts: open one for a location (its articles' levels are
 * noted), enter what was found, review the differences, validate → one
 * adjustment document (BA-…) for every difference, posted with the count's
 * status change in one transaction and audited. Differences are taken
 * against the level at validation, so movements posted during the count are
 * not undone.
 */
export default class CountService {
  constructor(private access: Access) {}

  scoped(client: TransactionClientContract | typeof db = db) {
    return this.access.scope(client.from('stock_counts'), PERMISSIONS.countManage, {
      company: 'stock_counts.company_id',
      owner: 'stock_counts.owner_id',
      team: 'stock_counts.team_id',
    })
  }

  /** Counts, newest first, keyset-paginated; by location and status if asked. */
  async list(filters: CountFilters = {}) {
    const query = this.scoped()
      .join('stock_locations', 'stock_locations.id', 'stock_counts.location_id')
      .select(
        'stock_counts.id',
        'stock_counts.status',
        'stock_counts.location_id',
        'stock_locations.name as location_name',
        'stock_counts.created_at',
        'stock_counts.validated_at'
      )
    if (filters.locationId) query.where('stock_counts.location_id', filters.locationId)
    if (filters.status) query.where('stock_counts.status', filters.status)
    const page = await keysetPage<any>(query, {
      idColumn: 'stock_counts.id',
      valueOf: undefined,
      direction: 'desc',
      limit: filters.limit ?? 25,
      cursor: filters.cursor,
    })
    return {
      data: page.data.map((r): CountSummary => ({
        id: Number(r.id),
        status: r.status,
        locationId: Number(r.location_id),
        locationName: r.location_name,
        createdAt: isoString(r.created_at)!,
        validatedAt: isoString(r.validated_at),
      })),
      nextCursor: page.nextCursor,
    }
  }

  async open(locationId: number) {
    return db.transaction(async (trx) => {
      const location = await this.access
        .scope(trx.from('stock_locations'), PERMISSIONS.locationRead, LOCATION_COLUMNS)
        .where('id', locationId)
        .whereNull('archived_at')
        .first()
      if (!location) throw fieldError('locationId', 'Unknown location', 'exists')
      const now = dbNow(trx)
      const [row] = await trx
        .table('stock_counts')
        .insert({
          company_id: this.access.companyId,
          location_id: locationId,
          status: 'open',
          owner_id: this.access.userId,
          created_at: now,
          updated_at: now,
        })
        .returning('id')
      const id = typeof row === 'object' ? (row.id as number) : (row as number)
      const levels = await trx
        .from('stock_levels')
        .where('location_id', locationId)
        .whereNot('quantity', 0)
        .select('article_id', 'quantity')
      if (levels.length) {
        await trx
          .table('stock_count_lines')
          .multiInsert(
            levels.map((l) => ({ count_id: id, article_id: l.article_id, expected: l.quantity }))
          )
      }
      await record(trx, {
        // Outside a request (a job, another module), who and which company still come through.
        actor: { companyId: this.access.companyId, actorId: this.access.userId },
        event: 'created',
        model: COUNT_MODEL,
        recordId: id,
        after: { locationId, status: 'open', lines: levels.length },
      })
      return id
    })
  }

  async find(id: number) {
    if (!Number.isInteger(id) || id < 1) throw notFound()
    const count = await this.scoped()
      .join('stock_locations', 'stock_locations.id', 'stock_counts.location_id')
      .where('stock_counts.id', id)
      .select('stock_counts.*', 'stock_locations.name as location_name')
      .first()
    if (!count) throw notFound()
    const lines = await db
      .from('stock_count_lines')
      .join('stock_articles', 'stock_articles.id', 'stock_count_lines.article_id')
      .leftJoin('stock_levels', (q) =>
        q
          .on('stock_levels.article_id', '=', 'stock_count_lines.article_id')
          .andOnVal('stock_levels.location_id', '=', count.location_id)
      )
      .where('stock_count_lines.count_id', id)
      .orderBy('stock_articles.reference')
      .select(
        'stock_count_lines.article_id',
        'stock_count_lines.expected',
        'stock_count_lines.counted',
        'stock_articles.reference',
        'stock_articles.name',
        'stock_articles.unit',
        'stock_levels.quantity as current'
      )
    return {
      id: count.id as number,
      status: count.status as CountStatus,
      locationId: count.location_id as number,
      locationName: count.location_name as string,
      movementId: (count.movement_id as number | null) ?? null,
      lines: lines.map((l): CountLine => {
        const current = Number(l.current ?? 0)
        const counted = l.counted === null ? null : Number(l.counted)
        return {
          articleId: l.article_id,
          reference: l.reference,
          name: l.name,
          unit: l.unit,
          expected: Number(l.expected),
          current,
          counted,
          difference: counted === null ? null : counted - current,
        }
      }),
    }
  }

  async #openCount(trx: TransactionClientContract, id: number) {
    const count = await this.scoped(trx).where('stock_counts.id', id).forUpdate().first()
    if (!count) throw notFound()
    if (count.status !== 'open') throw conflict('This count is closed')
    return count
  }

  /**
   * Records counted quantities (thousandths), by article; an article of the
   * company not yet on the count is added (found where it was not expected).
   */
  async enter(id: number, lines: { articleId: number; counted: number | null }[]) {
    return db.transaction(async (trx) => {
      const count = await this.#openCount(trx, id)
      for (const [i, line] of lines.entries()) {
        checkCounted(line.counted, `lines.${i}.counted`)
        const existing = await trx
          .from('stock_count_lines')
          .where({ count_id: id, article_id: line.articleId })
          .first()
        if (existing) {
          await trx
            .from('stock_count_lines')
            .where('id', existing.id)
            .update({ counted: line.counted })
          continue
        }
        await this.#addLine(trx, count, line.articleId, line.counted, `lines.${i}.articleId`)
      }
      await this.#touch(trx, id)
    })
  }

  /**
   * Adds one article found on the shelf but not on the count, with what was
   * counted of it (or blank, to count later). An article already on the
   * count is refused: its quantity is entered on its own line.
   */
  async add(id: number, articleId: number, counted: number | null) {
    return db.transaction(async (trx) => {
      const count = await this.#openCount(trx, id)
      checkCounted(counted, 'counted')
      const existing = await trx
        .from('stock_count_lines')
        .where({ count_id: id, article_id: articleId })
        .first()
      if (existing) {
        throw refusal('articleId', 'count_line_exists', 'This article is already on the count')
      }
      await this.#addLine(trx, count, articleId, counted, 'articleId')
      await this.#touch(trx, id)
    })
  }

  /**
   * Articles matching a reference, name or barcode (the articles list's
   * search, within the user's scope), to add to the count; archived ones are
   * left out. Ten at most: the user narrows the search rather than scrolls.
   */
  async candidates(id: number, search: string): Promise<CountCandidate[]> {
    const count = await this.find(id)
    const term = normalize(search)
    if (!term) return []
    const query = this.access
      .scope(db.from('stock_articles'), PERMISSIONS.articleRead)
      .whereNull('archived_at')
    for (const word of term.split(' ').slice(0, 5)) {
      query.whereRaw(`search_text LIKE ? ESCAPE '\\'`, [`%${escapeLike(word)}%`])
    }
    const rows = await query
      .orderBy('reference')
      .limit(10)
      .select('id', 'reference', 'name', 'unit', 'barcode')
    const listed = new Set(count.lines.map((l) => l.articleId))
    return rows.map((r) => ({
      id: Number(r.id),
      reference: r.reference,
      name: r.name,
      unit: r.unit,
      barcode: r.barcode ?? null,
      onCount: listed.has(Number(r.id)),
    }))
  }

  /** A line for an article not on the count, expecting its level at the count's location now. */
  async #addLine(
    trx: TransactionClientContract,
    count: { id: number; location_id: number },
    articleId: number,
    counted: number | null,
    field: string
  ) {
    const article = await this.access
      .scope(trx.from('stock_articles'), PERMISSIONS.articleRead)
      .where('id', articleId)
      .select('id', 'archived_at')
      .first()
    if (!article) throw fieldError(field, 'Unknown article', 'exists')
    // An archived article is no longer stocked: counting it would bring it back unnoticed.
    if (article.archived_at) {
      throw refusal(field, 'article_archived', 'This article is archived')
    }
    const level = await trx
      .from('stock_levels')
      .where({ article_id: articleId, location_id: count.location_id })
      .first()
    await trx.table('stock_count_lines').insert({
      count_id: count.id,
      article_id: articleId,
      expected: Number(level?.quantity ?? 0),
      counted,
    })
  }

  async #touch(trx: TransactionClientContract, id: number) {
    await trx
      .from('stock_counts')
      .where('id', id)
      .update({ updated_at: dbNow(trx) })
  }

  /**
   * Closes the count: one adjustment document for the differences between
   * what was counted and the levels now, the count validated, both audited —
   * all or nothing. Lines left blank are not adjusted.
   */
  async validate(id: number) {
    return db.transaction(async (trx) => {
      const count = await this.#openCount(trx, id)
      const lines = await trx
        .from('stock_count_lines')
        .where('count_id', id)
        .whereNotNull('counted')
        .orderBy('article_id')
        .select('article_id', 'counted')
      const differences: { articleId: number; quantity: number }[] = []
      for (const line of lines) {
        // The level's lock, so the difference is taken against the final figure.
        const level = await trx
          .from('stock_levels')
          .where({ article_id: line.article_id, location_id: count.location_id })
          .forUpdate()
          .first()
        const difference = Number(line.counted) - Number(level?.quantity ?? 0)
        if (difference !== 0) differences.push({ articleId: line.article_id, quantity: difference })
      }
      let movementId: number | null = null
      if (differences.length) {
        const movement = await new PostingService(this.access).postIn(
          trx,
          {
            type: 'adjustment',
            lines: differences,
            toLocationId: count.location_id,
            reason: `Inventaire #${id}`,
            reference: { model: COUNT_MODEL, id },
          },
          null,
          count.location_id
        )
        movementId = movement.id
      }
      const now = dbNow(trx)
      await trx.from('stock_counts').where('id', id).update({
        status: 'validated',
        movement_id: movementId,
        validated_by: this.access.userId,
        validated_at: now,
        updated_at: now,
      })
      await record(trx, {
        actor: { companyId: this.access.companyId, actorId: this.access.userId },
        event: 'updated',
        model: COUNT_MODEL,
        recordId: id,
        before: { status: 'open' },
        after: { status: 'validated', movementId, differences },
      })
      return { movementId, differences }
    })
  }

  async cancel(id: number) {
    return db.transaction(async (trx) => {
      await this.#openCount(trx, id)
      await trx
        .from('stock_counts')
        .where('id', id)
        .update({ status: 'cancelled', updated_at: dbNow(trx) })
      await record(trx, {
        actor: { companyId: this.access.companyId, actorId: this.access.userId },
        event: 'updated',
        model: COUNT_MODEL,
        recordId: id,
        before: { status: 'open' },
        after: { status: 'cancelled' },
      })
    })
  }
}
