import type Article from '../models/article.js'
import type Location from '../models/location.js'
import type Movement from '../models/movement.js'

/** What pages and the API show of an article: an allow-list. Quantities in thousandths. */
export function articleToJson(article: Article) {
  return {
    id: article.id,
    reference: article.reference,
    name: article.name,
    category: article.category,
    unit: article.unit,
    purchasePriceCents: article.purchasePriceCents,
    minStock: article.minStock,
    reorderQuantity: article.reorderQuantity,
    barcode: article.barcode,
    quantityOnHand: article.quantityOnHand,
    averageCostCents: article.averageCostCents,
    belowMinimum: article.minStock > 0 && article.quantityOnHand < article.minStock,
    suppliers: (article.suppliers ?? []).map((s) => ({
      contactId: s.contactId,
      supplierReference: s.supplierReference,
      priceCents: s.priceCents,
    })),
    ownerId: article.ownerId,
    teamId: article.teamId,
    archived: article.archivedAt !== null,
    customFields: (article.$extras.customFields ?? {}) as Record<string, unknown>,
    createdAt: article.createdAt.toISO(),
    updatedAt: article.updatedAt.toISO(),
  }
}

export function locationToJson(location: Location) {
  return {
    id: location.id,
    name: location.name,
    kind: location.kind,
    parentId: location.parentId,
    holderUserId: location.holderUserId,
    teamId: location.teamId,
    archived: location.archivedAt !== null,
    createdAt: location.createdAt.toISO(),
  }
}

export function movementToJson(movement: Movement) {
  return {
    id: movement.id,
    number: movement.number,
    type: movement.type,
    fromLocationId: movement.fromLocationId,
    toLocationId: movement.toLocationId,
    reason: movement.reason,
    reference: movement.referenceModel
      ? { model: movement.referenceModel, id: movement.referenceId }
      : null,
    totalCostCents: movement.totalCostCents,
    postedBy: movement.ownerId,
    createdAt: movement.createdAt.toISO(),
    lines: (movement.lines ?? []).map((l) => ({
      id: l.id,
      articleId: l.articleId,
      quantity: l.quantity,
      unitCostCents: l.unitCostCents,
      totalCostCents: l.totalCostCents,
    })),
  }
}
