import { Exception } from '@adonisjs/core/exceptions'
import db from '@adonisjs/lucid/services/db'
import type { Access } from '#kernel/security/access'
import { keysetPage } from '#kernel/pagination/keyset'
import Movement from '../models/movement.js'
import { LOCATION_COLUMNS } from './location_service.js'
import { PERMISSIONS, QUANTITY_SCALE, type MovementType } from '../constants.js'

export interface LevelFilters {
  articleId?: number
  locationId?: number
  limit?: number
  cursor?: string
}

export interface MovementFilters {
  type?: MovementType
  articleId?: number
  locationId?: number
  limit?: number
  cursor?: string
}

/** Σ quantity × average cost (thousandths × cents) → cents, rounded half up once per total. */
function valueOf(sum: unknown) {
  const raw = BigInt(String(sum ?? 0).split('.')[0])
  const scale = BigInt(QUANTITY_SCALE)
  const negative = raw < 0n
  const abs = negative ? -raw : raw
  const cents = (2n * abs + scale) / (2n * scale)
  return Number(negative ? -cents : cents)
}

/**
 * What the ledger says: levels per article × location, movement documents
 * and their lines, values. Levels and articles are read through the scopes
 * of `stock.article.read` and `stock.location.read`, movements through
 * `stock.movement.read` (a member with `own` sees the documents they posted).
 */
export default class LedgerService {
  constructor(private access: Access) {}

  /** Levels joined to their article and location, within both scopes. */
  levelsQuery() {
    const query = db
      .from('stock_levels')
      .join('stock_articles', 'stock_articles.id', 'stock_levels.article_id')
      .join('stock_locations', 'stock_locations.id', 'stock_levels.location_id')
      .where('stock_levels.company_id', this.access.companyId)
    this.access.scope(query, PERMISSIONS.articleRead, {
      company: 'stock_articles.company_id',
      owner: 'stock_articles.owner_id',
      team: 'stock_articles.team_id',
    })
    this.access.scope(query, PERMISSIONS.locationRead, {
      company: 'stock_locations.company_id',
      owner: `stock_locations.${LOCATION_COLUMNS.owner}`,
      team: 'stock_locations.team_id',
    })
    return query
  }

  /** Levels, keyset-paginated by (article, location); rows at zero are left out. */
  async levels(filters: LevelFilters) {
    const query = this.levelsQuery()
      .where((q) => q.whereNot('stock_levels.quantity', 0).orWhereNot('stock_levels.reserved', 0))
      .select(
        'stock_levels.article_id',
        'stock_levels.location_id as id',
        'stock_levels.quantity',
        'stock_levels.reserved',
        'stock_articles.reference',
        'stock_articles.name as article_name',
        'stock_articles.unit',
        'stock_articles.average_cost_cents',
        'stock_locations.name as location_name',
        'stock_locations.kind as location_kind'
      )
    if (filters.articleId) query.where('stock_levels.article_id', filters.articleId)
    if (filters.locationId) query.where('stock_levels.location_id', filters.locationId)
    const page = await keysetPage<any>(query, {
      column: 'stock_levels.article_id',
      valueOf: (row) => row.article_id,
      idColumn: 'stock_levels.location_id',
      direction: 'asc',
      limit: filters.limit ?? 50,
      cursor: filters.cursor,
    })
    return {
      data: page.data.map((row) => {
        const quantity = Number(row.quantity)
        const average = Number(row.average_cost_cents)
        return {
          articleId: row.article_id as number,
          reference: row.reference as string,
          articleName: row.article_name as string,
          unit: row.unit as string,
          locationId: row.id as number,
          locationName: row.location_name as string,
          locationKind: row.location_kind as string,
          quantity,
          reserved: Number(row.reserved),
          available: quantity - Number(row.reserved),
          averageCostCents: average,
          valueCents: valueOf(BigInt(quantity) * BigInt(average)),
        }
      }),
      nextCursor: page.nextCursor,
    }
  }

