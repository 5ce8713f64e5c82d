import { DateTime } from 'luxon'
import db from '@adonisjs/lucid/services/db'
import { Exception } from '@adonisjs/core/exceptions'
import { HttpContext } from '@adonisjs/core/http'
import type { TransactionClientContract } from '@adonisjs/lucid/types/database'
import type { Access } from '#kernel/security/access'
import { fieldError } from '#kernel/http/field_error'
import { isCompanyMember, isCompanyTeam } from '#kernel/security/directory'
import { record, snapshot } from '#kernel/audit/audit'
import Location from '../models/location.js'
import { LOCATION_MODEL, PERMISSIONS, type LocationKind } from '../constants.js'

export interface LocationInput {
  name?: string
  kind?: LocationKind
  parentId?: number | null
  holderUserId?: number | null
  teamId?: number | null
}

/** A van's technician is its owner for record scopes: `own` sees one's own van. */
export const LOCATION_COLUMNS = { owner: 'holder_user_id' }

function notFound() {
  return new Exception('Location not found', { status: 404, code: 'E_NOT_FOUND' })
}

/** Warehouses, shelves (inside a warehouse) and vans (a technician's or a team's). */
/** A refusal in the request's language (stock.errors.<key>), English outside a request. */
function refusal(field: string, key: string, fallback: string) {
  const i18n = HttpContext.get()?.i18n
  return fieldError(field, i18n ? i18n.t(`stock.errors.${key}`) : fallback, key)
}

export default class LocationService {
  constructor(private access: Access) {}

  scoped(permission: string = PERMISSIONS.locationRead, client?: TransactionClientContract) {
    return this.access.scope(
      Location.query(client ? { client } : undefined),
      permission,
      LOCATION_COLUMNS
    )
  }

  /** Every visible location (a company has tens, not thousands), warehouses first. */
  async list(options: { archived?: boolean } = {}) {
    const query = this.scoped()
    if (options.archived) query.whereNotNull('archived_at')
    else query.whereNull('archived_at')
    return query.orderByRaw(
      "CASE kind WHEN 'warehouse' THEN 0 WHEN 'shelf' THEN 1 ELSE 2 END, name, id"
    )
  }

  async find(id: number, permission: string = PERMISSIONS.locationRead) {
    if (!Number.isInteger(id) || id < 1) throw notFound()
    const location = await this.scoped(permission).where('id', id).first()
    if (!location) throw notFound()
    return location
  }

  async #check(location: Location, trx: TransactionClientContract) {
    const clash = await trx
      .from('stock_locations')
      .where({ company_id: this.access.companyId, name: location.name })
      .if(location.id, (q) => q.whereNot('id', location.id))
      .first()
    if (clash) throw fieldError('name', 'A location already has this name', 'unique')
    if (location.kind === 'shelf') {
      if (!location.parentId) throw fieldError('parentId', 'A shelf is in a warehouse', 'required')
      const parent = await trx
        .from('stock_locations')
        .where({ company_id: this.access.companyId, id: location.parentId, kind: 'warehouse' })
        .first()
      if (!parent) throw fieldError('parentId', 'Choose a warehouse of this company', 'exists')
    } else if (location.parentId) {
      throw fieldError('parentId', 'Only a shelf has a parent location', 'prohibited')
    }
    if (location.kind !== 'van' && location.holderUserId) {
      throw fieldError('holderUserId', 'Only a van has a holder', 'prohibited')
    }
    if (
      location.holderUserId &&
      !(await isCompanyMember(this.access.companyId, location.holderUserId, trx))
    ) {
      throw fieldError('holderUserId', 'Unknown user in this company', 'exists')
    }
    if (location.teamId && !(await isCompanyTeam(this.access.companyId, location.teamId, trx))) {
      throw fieldError('teamId', 'Unknown team in this company', 'exists')
    }
  }

  /**
   * What an archive or a change of kind must not break: a location is archived
   * only once empty (no stock, nothing reserved, no open count, no shelf still
   * in use in it), and a warehouse keeps its kind while shelves are in it.
   */
  async #checkChange(
    location: Location,
    input: LocationInput & { archived?: boolean },
    trx: TransactionClientContract
  ) {
    const shelves = () =>
      trx.from('stock_locations').where('parent_id', location.id).whereNull('archived_at').first()
    if (input.archived === true && location.archivedAt === null) {
      const held = await trx
        .from('stock_levels')
        .where('location_id', location.id)
        .where((q) => q.whereNot('quantity', 0).orWhereNot('reserved', 0))
        .first()
      if (held) {
        throw refusal(
          'archived',
          'holds_stock',
          'This location still holds stock: transfer it or adjust it to zero first'
        )
      }
      const count = await trx
        .from('stock_counts')
        .where({ location_id: location.id, status: 'open' })
        .first()
      if (count) {
        throw refusal('archived', 'open_count', 'An inventory count is open on this location')
      }
      if (await shelves()) {
        throw refusal('archived', 'has_shelves', 'Archive the shelves of this warehouse first')
      }
    }
    if (input.kind && input.kind !== location.kind && location.kind === 'warehouse') {
      if (await shelves()) {
        throw refusal('kind', 'kind_has_shelves', 'Shelves are in this warehouse: it stays one')
      }
    }
    if (input.archived === false && location.archivedAt !== null && location.parentId) {
      const parent = await trx
        .from('stock_locations')
        .where('id', location.parentId)
        .whereNull('archived_at')
        .first()
      if (!parent) {
        throw refusal('archived', 'parent_archived', 'Restore its warehouse first')
      }
    }
  }

  async create(input: LocationInput & { name: string; kind: LocationKind }) {
    return db.transaction(async (trx) => {
      const location = new Location()
      location.useTransaction(trx)
      location.merge({
        companyId: this.access.companyId,
        name: input.name,
        kind: input.kind,
        parentId: input.parentId ?? null,
        holderUserId: input.holderUserId ?? null,
        teamId: input.teamId ?? null,
      })
      await this.#check(location, trx)
      await location.save()
      await record(trx, {
        // Outside a request (a job, another module), who and which company still come through.
        actor: { companyId: this.access.companyId, actorId: this.access.userId },
        event: 'created',
        model: LOCATION_MODEL,
        recordId: location.id,
        after: snapshot(location),
        ignore: ['companyId'],
      })
      return location
    })
  }

  async update(id: number, input: LocationInput & { archived?: boolean }) {
    return db.transaction(async (trx) => {
      const location = await this.scoped(PERMISSIONS.locationManage, trx)
        .where('id', id)
        .forUpdate()
        .first()
      if (!location) throw notFound()
      const before = snapshot(location)
      const { archived, ...fields } = input
      await this.#checkChange(location, input, trx)
      location.merge(Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined)))
      if (archived !== undefined) {
        location.archivedAt = archived ? (location.archivedAt ?? DateTime.utc()) : null
      }
      await this.#check(location, trx)
      await location.save()
      await record(trx, {
        actor: { companyId: this.access.companyId, actorId: this.access.userId },
        event: 'updated',
        model: LOCATION_MODEL,
        recordId: location.id,
        before,
        after: snapshot(location),
        ignore: ['companyId'],
      })
      return location
    })
  }
}
