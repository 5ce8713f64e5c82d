import db from '@adonisjs/lucid/services/db'
import { Exception } from '@adonisjs/core/exceptions'
import type { TransactionClientContract } from '@adonisjs/lucid/types/database'
import type { Access } from '#kernel/security/access'
import { nextNumber } from '#kernel/numbering/numbering'
import { fieldError } from '#kernel/http/field_error'
import { dbNow } from '#kernel/db/timestamp'
import { record } from '#kernel/audit/audit'
import { notify } from '#kernel/notifications/notifications'
import { companyMembers } from '#kernel/security/directory'
import Movement from '../models/movement.js'
import { averageAfterReceipt, lineCost } from './costing.js'
import { allowsNegative } from './settings.js'
import { formatQuantity } from '#kernel/pdf/format'
import {
  ARTICLE_MODEL,
  BELOW_MINIMUM_NOTIFICATION,
  MAX_QUANTITY,
  MOVEMENT_MODEL,
  PERMISSIONS,
  SEQUENCES,
  type MovementType,
} from '../constants.js'

export interface MovementLineInput {
  articleId: number
  /** Thousandths of the article's unit; signed for adjustments, positive otherwise */
  quantity: number
  /** Cents per unit, receipts only (else the article's purchase price, then its average) */
  unitCost?: number | null
}

export interface MovementInput {
  type: MovementType
  lines: MovementLineInput[]
  fromLocationId?: number | null
  toLocationId?: number | null
  reason?: string | null
  /** What the movement is for: `{ model: 'maintenance.intervention', id: 42 }` */
  reference?: { model: string; id: number } | null
}

/**
 * Refusal of a movement that would take a location's stock below zero while
 * the company does not allow it. Nothing was written (not even a number).
 */
export class InsufficientStockError extends Exception {
  static status = 409
  static code = 'E_INSUFFICIENT_STOCK'

  constructor(
    readonly articleId: number,
    readonly reference: string,
    readonly locationId: number,
    readonly locationName: string,
    /** Thousandths on hand at the location */
    readonly available: number,
    /** Thousandths asked for */
    readonly requested: number
  ) {
    super(`Insufficient stock of ${reference} at ${locationName}`, {
      status: 409,
      code: 'E_INSUFFICIENT_STOCK',
    })
  }
}

interface ArticleRow {
  id: number
  reference: string
  purchase_price_cents: number | string | null
  quantity_on_hand: number | string
  average_cost_cents: number | string
}

/** Where each line's quantity leaves from and arrives at, by type. */
function locationsOf(input: MovementInput) {
  const from = input.fromLocationId ?? null
  const to = input.toLocationId ?? null
  switch (input.type) {
    case 'receipt':
      if (!to) throw fieldError('toLocationId', 'A receipt needs a destination', 'required')
      if (from) throw fieldError('fromLocationId', 'A receipt has no origin', 'prohibited')
      return { from: null, to }
    case 'issue':
      if (!from) throw fieldError('fromLocationId', 'An issue needs an origin', 'required')
      if (to) throw fieldError('toLocationId', 'An issue has no destination', 'prohibited')
      return { from, to: null }
    case 'transfer':
      if (!from) throw fieldError('fromLocationId', 'A transfer needs an origin', 'required')
      if (!to) throw fieldError('toLocationId', 'A transfer needs a destination', 'required')
      if (from === to) {
        throw fieldError('toLocationId', 'Choose a location other than the origin', 'different')
      }
      return { from, to }
    case 'adjustment':
      // One location; the line quantities are the signed differences found there.
      if (from && to && from !== to) {
        throw fieldError('fromLocationId', 'An adjustment concerns one location', 'prohibited')
      }
      if (!from && !to) throw fieldError('toLocationId', 'Choose the location', 'required')
      return { from: null, to: (to ?? from)! }
  }
}

