import { defineRoutes } from '#kernel/modules/define_module'
import { apiDoc } from '#kernel/api/docs'
import { can } from '#start/stacks'
import { PERMISSIONS } from './constants.js'
import {
  createArticleValidator,
  updateArticleValidator,
  listArticlesValidator,
  createLocationValidator,
  updateLocationValidator,
  documentValidator,
  listMovementsValidator,
  listLevelsValidator,
  listCountsValidator,
  addCountLineValidator,
} from './validators/stock.js'

const StockApiController = () => import('./controllers/stock_api_controller.js')
const StockController = () => import('./controllers/stock_controller.js')
const CountsController = () => import('./controllers/counts_controller.js')
const ExportsController = () => import('./controllers/exports_controller.js')

/** Pages under /stock, JSON under /api/v1/stock; each route declares its permission. */
export default defineRoutes({
  web(router) {
    const id = router.matchers.number()
    router.get('/', [StockController, 'index']).use(can(PERMISSIONS.articleRead)).as('stock.index')
    router
      .get('/articles/create', [StockController, 'create'])
      .use(can(PERMISSIONS.articleCreate))
      .as('stock.articles.create')
    router
      .post('/articles', [StockController, 'store'])
      .use(can(PERMISSIONS.articleCreate))
      .as('stock.articles.store')
    router
      .get('/articles/:id', [StockController, 'show'])
      .where('id', id)
      .use(can(PERMISSIONS.articleRead))
      .as('stock.articles.show')
    router
      .get('/articles/:id/edit', [StockController, 'edit'])
      .where('id', id)
      .use(can(PERMISSIONS.articleUpdate))
      .as('stock.articles.edit')
    router
      .put('/articles/:id', [StockController, 'update'])
      .where('id', id)
      .use(can(PERMISSIONS.articleUpdate))
      .as('stock.articles.update')
    router
      .get('/locations', [StockController, 'locations'])
      .use(can(PERMISSIONS.locationRead))
      .as('stock.locations.index')
    router
      .post('/locations', [StockController, 'storeLocation'])
      .use(can(PERMISSIONS.locationManage))
      .as('stock.locations.store')
    router
      .get('/locations/:id', [StockController, 'location'])
      .where('id', id)
      .use(can(PERMISSIONS.locationRead))
      .as('stock.locations.show')
    router
      .put('/locations/:id', [StockController, 'updateLocation'])
      .where('id', id)
      .use(can(PERMISSIONS.locationManage))
      .as('stock.locations.update')
    router
      .get('/movements/create', [StockController, 'newMovement'])
      .use(can(PERMISSIONS.movementCreate))
      .as('stock.movements.create')
    router
      .post('/movements', [StockController, 'storeMovement'])
      .use(can(PERMISSIONS.movementCreate))
      .as('stock.movements.store')
    router
      .get('/movements/:id', [StockController, 'movement'])
      .where('id', id)
      .use(can(PERMISSIONS.movementRead))
      .as('stock.movements.show')
    router
      .get('/counts', [CountsController, 'index'])
      .use(can(PERMISSIONS.countManage))
      .as('stock.counts.index')
    router
      .post('/counts', [CountsController, 'store'])
      .use(can(PERMISSIONS.countManage))
      .as('stock.counts.store')
    router
      .get('/counts/:id', [CountsController, 'show'])
      .where('id', id)
      .use(can(PERMISSIONS.countManage))
      .as('stock.counts.show')
    router
      .put('/counts/:id', [CountsController, 'enter'])
      .where('id', id)
      .use(can(PERMISSIONS.countManage))
      .as('stock.counts.update')
    router
      .get('/counts/:id/articles', [CountsController, 'candidates'])
      .where('id', id)
      .use(can(PERMISSIONS.countManage))
      .as('stock.counts.candidates')
    router
      .post('/counts/:id/lines', [CountsController, 'add'])
      .where('id', id)
      .use(can(PERMISSIONS.countManage))
      .as('stock.counts.lines.store')
    router
      .post('/counts/:id/validate', [CountsController, 'validate'])
      .where('id', id)
      .use(can(PERMISSIONS.countManage))
      .as('stock.counts.validate')
    router
      .get('/reorder', [CountsController, 'reorder'])
      .use(can(PERMISSIONS.articleRead))
      .as('stock.reorder')
    router
      .get('/reorder.csv', [CountsController, 'reorderExport'])
      .use(can(PERMISSIONS.articleRead))
      .as('stock.reorder.export')
    router
      .get('/articles.csv', [ExportsController, 'articles'])
      .use(can(PERMISSIONS.articleRead))
      .as('stock.articles.export')
    router
      .get('/levels.csv', [ExportsController, 'levels'])
      .use(can(PERMISSIONS.articleRead))
      .as('stock.levels.export')
    router
      .get('/movements.csv', [ExportsController, 'movements'])
      .use(can(PERMISSIONS.movementRead))
      .as('stock.movements.export')
  },

  api(router) {
    const id = router.matchers.number()
    apiDoc(
      router
        .get('/articles', [StockApiController, 'articles'])
        .use(can(PERMISSIONS.articleRead))
        .as('api.stock.articles.index'),
      {
        summary: 'Lists articles by reference, keyset-paginated (25 by default, 100 at most)',
        description:
          '`search` matches reference, name and barcode; `category`, `locationId` (articles with stock there) and `belowMinimum` filter. Quantities are thousandths of the unit, money in cents. Pass `meta.nextCursor` back as `cursor`.',
        query: listArticlesValidator,
        responses: { 200: '`{ data: Article[], meta: { nextCursor } }`' },
      }
    )
    apiDoc(
      router
        .post('/articles', [StockApiController, 'storeArticle'])
        .use(can(PERMISSIONS.articleCreate))
        .as('api.stock.articles.store'),
      {
        summary: 'Creates an article (reference unique in the company)',
        body: createArticleValidator,
        responses: { 201: '`{ data: Article }`' },
      }
    )
    apiDoc(
      router
        .get('/articles/:id', [StockApiController, 'article'])
        .where('id', id)
        .use(can(PERMISSIONS.articleRead))
        .as('api.stock.articles.show'),
      { summary: 'One article', responses: { 200: '`{ data: Article }`' } }
    )
    apiDoc(
      router
        .patch('/articles/:id', [StockApiController, 'updateArticle'])
        .where('id', id)
        .use(can(PERMISSIONS.articleUpdate))
        .as('api.stock.articles.update'),
      {
        summary: 'Updates the given fields; `suppliers`, when given, replaces the list',
        description: 'Quantities on hand and average costs change through movements only.',
        body: updateArticleValidator,
        responses: { 200: '`{ data: Article }`' },
      }
    )

    apiDoc(
      router
        .get('/locations', [StockApiController, 'locations'])
        .use(can(PERMISSIONS.locationRead))
        .as('api.stock.locations.index'),
      { summary: 'Lists the locations: warehouses, shelves and vans' }
    )
    apiDoc(
      router
        .post('/locations', [StockApiController, 'storeLocation'])
        .use(can(PERMISSIONS.locationManage))
        .as('api.stock.locations.store'),
      {
        summary: 'Creates a location',
        description:
          '`{ name, kind: "warehouse" | "van" | "shelf", parentId?, holderUserId?, teamId? }`: a shelf is in a warehouse (`parentId`), a van belongs to a technician (`holderUserId`) or a team.',
        body: createLocationValidator,
        responses: { 201: '`{ data: Location }`' },
      }
    )
    apiDoc(
      router
        .get('/locations/:id', [StockApiController, 'location'])
        .where('id', id)
        .use(can(PERMISSIONS.locationRead))
        .as('api.stock.locations.show'),
      { summary: 'One location', responses: { 200: '`{ data: Location }`' } }
    )
    apiDoc(
      router
        .patch('/locations/:id', [StockApiController, 'updateLocation'])
        .where('id', id)
        .use(can(PERMISSIONS.locationManage))
        .as('api.stock.locations.update'),
      {
        summary: 'Updates or archives (`archived: true`) a location',
        body: updateLocationValidator,
        responses: { 200: '`{ data: Location }`' },
      }
    )

    apiDoc(
      router
        .get('/movements', [StockApiController, 'movements'])
        .use(can(PERMISSIONS.movementRead))
        .as('api.stock.movements.index'),
      {
        summary: 'Lists movement documents, newest first, keyset-paginated',
        query: listMovementsValidator,
        responses: { 200: '`{ data: Movement[], meta: { nextCursor } }`' },
      }
    )
    apiDoc(
      router
        .post('/movements', [StockApiController, 'storeMovement'])
        .use(can(PERMISSIONS.movementCreate))
        .as('api.stock.movements.store'),
      {
        summary: 'Posts a receipt, issue, transfer or adjustment; answers the numbered document',
        description:
          '`{ type, lines: [{ articleId, quantity, unitCost? }], fromLocationId?, toLocationId?, reason?, reference?: { model, id } }` or the one-line shorthand `{ type, articleId, quantity, unitCost?, fromLocationId?, toLocationId?, reason? }`. Quantities in thousandths of the unit (signed differences for adjustments), `unitCost` in cents per unit (receipts). A receipt needs `toLocationId`, an issue `fromLocationId`, a transfer both, an adjustment one. 409 `{ errors: [{ rule: "insufficient_stock", message, available }] }` when a location would go below zero: nothing is written and no number is used.',
        body: documentValidator,
        responses: {
          201: '`{ data: Movement }`',
          409: 'Insufficient stock',
          422: 'Invalid input',
        },
      }
    )
    apiDoc(
      router
        .get('/movements/:id', [StockApiController, 'movement'])
        .where('id', id)
        .use(can(PERMISSIONS.movementRead))
        .as('api.stock.movements.show'),
      {
        summary: 'One movement document with its lines',
        responses: { 200: '`{ data: Movement }`' },
      }
    )

    apiDoc(
      router
        .get('/levels', [StockApiController, 'levels'])
        .use(can(PERMISSIONS.articleRead))
        .as('api.stock.levels.index'),
      {
        summary: 'Quantities on hand per article × location, with their value',
        description:
          'Filter with `articleId` and `locationId`. Levels at zero are left out. `quantity`, `reserved` and `available` in thousandths, `valueCents` at the weighted average cost.',
        query: listLevelsValidator,
        responses: { 200: '`{ data: Level[], meta: { nextCursor } }`' },
      }
    )
    apiDoc(
      router
        .get('/valuation', [StockApiController, 'valuation'])
        .use(can(PERMISSIONS.articleRead))
        .as('api.stock.valuation'),
      {
        summary: 'Stock value per location and in total, in cents, at weighted average cost',
        responses: { 200: '`{ data: { locations: [...], totalCents } }`' },
      }
    )
    apiDoc(
      router
        .get('/counts', [CountsController, 'apiIndex'])
        .use(can(PERMISSIONS.countManage))
        .as('api.stock.counts.index'),
      {
        summary:
          'Lists inventory counts, newest first, keyset-paginated (25 by default, 100 at most)',
        description:
          'Filter with `locationId` and `status` (`open`, `validated`, `cancelled`). Pass `meta.nextCursor` back as `cursor`.',
        query: listCountsValidator,
        responses: { 200: '`{ data: CountSummary[], meta: { nextCursor } }`' },
      }
    )
    apiDoc(
      router
        .post('/counts', [CountsController, 'apiStore'])
        .use(can(PERMISSIONS.countManage))
        .as('api.stock.counts.store'),
      {
        summary: 'Opens a count for a location: its articles with their current levels',
        description: '`{ locationId }`',
        responses: { 201: '`{ data: Count }`' },
      }
    )
    apiDoc(
      router
        .get('/counts/:id', [CountsController, 'apiShow'])
        .where('id', id)
        .use(can(PERMISSIONS.countManage))
        .as('api.stock.counts.show'),
      {
        summary:
          'A count with, per article, the level now, the quantity counted and the difference',
        responses: { 200: '`{ data: Count }`' },
      }
    )
    apiDoc(
      router
        .patch('/counts/:id', [CountsController, 'apiEnter'])
        .where('id', id)
        .use(can(PERMISSIONS.countManage))
        .as('api.stock.counts.update'),
      {
        summary: 'Enters counted quantities',
        description:
          '`{ lines: [{ articleId, counted }] }`, counted in thousandths (null: not counted). An article not on the count is added (an archived one is refused). 409 once the count is closed.',
        responses: { 200: '`{ data: Count }`', 409: 'Closed count' },
      }
    )
    apiDoc(
      router
        .post('/counts/:id/lines', [CountsController, 'apiAdd'])
        .where('id', id)
        .use(can(PERMISSIONS.countManage))
        .as('api.stock.counts.lines.store'),
      {
        summary: 'Adds an article found at the location but not on the count',
        description:
          '`{ articleId, counted? }`, counted in thousandths (null or absent: not counted yet). 422 for an article already on the count, archived or unknown; 409 once the count is closed.',
        body: addCountLineValidator,
        responses: { 201: '`{ data: Count }`', 409: 'Closed count', 422: 'Invalid input' },
      }
    )
    apiDoc(
      router
        .post('/counts/:id/validate', [CountsController, 'apiValidate'])
        .where('id', id)
        .use(can(PERMISSIONS.countManage))
        .as('api.stock.counts.validate'),
      {
        summary:
          'Validates a count: one adjustment document (BA-…) for the differences, in one transaction',
        responses: { 200: '`{ data: Count & { differences } }`', 409: 'Closed count' },
      }
    )
    apiDoc(
      router
        .get('/reorder', [CountsController, 'apiReorder'])
        .use(can(PERMISSIONS.articleRead))
        .as('api.stock.reorder'),
      {
        summary:
          'Articles below their minimum, grouped by their first supplier, with the quantity to order',
        responses: { 200: '`{ data: [{ supplierId, supplierName, lines, totalCents }] }`' },
      }
    )
    apiDoc(
      router
        .get('/reorder.csv', [CountsController, 'apiReorderExport'])
        .use(can(PERMISSIONS.articleRead))
        .as('api.stock.reorder.export'),
      {
        summary: 'The reorder list as CSV (UTF-8 with BOM, `;` separated)',
        responses: { 200: 'text/csv' },
      }
    )
    apiDoc(
      router
        .get('/articles.csv', [ExportsController, 'articles'])
        .use(can(PERMISSIONS.articleRead))
        .as('api.stock.articles.export'),
      {
        summary:
          'Exports the filtered articles as CSV (UTF-8 with BOM, `;` separated, decimal commas)',
        query: listArticlesValidator,
        responses: { 200: 'text/csv' },
      }
    )
    apiDoc(
      router
        .get('/levels.csv', [ExportsController, 'levels'])
        .use(can(PERMISSIONS.articleRead))
        .as('api.stock.levels.export'),
      {
        summary: 'Exports the stock levels (per article × location, with values) as CSV',
        query: listLevelsValidator,
        responses: { 200: 'text/csv' },
      }
    )
    apiDoc(
      router
        .get('/movements.csv', [ExportsController, 'movements'])
        .use(can(PERMISSIONS.movementRead))
        .as('api.stock.movements.export'),
      {
        summary: 'Exports the movement lines as CSV, newest document first',
        query: listMovementsValidator,
        responses: { 200: 'text/csv' },
      }
    )
  },
})
