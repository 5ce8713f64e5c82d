import { defineRoutes } from '#kernel/modules/define_module'
import { apiDoc } from '#kernel/api/docs'
import { can } from '#start/stacks'
import { PERMISSIONS } from './constants.js'
import {
  calculateValidator,
  formatValidator,
  listCalculationsValidator,
  saveCalculationValidator,
} from './validators/calculation.js'

const ArdoiseController = () => import('./controllers/ardoise_controller.js')
const ArdoiseAdminController = () => import('./controllers/ardoise_admin_controller.js')
const ArdoiseApiController = () => import('./controllers/ardoise_api_controller.js')
const ArdoiseAdminApiController = () => import('./controllers/ardoise_admin_api_controller.js')

const { calculationRead: READ, calculationCreate: CREATE, tableManage: MANAGE } = PERMISSIONS

/** Pages under /ardoise, JSON under /api/v1/ardoise; each route declares its permission. */
export default defineRoutes({
  web(router) {
    const id = router.matchers.number()
    router.get('/', [ArdoiseController, 'calculator']).use(can(CREATE)).as('ardoise.calculator')
    router.get('/print.pdf', [ArdoiseController, 'print']).use(can(CREATE)).as('ardoise.print')
    router
      .get('/calculations', [ArdoiseController, 'index'])
      .use(can(READ))
      .as('ardoise.calculations.index')
    router
      .post('/calculations', [ArdoiseController, 'store'])
      .use(can(CREATE))
      .as('ardoise.calculations.store')
    router
      .get('/calculations/:id', [ArdoiseController, 'show'])
      .where('id', id)
      .use(can(READ))
      .as('ardoise.calculations.show')
    router
      .get('/calculations/:id/pdf', [ArdoiseController, 'pdf'])
      .where('id', id)
      .use(can(READ))
      .as('ardoise.calculations.pdf')

    router
      .get('/tables', [ArdoiseAdminController, 'tables'])
      .use(can(MANAGE))
      .as('ardoise.tables.index')
    router
      .get('/tables/export.csv', [ArdoiseAdminController, 'exportCsv'])
      .use(can(MANAGE))
      .as('ardoise.tables.export')
    router
      .post('/tables/preview', [ArdoiseAdminController, 'preview'])
      .use(can(MANAGE))
      .as('ardoise.tables.preview')
    router
      .post('/tables', [ArdoiseAdminController, 'importTable'])
      .use(can(MANAGE))
      .as('ardoise.tables.import')
    router
      .post('/tables/:id/activate', [ArdoiseAdminController, 'activate'])
      .where('id', id)
      .use(can(MANAGE))
      .as('ardoise.tables.activate')

    router
      .get('/formats', [ArdoiseAdminController, 'formats'])
      .use(can(MANAGE))
      .as('ardoise.formats.index')
    router
      .post('/formats', [ArdoiseAdminController, 'storeFormat'])
      .use(can(MANAGE))
      .as('ardoise.formats.store')
    router
      .put('/formats/:id', [ArdoiseAdminController, 'updateFormat'])
      .where('id', id)
      .use(can(MANAGE))
      .as('ardoise.formats.update')
    router
      .delete('/formats/:id', [ArdoiseAdminController, 'destroyFormat'])
      .where('id', id)
      .use(can(MANAGE))
      .as('ardoise.formats.destroy')
  },

  api(router) {
    const id = router.matchers.number()
    apiDoc(
      router
        .post('/calculate', [ArdoiseApiController, 'calculate'])
        .use(can(CREATE))
        .as('api.ardoise.calculate'),
      {
        summary: 'Calculates a slate roof per DTU 40.11 on the company’s active table',
        description:
          'Give `pitchPercent` or `pitchDegrees`. 200 `{ feasible: true, horizontalProjection, band, tablePitch, recouvrement, pureau, slatesPerM2, totalSlates, hookLength, hooks, nails, battensMeters, weightPerM2, totalWeightKg, tableVersion, … }`, or 200 `{ feasible: false, reason: "pitch_too_low" | "slate_too_short" | "special_study", message, … }` with the figures that led there. Nothing is saved.',
        body: calculateValidator,
        responses: { 200: 'The result, or the refusal', 422: 'Malformed input' },
      }
    )
    apiDoc(
      router
        .post('/calculations', [ArdoiseApiController, 'store'])
        .use(can(CREATE))
        .as('api.ardoise.calculations.store'),
      {
        summary: 'Recomputes and saves a calculation, with the table version used',
        description:
          '`record: { model, id }` links it to a record of another module (e.g. a job site), which must be in your scope; `ardoise:calculation_saved` is then emitted.',
        body: saveCalculationValidator,
        responses: { 201: '`{ data: Calculation }`' },
      }
    )
    apiDoc(
      router
        .get('/calculations', [ArdoiseApiController, 'index'])
        .use(can(READ))
        .as('api.ardoise.calculations.index'),
      {
        summary: 'Lists saved calculations, newest first, keyset-paginated',
        description:
          'Pass `meta.nextCursor` back as `cursor`; `search` looks in titles and formats.',
        query: listCalculationsValidator,
        responses: { 200: '`{ data: Calculation[], meta: { nextCursor } }`' },
      }
    )
    apiDoc(
      router
        .get('/calculations/:id', [ArdoiseApiController, 'show'])
        .where('id', id)
        .use(can(READ))
        .as('api.ardoise.calculations.show'),
      { summary: 'One saved calculation', responses: { 200: '`{ data: Calculation }`' } }
    )
    apiDoc(
      router
        .get('/formats', [ArdoiseAdminApiController, 'formats'])
        .use(can(CREATE))
        .as('api.ardoise.formats.index'),
      { summary: 'The company’s slate formats', responses: { 200: '`{ data: Format[] }`' } }
    )
    apiDoc(
      router
        .post('/formats', [ArdoiseAdminApiController, 'storeFormat'])
        .use(can(MANAGE))
        .as('api.ardoise.formats.store'),
      {
        summary: 'Adds a slate format (mm; thickness in mm; price of one slate in cents)',
        body: formatValidator,
        responses: { 201: '`{ data: Format }`' },
      }
    )
    apiDoc(
      router
        .patch('/formats/:id', [ArdoiseAdminApiController, 'updateFormat'])
        .where('id', id)
        .use(can(MANAGE))
        .as('api.ardoise.formats.update'),
      { summary: 'Changes a slate format', body: formatValidator, responses: { 200: '`{ data }`' } }
    )
    apiDoc(
      router
        .delete('/formats/:id', [ArdoiseAdminApiController, 'destroyFormat'])
        .where('id', id)
        .use(can(MANAGE))
        .as('api.ardoise.formats.destroy'),
      { summary: 'Deletes a slate format (saved calculations keep their figures)' }
    )
    apiDoc(
      router
        .get('/tables', [ArdoiseAdminApiController, 'tables'])
        .use(can(MANAGE))
        .as('api.ardoise.tables.index'),
      {
        summary: 'Versions of the recouvrement table, newest first',
        description: '`meta.shown` has the rows of the active version, or of `?version=<id>`.',
        responses: { 200: '`{ data: Version[], meta: { shown } }`' },
      }
    )
    apiDoc(
      router
        .post('/tables/preview', [ArdoiseAdminApiController, 'preview'])
        .use(can(MANAGE))
        .as('api.ardoise.tables.preview'),
      {
        summary: 'Dry run of a replacement table (multipart `file`, CSV): problems and differences',
        responses: { 200: '`{ data: { problems, diff: { added, removed, changed }, … } }`' },
      }
    )
    apiDoc(
      router
        .post('/tables', [ArdoiseAdminApiController, 'importTable'])
        .use(can(MANAGE))
        .as('api.ardoise.tables.import'),
      {
        summary: 'Loads a replacement table (multipart `file`, CSV) as a new, active version',
        description:
          'Saved calculations keep the version they used. `activate=false` loads it inactive.',
        responses: { 201: '`{ data: { id, label, isActive } }`', 422: 'Problems in the file' },
      }
    )
    apiDoc(
      router
        .post('/tables/:id/activate', [ArdoiseAdminApiController, 'activate'])
        .where('id', id)
        .use(can(MANAGE))
        .as('api.ardoise.tables.activate'),
      { summary: 'Makes a version the active one', responses: { 200: '`{ data }`' } }
    )
  },
})