  /** Stock value per visible location and in total, in cents, at weighted average cost. */
  async valuation() {
    const rows = await this.levelsQuery()
      .groupBy('stock_locations.id', 'stock_locations.name', 'stock_locations.kind')
      .select('stock_locations.id', 'stock_locations.name', 'stock_locations.kind')
      .select(db.raw('SUM(stock_levels.quantity * stock_articles.average_cost_cents) as value_sum'))
      .orderBy('stock_locations.name')
    const locations = rows.map((r) => ({
      locationId: r.id as number,
      name: r.name as string,
      kind: r.kind as string,
      valueCents: valueOf(r.value_sum),
    }))
    return { locations, totalCents: locations.reduce((sum, l) => sum + l.valueCents, 0) }
  }

  scopedMovements() {
    return this.access.scope(Movement.query(), PERMISSIONS.movementRead)
  }

  /** Movement documents, newest first, keyset-paginated. */
  async movements(filters: MovementFilters) {
    const query = this.scopedMovements()
    if (filters.type) query.where('type', filters.type)
    if (filters.locationId) {
      query.where((q) =>
        q
          .where('from_location_id', filters.locationId!)
          .orWhere('to_location_id', filters.locationId!)
      )
    }
    if (filters.articleId) {
      query.whereExists((q) =>
        q
          .from('stock_movement_lines')
          .whereColumn('stock_movement_lines.movement_id', 'stock_movements.id')
          .where('stock_movement_lines.article_id', filters.articleId!)
      )
    }
    query.preload('lines', (q) => q.orderBy('id'))
    return keysetPage<Movement>(query, {
      valueOf: undefined,
      direction: 'desc',
      limit: filters.limit ?? 25,
      cursor: filters.cursor,
    })
  }

  async movement(id: number) {
    if (!Number.isInteger(id) || id < 1) {
      throw new Exception('Movement not found', { status: 404, code: 'E_NOT_FOUND' })
    }
    const movement = await this.scopedMovements()
      .where('id', id)
      .preload('lines', (q) => q.orderBy('id'))
      .first()
    if (!movement) throw new Exception('Movement not found', { status: 404, code: 'E_NOT_FOUND' })
    return movement
  }

  /** An article's lines, newest first, with their document (within the movement scope). */
  async history(articleId: number, options: { limit?: number; cursor?: string } = {}) {
    const query = db
      .from('stock_movement_lines')
      .join('stock_movements', 'stock_movements.id', 'stock_movement_lines.movement_id')
      .where('stock_movement_lines.article_id', articleId)
      .select(
        'stock_movement_lines.id',
        'stock_movement_lines.quantity',
        'stock_movement_lines.unit_cost_cents',
        'stock_movement_lines.total_cost_cents',
        'stock_movements.id as movement_id',
        'stock_movements.number',
        'stock_movements.type',
        'stock_movements.from_location_id',
        'stock_movements.to_location_id',
        'stock_movements.reason',
        'stock_movements.reference_model',
        'stock_movements.reference_id',
        'stock_movements.owner_id',
        'stock_movements.created_at'
      )
    this.access.scope(query, PERMISSIONS.movementRead, {
      company: 'stock_movements.company_id',
      owner: 'stock_movements.owner_id',
      team: 'stock_movements.team_id',
    })
    const page = await keysetPage<any>(query, {
      idColumn: 'stock_movement_lines.id',
      valueOf: undefined,
      direction: 'desc',
      limit: options.limit ?? 25,
      cursor: options.cursor,
    })
    return {
      data: page.data.map((r) => ({
        id: r.id as number,
        movementId: r.movement_id as number,
        number: r.number as string,
        type: r.type as MovementType,
        quantity: Number(r.quantity),
        unitCostCents: Number(r.unit_cost_cents),
        totalCostCents: Number(r.total_cost_cents),
        fromLocationId: r.from_location_id as number | null,
        toLocationId: r.to_location_id as number | null,
        reason: r.reason as string | null,
        reference: r.reference_model ? { model: r.reference_model, id: r.reference_id } : null,
        ownerId: r.owner_id as number | null,
        createdAt: r.created_at instanceof Date ? r.created_at.toISOString() : String(r.created_at),
      })),
      nextCursor: page.nextCursor,
    }
  }
}
