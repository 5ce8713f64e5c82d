import { Access } from '#kernel/security/access'
import ArticleService from '../services/article_service.js'
import LocationService from '../services/location_service.js'
import PostingService from '../services/posting.js'
import CountService from '../services/counts.js'

/**
 * Test factories for the permission matrix test (tests/functional/permission_matrix.spec.ts):
 * one record of `companyId` owned by `ownerId` per kind of record route. `text`
 * is a value the record shows, which a refused request must never return.
 */
function adminOf(companyId: number, userId: number) {
  // Written as an admin of the company: the factories make data, they test no access.
  return new Access(userId, companyId, 'admin', new Map(), [])
}

function unique(prefix: string) {
  return `${prefix} ${Date.now().toString(36)}${Math.random().toString(36).slice(2, 8)}`
}

export async function createArticle(companyId: number, ownerId: number) {
  const text = unique('Matrix article')
  const article = await new ArticleService(adminOf(companyId, ownerId)).create({
    reference: text.replace(/\s+/g, '-').toUpperCase(),
    name: text,
    ownerId,
  })
  return { id: article.id, text }
}

/** A van held by `ownerId` (a location's owner for record scopes is its holder). */
export async function createVan(companyId: number, ownerId: number) {
  const text = unique('Matrix van')
  const van = await new LocationService(adminOf(companyId, ownerId)).create({
    name: text,
    kind: 'van',
    holderUserId: ownerId,
  })
  return { id: van.id, text }
}

/** A receipt posted by `ownerId` (the movement's owner). */
export async function createMovement(companyId: number, ownerId: number) {
  const access = adminOf(companyId, ownerId)
  const article = await createArticle(companyId, ownerId)
  const warehouse = await new LocationService(access).create({
    name: unique('Matrix warehouse'),
    kind: 'warehouse',
  })
  const text = unique('Matrix receipt')
  const movement = await new PostingService(access).post({
    type: 'receipt',
    toLocationId: warehouse.id,
    reason: text,
    lines: [{ articleId: article.id, quantity: 1000, unitCost: 100 }],
  })
  return { id: movement.id, text }
}

/** An inventory count opened by `ownerId` (its owner), of a warehouse whose name it shows. */
export async function createCount(companyId: number, ownerId: number) {
  const access = adminOf(companyId, ownerId)
  const text = unique('Matrix count')
  const warehouse = await new LocationService(access).create({ name: text, kind: 'warehouse' })
  const id = await new CountService(access).open(warehouse.id)
  return { id, text }
}

export const recordFactories = {
  '/stock/counts': createCount,
  '/api/v1/stock/counts': createCount,
  '/stock/articles': createArticle,
  '/api/v1/stock/articles': createArticle,
  '/stock/locations': createVan,
  '/api/v1/stock/locations': createVan,
  '/stock/movements': createMovement,
  '/api/v1/stock/movements': createMovement,
}

export const createRecord = createArticle
