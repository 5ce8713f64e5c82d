import vine from '@vinejs/vine'
import { COUNT_STATUSES, LOCATION_KINDS, MAX_QUANTITY, MOVEMENT_TYPES } from '../constants.js'

const id = () => vine.number().withoutDecimals().positive()
const cents = () => vine.number().withoutDecimals().min(0).max(1e13)
/** Thousandths of the article's unit */
const quantity = () => vine.number().withoutDecimals().min(0).max(MAX_QUANTITY)

const supplier = vine.object({
  contactId: id(),
  supplierReference: vine.string().trim().maxLength(60).nullable().optional(),
  priceCents: cents().nullable().optional(),
})

function articleFields() {
  return {
    reference: vine.string().trim().minLength(1).maxLength(60),
    name: vine.string().trim().minLength(1).maxLength(200),
    category: vine.string().trim().maxLength(100).nullable().optional(),
    unit: vine.string().trim().minLength(1).maxLength(20).optional(),
    purchasePriceCents: cents().nullable().optional(),
    minStock: quantity().optional(),
    reorderQuantity: quantity().optional(),
    barcode: vine.string().trim().maxLength(64).nullable().optional(),
    suppliers: vine.array(supplier).maxLength(20).optional(),
    ownerId: id().nullable().optional(),
    teamId: id().nullable().optional(),
    customFields: vine.object({}).allowUnknownProperties().optional(),
  }
}

export const createArticleValidator = vine.create(articleFields())

export const updateArticleValidator = vine.create({
  ...articleFields(),
  reference: vine.string().trim().minLength(1).maxLength(60).optional(),
  name: vine.string().trim().minLength(1).maxLength(200).optional(),
})

export const listArticlesValidator = vine.create({
  search: vine.string().trim().maxLength(100).optional(),
  category: vine.string().trim().maxLength(100).optional(),
  locationId: id().optional(),
  belowMinimum: vine.boolean().optional(),
  archived: vine.boolean().optional(),
  limit: vine.number().withoutDecimals().range([1, 100]).optional(),
  cursor: vine.string().trim().maxLength(500).optional(),
  cf: vine.object({}).allowUnknownProperties().optional(),
})

const locationFields = {
  name: vine.string().trim().minLength(1).maxLength(120),
  kind: vine.enum(LOCATION_KINDS),
  parentId: id().nullable().optional(),
  holderUserId: id().nullable().optional(),
  teamId: id().nullable().optional(),
}

export const createLocationValidator = vine.create(locationFields)

export const updateLocationValidator = vine.create({
  ...locationFields,
  name: vine.string().trim().minLength(1).maxLength(120).optional(),
  kind: vine.enum(LOCATION_KINDS).optional(),
  archived: vine.boolean().optional(),
})

const reference = vine
  .object({
    model: vine.string().trim().minLength(3).maxLength(80),
    id: id(),
  })
  .nullable()
  .optional()

const movementHeader = {
  type: vine.enum(MOVEMENT_TYPES),
  fromLocationId: id().nullable().optional(),
  toLocationId: id().nullable().optional(),
  reason: vine.string().trim().maxLength(500).nullable().optional(),
  reference,
}

/** Signed for adjustments: the service checks the sign per type. */
const signedQuantity = () => vine.number().withoutDecimals().min(-MAX_QUANTITY).max(MAX_QUANTITY)

/** A movement document. */
export const documentValidator = vine.create({
  ...movementHeader,
  lines: vine
    .array(
      vine.object({
        articleId: id(),
        quantity: signedQuantity(),
        unitCost: cents().nullable().optional(),
      })
    )
    .minLength(1)
    .maxLength(200),
})

/** The one-line shorthand `{ type, articleId, quantity, unitCost? … }`, read as a document. */
export const shorthandValidator = vine.create({
  ...movementHeader,
  articleId: id(),
  quantity: signedQuantity(),
  unitCost: cents().nullable().optional(),
})

export const listMovementsValidator = vine.create({
  type: vine.enum(MOVEMENT_TYPES).optional(),
  articleId: id().optional(),
  locationId: id().optional(),
  limit: vine.number().withoutDecimals().range([1, 100]).optional(),
  cursor: vine.string().trim().maxLength(500).optional(),
})

export const listLevelsValidator = vine.create({
  articleId: id().optional(),
  locationId: id().optional(),
  limit: vine.number().withoutDecimals().range([1, 200]).optional(),
  cursor: vine.string().trim().maxLength(500).optional(),
})

export const listCountsValidator = vine.create({
  locationId: id().optional(),
  status: vine.enum(COUNT_STATUSES).optional(),
  limit: vine.number().withoutDecimals().range([1, 100]).optional(),
  cursor: vine.string().trim().maxLength(500).optional(),
})

/** One article found on the shelf, counted in thousandths (null: count it later). */
export const addCountLineValidator = vine.create({
  articleId: id(),
  counted: quantity().nullable().optional(),
})
