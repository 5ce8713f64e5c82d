import router from '@adonisjs/core/services/router'
import { webAuthStack, apiStack, can } from '#start/stacks'
import { apiDoc } from '#kernel/api/docs'

const DashboardController = () => import('#controllers/dashboard_controller')

/*
 * Dashboard widgets. Each widget declares its own permission (the module's
 * manifest), so these routes are open to any member and the dashboard
 * service checks the widget's permission: 403 without it, 404 for an
 * unknown widget or a disabled module. Data is read through record scopes.
 */
const segment = /^[a-z][a-z0-9_-]*$/

router
  .group(() => {
    router.get('/dashboard/widgets', [DashboardController, 'widgets']).as('index')
    router
      .get('/dashboard/widgets/:module/:key', [DashboardController, 'widget'])
      .where('module', segment)
      .where('key', segment)
      .as('show')
  })
  .as('dashboard.widgets')
  .use([...webAuthStack(), can('authenticated')])

const WIDGET_SCHEMA = {
  type: 'object',
  properties: {
    module: { type: 'string' },
    key: { type: 'string' },
    label: { type: 'string' },
    kind: { type: 'string', enum: ['kpi', 'chart', 'list'] },
    size: { type: 'integer' },
    order: { type: 'number' },
  },
}

router
  .group(() => {
    apiDoc(router.get('/api/v1/dashboard/widgets', [DashboardController, 'widgets']).as('index'), {
      summary: 'The dashboard widgets this user may see',
      description: 'Widgets of enabled modules whose permission the user (or token) holds.',
      responses: {
        200: {
          description: 'The widgets, in dashboard order',
          schema: { type: 'object', properties: { data: { type: 'array', items: WIDGET_SCHEMA } } },
        },
      },
    })
    apiDoc(
      router
        .get('/api/v1/dashboard/widgets/:module/:key', [DashboardController, 'widget'])
        .where('module', segment)
        .where('key', segment)
        .as('show'),
      {
        summary: "One widget's data",
        description:
          "403 without the widget's permission, 404 for an unknown widget or a disabled module; the data follows the user's record scopes.",
        params: { module: 'The module name', key: "The widget's key" },
        responses: {
          200: {
            description: 'kpi: { value }, chart: { labels, series }, list: { items }',
            schema: {
              type: 'object',
              properties: {
                data: {
                  type: 'object',
                  properties: { kind: { type: 'string' }, data: { type: 'object' } },
                },
              },
            },
          },
        },
      }
    )
  })
  .as('api.dashboard.widgets')
  .use([...apiStack(), can('authenticated')])
