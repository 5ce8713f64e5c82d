import db from '@adonisjs/lucid/services/db'
import type { Access } from '#kernel/security/access'
import { fieldError } from '#kernel/http/field_error'
import { dbNow } from '#kernel/db/timestamp'
import { record } from '#kernel/audit/audit'
import { InsufficientStockError } from './posting.js'
import { LOCATION_COLUMNS } from './location_service.js'
import { MAX_QUANTITY, PERMISSIONS } from '../constants.js'

export interface ReservationInput {
  articleId: number
  locationId: number
  /** Thousandths */
  quantity: number
  /** The record the stock is set aside for: `{ model: 'maintenance.intervention', id: 42 }` */
  reference: { model: string; id: number }
}

/**
 * Stock set aside at a location for a record of another module. Others'
 * issues and transfers cannot take it; an issue for that record releases
 * it. The level's `reserved` moves under the level's row lock, by a
 * conditional update (never more than the free stock), with the
 * reservation row in the same transaction.
 */
export default class ReservationService {
  constructor(private access: Access) {}

  async #check(input: ReservationInput, client: any) {
    if (
      !Number.isSafeInteger(input.quantity) ||
      input.quantity <= 0 ||
      input.quantity > MAX_QUANTITY
    ) {
      throw fieldError(
        'quantity',
        'The quantity must be a positive whole number of thousandths',
        'quantity'
      )
    }
    if (!/^[a-z][a-z0-9_-]*\.[a-z][a-z0-9_]*$/.test(input.reference.model)) {
      throw fieldError('reference.model', 'Name a record as <module>.<model>', 'reference')
    }
    const article = await this.access
      .scope(client.from('stock_articles'), PERMISSIONS.articleRead)
      .where('id', input.articleId)
      .whereNull('archived_at')
      .select('id', 'reference')
      .first()
    if (!article) throw fieldError('articleId', 'Unknown article', 'exists')
    const location = await this.access
      .scope(client.from('stock_locations'), PERMISSIONS.locationRead, LOCATION_COLUMNS)
      .where('id', input.locationId)
      .whereNull('archived_at')
      .select('id', 'name')
      .first()
    if (!location) throw fieldError('locationId', 'Unknown location', 'exists')
    return { reference: article.reference as string, locationName: location.name as string }
  }

  /** Sets `quantity` aside; 409 (InsufficientStockError) when the free stock is short. */
  async reserve(input: ReservationInput) {
    return db.transaction(async (trx) => {
      const names = await this.#check(input, trx)
      const now = dbNow(trx)
      const where = { article_id: input.articleId, location_id: input.locationId }
      await trx
        .table('stock_levels')
        .insert({ company_id: this.access.companyId, ...where, quantity: 0, updated_at: now })
        .onConflict(['article_id', 'location_id'])
        .ignore()
      const rows = await trx
        .from('stock_levels')
        .where(where)
        .whereRaw('quantity - reserved >= ?', [input.quantity])
        .update({ reserved: trx.knexRawQuery('reserved + ?', [input.quantity]), updated_at: now }, [
          'reserved',
        ])
      if (!rows.length) {
        const level = await trx.from('stock_levels').where(where).first()
        throw new InsufficientStockError(
          input.articleId,
          names.reference,
          input.locationId,
          names.locationName,
          Number(level?.quantity ?? 0) - Number(level?.reserved ?? 0),
          input.quantity
        )
      }
      const key = {
        ...where,
        reference_model: input.reference.model,
        reference_id: input.reference.id,
      }
      await trx
        .table('stock_reservations')
        .insert({
          company_id: this.access.companyId,
          ...key,
          quantity: input.quantity,
          created_at: now,
          updated_at: now,
        })
        .onConflict(['article_id', 'location_id', 'reference_model', 'reference_id'])
        .merge({
          quantity: trx.knexRawQuery('stock_reservations.quantity + ?', [input.quantity]),
          updated_at: now,
        })
      const reservation = await trx.from('stock_reservations').where(key).first()
      await record(trx, {
        // Outside a request (a job, another module), who and which company still come through.
        actor: { companyId: this.access.companyId, actorId: this.access.userId },
        event: 'updated',
        model: 'stock.reservation',
        recordId: reservation.id,
        after: { ...input, reserved: Number(reservation.quantity) },
      })
      return { reserved: Number(reservation.quantity) }
    })
  }

  /**
   * Gives back `quantity` (all of it when omitted) of what a record has
   * reserved at a location; answers what stays reserved.
   */
  async unreserve(input: Omit<ReservationInput, 'quantity'> & { quantity?: number }) {
    return db.transaction(async (trx) => {
      await this.#check({ ...input, quantity: input.quantity ?? 1 }, trx)
      const now = dbNow(trx)
      const where = { article_id: input.articleId, location_id: input.locationId }
      // The level's lock first, as every change of `reserved` takes it.
      await trx.from('stock_levels').where(where).forUpdate().first()
      const key = {
        ...where,
        reference_model: input.reference.model,
        reference_id: input.reference.id,
      }
      const reservation = await trx.from('stock_reservations').where(key).first()
      const held = Number(reservation?.quantity ?? 0)
      const released = Math.min(held, input.quantity ?? held)
      if (!released) return { reserved: held }
      await trx
        .from('stock_levels')
        .where(where)
        .update({ reserved: trx.knexRawQuery('reserved - ?', [released]), updated_at: now })
      if (released === held) await trx.from('stock_reservations').where(key).delete()
      else
        await trx
          .from('stock_reservations')
          .where(key)
          .update({ quantity: held - released, updated_at: now })
      await record(trx, {
        actor: { companyId: this.access.companyId, actorId: this.access.userId },
        event: 'updated',
        model: 'stock.reservation',
        recordId: reservation.id,
        before: { reserved: held },
        after: { reserved: held - released },
      })
      return { reserved: held - released }
    })
  }

  /** What a record holds reserved, per article and location. */
  async of(reference: { model: string; id: number }) {
    const rows = await db
      .from('stock_reservations')
      .where({
        company_id: this.access.companyId,
        reference_model: reference.model,
        reference_id: reference.id,
      })
      .orderBy('id')
      .select('article_id', 'location_id', 'quantity')
    return rows.map((r) => ({
      articleId: r.article_id as number,
      locationId: r.location_id as number,
      quantity: Number(r.quantity),
    }))
  }
}
