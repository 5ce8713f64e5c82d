import type { Access } from '#kernel/security/access'
import { customFields } from '#kernel/custom_fields/custom_fields'
import ArticleService, { type ArticleFilters } from './article_service.js'
import LedgerService from './ledger.js'
import LocationService from './location_service.js'
import { ARTICLE_MODEL } from '../constants.js'

/**
 * CSV exports for spreadsheets used in France: quantities as decimals of
 * the unit and amounts in euros, both with a decimal comma, written from the
 * integers exactly (no float). Every row is read through the user's scopes,
 * page by page (keyset), so memory stays flat.
 */
export function decimal(value: number | null | undefined, scale: number) {
  if (value === null || value === undefined) return ''
  const digits = String(scale).length - 1
  const abs = Math.abs(value)
  const whole = Math.trunc(abs / scale)
  const rest = String(abs % scale)
    .padStart(digits, '0')
    .replace(/0+$/, '')
  const text = rest ? `${whole},${rest}` : String(whole)
  return value < 0 ? `-${text}` : text
}

const quantity = (thousandths: number | null | undefined) => decimal(thousandths, 1000)
const euros = (cents: number | null | undefined) =>
  cents === null || cents === undefined
    ? ''
    : `${cents < 0 ? '-' : ''}${Math.trunc(Math.abs(cents) / 100)},${String(Math.abs(cents) % 100).padStart(2, '0')}`

export async function articlesCsv(access: Access, filters: ArticleFilters) {
  const service = new ArticleService(access)
  const custom = customFields.csvColumns(
    await customFields.definitions(access.companyId, ARTICLE_MODEL)
  )
  const header = [
    'reference',
    'name',
    'category',
    'unit',
    'purchasePrice',
    'minStock',
    'reorderQuantity',
    'barcode',
    'onHand',
    'averageCost',
    ...custom.header,
  ]
  async function* rows() {
    let cursor: string | null | undefined = filters.cursor
    do {
      const page = await service.list({ ...filters, cursor, limit: 500 })
      for (const a of page.data) {
        yield [
          a.reference,
          a.name,
          a.category,
          a.unit,
          euros(a.purchasePriceCents),
          quantity(a.minStock),
          quantity(a.reorderQuantity),
          a.barcode,
          quantity(a.quantityOnHand),
          euros(a.averageCostCents),
          ...custom.cells(a.$extras.customFields),
        ]
      }
      cursor = page.nextCursor
    } while (cursor)
  }
  return { header, rows: rows() }
}

export function levelsCsv(access: Access, filters: { articleId?: number; locationId?: number }) {
  const ledger = new LedgerService(access)
  const header = [
    'reference',
    'article',
    'unit',
    'location',
    'quantity',
    'reserved',
    'averageCost',
    'value',
  ]
  async function* rows() {
    let cursor: string | null | undefined
    do {
      const page = await ledger.levels({ ...filters, cursor: cursor ?? undefined, limit: 200 })
      for (const l of page.data) {
        yield [
          l.reference,
          l.articleName,
          l.unit,
          l.locationName,
          quantity(l.quantity),
          quantity(l.reserved),
          euros(l.averageCostCents),
          euros(l.valueCents),
        ]
      }
      cursor = page.nextCursor
    } while (cursor)
  }
  return { header, rows: rows() }
}

/** One row per movement line, newest document first. */
export async function movementsCsv(
  access: Access,
  filters: {
    type?: 'receipt' | 'issue' | 'transfer' | 'adjustment'
    articleId?: number
    locationId?: number
  }
) {
  const ledger = new LedgerService(access)
  const locations = new Map(
    (await new LocationService(access).list()).map((l) => [l.id, l.name] as const)
  )
  const header = [
    'number',
    'date',
    'type',
    'from',
    'to',
    'reference',
    'quantity',
    'unitCost',
    'cost',
    'reason',
    'for',
  ]
  async function* rows() {
    let cursor: string | null | undefined
    const references = new Map<number, string>()
    do {
      const page = await ledger.movements({ ...filters, cursor: cursor ?? undefined, limit: 100 })
      const missing = [
        ...new Set(page.data.flatMap((m) => m.lines.map((l) => l.articleId))),
      ].filter((id) => !references.has(id))
      if (missing.length) {
        const found = await new ArticleService(access)
          .scoped()
          .whereIn('id', missing)
          .select('id', 'reference')
        for (const a of found) references.set(a.id, a.reference)
      }
      for (const m of page.data) {
        for (const line of m.lines) {
          yield [
            m.number,
            m.createdAt.toISO(),
            m.type,
            m.fromLocationId ? (locations.get(m.fromLocationId) ?? m.fromLocationId) : '',
            m.toLocationId ? (locations.get(m.toLocationId) ?? m.toLocationId) : '',
            references.get(line.articleId) ?? line.articleId,
            quantity(line.quantity),
            euros(line.unitCostCents),
            euros(line.totalCostCents),
            m.reason,
            m.referenceModel ? `${m.referenceModel}#${m.referenceId}` : '',
          ]
        }
      }
      cursor = page.nextCursor
    } while (cursor)
  }
  return { header, rows: rows() }
}
