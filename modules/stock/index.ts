/**
 * The stock module's public surface. Other modules (maintenance, chantiers…)
 * import from this file only, and only if their manifest depends on or
 * integrates 'stock'. Quantities are thousandths of the article's unit,
 * money integer cents. Every function takes the user's Access: records are
 * read and written within their permissions and scopes.
 */
import db from '@adonisjs/lucid/services/db'
import { Exception } from '@adonisjs/core/exceptions'
import type { Access } from '#kernel/security/access'
import ArticleService from './services/article_service.js'
import LedgerService from './services/ledger.js'
import PostingService from './services/posting.js'
import ReservationService, { type ReservationInput } from './services/reservations.js'
import { articleToJson, movementToJson } from './transformers/stock_transformer.js'
import { PERMISSIONS } from './constants.js'

export { PERMISSIONS as STOCK_PERMISSIONS, QUANTITY_SCALE } from './constants.js'
export type { MovementType, LocationKind } from './constants.js'
export type { ReservationInput } from './services/reservations.js'
/** Thrown when a location lacks the stock asked for (a 409 for HTTP callers); nothing was written. */
export { InsufficientStockError } from './services/posting.js'

/** A record of another module that stock is issued or reserved for. */
export interface StockReference {
  /** `<module>.<model>`, e.g. `maintenance.intervention` */
  model: string
  id: number
}

function forbidden(permission: string) {
  return new Exception(`Missing permission ${permission}`, { status: 403, code: 'E_FORBIDDEN' })
}

/** An article as another module may show it, within the user's scope; null if not visible. */
export async function findArticle(access: Access, id: number) {
  try {
    return articleToJson(await new ArticleService(access).find(id))
  } catch {
    return null
  }
}

/**
 * Issues parts from a location for a record (an intervention, a chantier):
 * one numbered issue document (BS-…) that releases what the record had
 * reserved there, in one transaction. Answers the document and its cost at
 * weighted average cost, which the caller carries to its record. Throws
 * InsufficientStockError (nothing written) or a validation error.
 */
export async function issueFor(
  access: Access,
  input: {
    reference: StockReference
    fromLocationId: number
    lines: { articleId: number; quantity: number }[]
    reason?: string | null
  }
) {
  if (!access.can(PERMISSIONS.movementCreate)) throw forbidden(PERMISSIONS.movementCreate)
  const movement = await new PostingService(access).post({
    type: 'issue',
    fromLocationId: input.fromLocationId,
    lines: input.lines,
    reason: input.reason ?? null,
    reference: input.reference,
  })
  const document = movementToJson(movement)
  return {
    movementId: document.id,
    number: document.number,
    totalCostCents: document.totalCostCents,
    lines: document.lines,
  }
}

/** Sets stock aside at a location for a record; others cannot issue it. */
export async function reserve(access: Access, input: ReservationInput) {
  if (!access.can(PERMISSIONS.movementCreate)) throw forbidden(PERMISSIONS.movementCreate)
  return new ReservationService(access).reserve(input)
}

/** Gives back what a record reserved (all of it when `quantity` is omitted). */
export async function unreserve(
  access: Access,
  input: Omit<ReservationInput, 'quantity'> & { quantity?: number }
) {
  if (!access.can(PERMISSIONS.movementCreate)) throw forbidden(PERMISSIONS.movementCreate)
  return new ReservationService(access).unreserve(input)
}

/** What a record holds reserved, per article and location. */
export async function reservationsOf(access: Access, reference: StockReference) {
  return new ReservationService(access).of(reference)
}

/**
 * Levels (quantity, reserved, available, value) per article × location,
 * within the user's scopes; filter by article and/or location.
 */
export async function readLevels(
  access: Access,
  filters: { articleId?: number; locationId?: number } = {}
) {
  const levels = await new LedgerService(access).levels({ ...filters, limit: 200 })
  return levels.data
}

/**
 * The net cost of the parts issued for a record: its issue documents minus
 * whatever was received back for it, in cents. No scope: the caller checked
 * its own record.
 */
export async function costFor(companyId: number, reference: StockReference) {
  const rows = await db
    .from('stock_movements')
    .where({ company_id: companyId, reference_model: reference.model, reference_id: reference.id })
    .groupBy('type')
    .select('type')
    .sum('total_cost_cents as total')
  let cents = 0
  for (const row of rows) {
    if (row.type === 'issue') cents += Number(row.total)
    if (row.type === 'receipt') cents -= Number(row.total)
  }
  return cents
}
