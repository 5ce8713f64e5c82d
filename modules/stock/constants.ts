/** Every permission the module checks, as declared in module.ts. */
export const PERMISSIONS = {
  articleRead: 'stock.article.read',
  articleCreate: 'stock.article.create',
  articleUpdate: 'stock.article.update',
  articleImport: 'stock.article.import',
  locationRead: 'stock.location.read',
  locationManage: 'stock.location.manage',
  movementRead: 'stock.movement.read',
  movementCreate: 'stock.movement.create',
  countManage: 'stock.count.manage',
  settingsManage: 'stock.settings.manage',
} as const

export const ARTICLE_MODEL = 'stock.article'
export const LOCATION_MODEL = 'stock.location'
export const MOVEMENT_MODEL = 'stock.movement'
export const COUNT_MODEL = 'stock.count'

export const MOVEMENT_TYPES = ['receipt', 'issue', 'transfer', 'adjustment'] as const
export type MovementType = (typeof MOVEMENT_TYPES)[number]

/** A count is open until validated (its adjustment posted) or cancelled. */
export const COUNT_STATUSES = ['open', 'validated', 'cancelled'] as const
export type CountStatus = (typeof COUNT_STATUSES)[number]

export const LOCATION_KINDS = ['warehouse', 'shelf', 'van'] as const
export type LocationKind = (typeof LOCATION_KINDS)[number]

/** The numbering series of each kind of movement document. */
export const SEQUENCES: Record<MovementType, string> = {
  receipt: 'stock.receipt',
  issue: 'stock.issue',
  transfer: 'stock.transfer',
  adjustment: 'stock.adjustment',
}

/** Quantities are thousandths of the article's unit: 1 unit = 1000. */
export const QUANTITY_SCALE = 1000

/** The largest quantity a line may carry (10^12 units, in thousandths). */
export const MAX_QUANTITY = 1e15

/** The notification type sent when a movement takes an article below its minimum. */
export const BELOW_MINIMUM_NOTIFICATION = 'stock.below_minimum'