function checkLines(input: MovementInput) {
  if (!input.lines.length) throw fieldError('lines', 'Add at least one line', 'required')
  input.lines.forEach((line, i) => {
    const q = line.quantity
    const bad =
      !Number.isSafeInteger(q) ||
      Math.abs(q) > MAX_QUANTITY ||
      (input.type === 'adjustment' ? q === 0 : q <= 0)
    if (bad) {
      throw fieldError(
        `lines.${i}.quantity`,
        input.type === 'adjustment'
          ? 'The difference must be a whole number of thousandths other than zero'
          : 'The quantity must be a positive whole number of thousandths',
        'quantity'
      )
    }
    if (line.unitCost !== undefined && line.unitCost !== null && input.type !== 'receipt') {
      throw fieldError(`lines.${i}.unitCost`, 'Only receipts carry a unit cost', 'prohibited')
    }
  })
}

/**
 * Posts movement documents: the only way stock levels, totals and average
 * costs change. One transaction per document:
 *
 * 1. every level the document lowers is lowered by a conditional UPDATE
 *    (`quantity = quantity - ? … WHERE quantity - reserved >= ?`), in
 *    (article, location) order so concurrent documents lock rows in the same
 *    order; no row updated means not enough stock: 409, and the rollback
 *    leaves nothing. Stock reserved for the document's reference is released
 *    by it; an adjustment (what a count found) may eat into reservations but
 *    never below zero;
 * 2. the articles are locked in id order, their totals and weighted average
 *    cost updated (receipts), each line's cost taken at that average;
 * 3. the number is taken last, so a refused document consumes none, and the
 *    document, its lines and its audit entry are written.
 * A CHECK constraint on the levels is the database's own guard behind (1).
 */
export default class PostingService {
  constructor(private access: Access) {}

  async post(input: MovementInput): Promise<Movement> {
    const { from, to } = locationsOf(input)
    checkLines(input)
    if (input.reference && !/^[a-z][a-z0-9_-]*\.[a-z][a-z0-9_]*$/.test(input.reference.model)) {
      throw fieldError('reference.model', 'Name a record as <module>.<model>', 'reference')
    }
    return db.transaction((trx) => this.postIn(trx, input, from, to))
  }

