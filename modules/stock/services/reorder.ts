import db from '@adonisjs/lucid/services/db'
import type { Access } from '#kernel/security/access'
import moduleManager from '#kernel/modules/module_manager'
import { PERMISSIONS } from '../constants.js'
import { lineCost } from './costing.js'

export interface ReorderLine {
  articleId: number
  reference: string
  name: string
  unit: string
  onHand: number
  minStock: number
  reorderQuantity: number
  /** What to order: the reorder quantity, or more if that would not reach the minimum */
  suggested: number
  supplierReference: string | null
  priceCents: number | null
  /** suggested × price, in cents (rounded half up), when the price is known */
  amountCents: number | null
}

export interface ReorderGroup {
  /** The article's first supplier (a contact), or null: no supplier recorded */
  supplierId: number | null
  supplierName: string | null
  lines: ReorderLine[]
  totalCents: number
}

/**
 * The purchase suggestion: articles whose total stock is below their
 * minimum, grouped by their first supplier. Read through the user's scope
 * of articles; supplier names come from the contacts module when enabled.
 */
export async function reorderList(access: Access): Promise<ReorderGroup[]> {
  const query = db
    .from('stock_articles')
    .leftJoin('stock_article_suppliers', (q) =>
      q
        .on('stock_article_suppliers.article_id', '=', 'stock_articles.id')
        .andOnVal('stock_article_suppliers.position', '=', 0)
    )
    .whereNull('stock_articles.archived_at')
    .where('stock_articles.min_stock', '>', 0)
    .whereRaw('stock_articles.quantity_on_hand < stock_articles.min_stock')
    .orderBy('stock_articles.reference')
    .select(
      'stock_articles.id',
      'stock_articles.reference',
      'stock_articles.name',
      'stock_articles.unit',
      'stock_articles.quantity_on_hand',
      'stock_articles.min_stock',
      'stock_articles.reorder_quantity',
      'stock_articles.purchase_price_cents',
      'stock_article_suppliers.contact_id',
      'stock_article_suppliers.supplier_reference',
      'stock_article_suppliers.price_cents'
    )
  access.scope(query, PERMISSIONS.articleRead, {
    company: 'stock_articles.company_id',
    owner: 'stock_articles.owner_id',
    team: 'stock_articles.team_id',
  })
  const rows = await query
  const groups = new Map<number | null, ReorderGroup>()
  for (const r of rows) {
    const onHand = Number(r.quantity_on_hand)
    const minStock = Number(r.min_stock)
    const reorderQuantity = Number(r.reorder_quantity)
    const suggested = Math.max(reorderQuantity, minStock - onHand)
    const price =
      r.price_cents !== null
        ? Number(r.price_cents)
        : r.purchase_price_cents !== null
          ? Number(r.purchase_price_cents)
          : null
    const amount = price === null ? null : lineCost(suggested, price)
    const supplierId = (r.contact_id as number | null) ?? null
    if (!groups.has(supplierId)) {
      groups.set(supplierId, { supplierId, supplierName: null, lines: [], totalCents: 0 })
    }
    const group = groups.get(supplierId)!
    group.lines.push({
      articleId: r.id,
      reference: r.reference,
      name: r.name,
      unit: r.unit,
      onHand,
      minStock,
      reorderQuantity,
      suggested,
      supplierReference: r.supplier_reference ?? null,
      priceCents: price,
      amountCents: amount,
    })
    group.totalCents += amount ?? 0
  }
  if (groups.size && (await moduleManager.isEnabled('contacts'))) {
    const { contactLabel } = await import('../../contacts/index.js')
    for (const group of groups.values()) {
      if (group.supplierId === null) continue
      const label = await contactLabel(access.companyId, group.supplierId)
      group.supplierName = label?.name ?? null
    }
  }
  // Named suppliers first, alphabetically; articles without a supplier last.
  return [...groups.values()].sort((a, b) => {
    if (a.supplierId === null) return 1
    if (b.supplierId === null) return -1
    return (a.supplierName ?? '').localeCompare(b.supplierName ?? '')
  })
}