  /** Posts inside the caller's transaction (counts validate several documents at once). */
  async postIn(
    trx: TransactionClientContract,
    input: MovementInput,
    from: number | null,
    to: number | null
  ): Promise<Movement> {
    const companyId = this.access.companyId
    const locations = await this.#locations(trx, [from, to])
    const articles = await this.#articles(trx, input.lines)
    const negativeAllowed = await allowsNegative(companyId, trx)
    const now = dbNow(trx)

    // 1. Levels, in a fixed order.
    const deltas = new Map<string, { articleId: number; locationId: number; delta: number }>()
    const add = (articleId: number, locationId: number, delta: number) => {
      const key = `${articleId}:${locationId}`
      const entry = deltas.get(key) ?? { articleId, locationId, delta: 0 }
      entry.delta += delta
      deltas.set(key, entry)
    }
    for (const line of input.lines) {
      if (from !== null) add(line.articleId, from, -line.quantity)
      if (to !== null) add(line.articleId, to, line.quantity)
    }
    const ordered = [...deltas.values()]
      .filter((d) => d.delta !== 0)
      .sort((a, b) => a.articleId - b.articleId || a.locationId - b.locationId)
    for (const { articleId, locationId, delta } of ordered) {
      const where = { article_id: articleId, location_id: locationId }
      await trx
        .table('stock_levels')
        .insert({ company_id: companyId, ...where, quantity: 0, updated_at: now })
        .onConflict(['article_id', 'location_id'])
        .ignore()
      // Stock reserved for the record this document is for is released by it.
      let release = 0
      let reserved = 0
      if (delta < 0 && input.reference) {
        // The level's lock first: reservations change only under it.
        await trx.from('stock_levels').where(where).forUpdate().select('quantity').first()
        const reservation = await trx
          .from('stock_reservations')
          .where({
            ...where,
            reference_model: input.reference.model,
            reference_id: input.reference.id,
          })
          .select('quantity')
          .first()
        reserved = Number(reservation?.quantity ?? 0)
        release = Math.min(reserved, -delta)
      }
      const update = trx.from('stock_levels').where(where)
      const changes: Record<string, unknown> = {
        quantity: trx.knexRawQuery('quantity + ?', [delta]),
        updated_at: now,
      }
      if (release) changes.reserved = trx.knexRawQuery('reserved - ?', [release])
      if (delta < 0) {
        if (negativeAllowed) changes.allow_negative = true
        // An adjustment records what is physically there: only the floor at zero holds.
        else if (input.type === 'adjustment') update.where('quantity', '>=', -delta)
        // Others may not take stock reserved for another record.
        else update.whereRaw('quantity - reserved + ? >= ?', [release, -delta])
      }
      const rows = await update.update(changes, ['quantity'])
      if (!rows.length) {
        const level = await trx
          .from('stock_levels')
          .where(where)
          .select('quantity', 'reserved')
          .first()
        const free =
          input.type === 'adjustment'
            ? Number(level?.quantity ?? 0)
            : Number(level?.quantity ?? 0) - Number(level?.reserved ?? 0) + release
        throw new InsufficientStockError(
          articleId,
          articles.get(articleId)!.reference,
          locationId,
          locations.get(locationId)!,
          free,
          -delta
        )
      }
      if (release) {
        const reservation = trx.from('stock_reservations').where({
          ...where,
          reference_model: input.reference!.model,
          reference_id: input.reference!.id,
        })
        if (release === reserved) await reservation.delete()
        else await reservation.update({ quantity: reserved - release, updated_at: now })
      }
    }

    // 2. Totals, average costs and line costs, article by article in id order.
    const lineValues: Record<string, unknown>[] = []
    const state = new Map<
      number,
      {
        onHand: number
        average: number
        price: number | null
        minStock: number
        before: number
        reference: string
        name: string
      }
    >()
    const locked = await trx
      .from('stock_articles')
      .whereIn(
        'id',
        [...articles.keys()].sort((a, b) => a - b)
      )
      .orderBy('id')
      .forUpdate()
      .select(
        'id',
        'reference',
        'name',
        'min_stock',
        'quantity_on_hand',
        'average_cost_cents',
        'purchase_price_cents'
      )
    for (const row of locked) {
      state.set(row.id, {
        onHand: Number(row.quantity_on_hand),
        before: Number(row.quantity_on_hand),
        average: Number(row.average_cost_cents),
        price: row.purchase_price_cents === null ? null : Number(row.purchase_price_cents),
        minStock: Number(row.min_stock),
        reference: row.reference,
        name: row.name,
      })
    }
    let totalCost = 0
    for (const line of input.lines) {
      const article = state.get(line.articleId)!
      let unitCost = article.average
      if (input.type === 'receipt') {
        unitCost = line.unitCost ?? article.price ?? article.average
        article.average = averageAfterReceipt(
          article.onHand,
          article.average,
          line.quantity,
          unitCost
        )
      }
      if (input.type === 'receipt' || input.type === 'adjustment') article.onHand += line.quantity
      if (input.type === 'issue') article.onHand -= line.quantity
      const cost = lineCost(line.quantity, unitCost)
      totalCost += cost
      lineValues.push({
        company_id: companyId,
        article_id: line.articleId,
        quantity: line.quantity,
        unit_cost_cents: unitCost,
        total_cost_cents: cost,
        average_cost_cents: article.average,
      })
    }
    for (const [id, article] of [...state].sort((a, b) => a[0] - b[0])) {
      await trx.from('stock_articles').where('id', id).update({
        quantity_on_hand: article.onHand,
        average_cost_cents: article.average,
        updated_at: now,
      })
    }

    await this.#reorderAlerts(trx, state)

    // 3. The number, the document, its lines, the audit entry.
    const { formatted } = await nextNumber(trx, companyId, SEQUENCES[input.type])
    const movement = new Movement()
    movement.useTransaction(trx)
    movement.merge({
      companyId,
      number: formatted,
      type: input.type,
      fromLocationId: from,
      toLocationId: to,
      reason: input.reason ?? null,
      referenceModel: input.reference?.model ?? null,
      referenceId: input.reference?.id ?? null,
      totalCostCents: totalCost,
      ownerId: this.access.userId,
      teamId: null,
    })
    await movement.save()
    await trx
      .table('stock_movement_lines')
      .multiInsert(lineValues.map((l) => ({ ...l, movement_id: movement.id })))
    await movement.load('lines', (q) => q.orderBy('id'))
    await record(trx, {
      // Outside a request (a job, another module), who and which company still come through.
      actor: { companyId: this.access.companyId, actorId: this.access.userId },
      event: 'created',
      model: MOVEMENT_MODEL,
      recordId: movement.id,
      after: {
        number: movement.number,
        type: movement.type,
        fromLocationId: from,
        toLocationId: to,
        reason: movement.reason,
        reference: input.reference ?? null,
        totalCostCents: totalCost,
        lines: movement.lines.map((l) => ({
          articleId: l.articleId,
          quantity: l.quantity,
          unitCostCents: l.unitCostCents,
        })),
      },
    })
    return movement
  }

  /**
   * Articles this document takes below their minimum (they were at or above
   * it): the company's buyers (holders of stock.article.update, as the type
   * declares) are notified, in this transaction — a refused document
   * notifies nobody. Only the crossing notifies, not every movement below.
   */
  async #reorderAlerts(
    trx: TransactionClientContract,
    state: Map<
      number,
      { onHand: number; before: number; minStock: number; reference: string; name: string }
    >
  ) {
    const crossed = [...state].filter(
      ([, a]) => a.minStock > 0 && a.before >= a.minStock && a.onHand < a.minStock
    )
    if (!crossed.length) return
    const recipients = (await companyMembers(this.access.companyId, trx)).map((m) => m.id)
    for (const [id, article] of crossed) {
      await notify(
        {
          type: BELOW_MINIMUM_NOTIFICATION,
          companyId: this.access.companyId,
          recipients,
          title: {
            fr: `Sous le stock minimum : ${article.reference} — ${article.name}`,
            en: `Below minimum stock: ${article.reference} — ${article.name}`,
          },
          body: {
            key: 'stock.notification_below_minimum',
            params: {
              onHand: formatQuantity(article.onHand),
              minStock: formatQuantity(article.minStock),
            },
          },
          link: `/stock/articles/${id}`,
          record: { model: ARTICLE_MODEL, id },
        },
        { client: trx }
      )
    }
  }

  /** The locations named, visible to the user and not archived; their names by id. */
  async #locations(trx: TransactionClientContract, ids: (number | null)[]) {
    const wanted = ids.filter((id): id is number => id !== null)
    const rows = await this.access
      .scope(trx.from('stock_locations'), PERMISSIONS.locationRead, { owner: 'holder_user_id' })
      .whereIn('id', wanted)
      .whereNull('archived_at')
      // Shared lock: an archive (which takes the row for update) waits for this
      // document, then sees its stock; or this document waits and sees the archive.
      .forShare()
      .select('id', 'name')
    const names = new Map<number, string>(rows.map((r) => [r.id as number, r.name as string]))
    const [from, to] = ids
    if (from !== null && !names.has(from)) {
      throw fieldError('fromLocationId', 'Unknown location', 'exists')
    }
    if (to !== null && !names.has(to))
      throw fieldError('toLocationId', 'Unknown location', 'exists')
    return names
  }

  /** The articles named by the lines, visible to the user and not archived. */
  async #articles(trx: TransactionClientContract, lines: MovementLineInput[]) {
    const ids = [...new Set(lines.map((l) => l.articleId))]
    const rows: ArticleRow[] = await this.access
      .scope(trx.from('stock_articles'), PERMISSIONS.articleRead)
      .whereIn('id', ids)
      .whereNull('archived_at')
      .select('id', 'reference')
    const found = new Map(rows.map((r) => [r.id, r]))
    lines.forEach((line, i) => {
      if (!found.has(line.articleId)) {
        throw fieldError(`lines.${i}.articleId`, 'Unknown article', 'exists')
      }
    })
    return found
  }
}
