import router from '@adonisjs/core/services/router'
import { middleware } from '#start/kernel'
import { webStack, webAuthStack, apiStack, can } from '#start/stacks'
import registry from '#kernel/modules/registry'

const SessionController = () => import('#controllers/session_controller')
const SetupController = () => import('#controllers/setup_controller')
const DashboardController = () => import('#controllers/dashboard_controller')
const PreferencesController = () => import('#controllers/preferences_controller')
const HealthController = () => import('#controllers/health_controller')
const OpenApiController = () => import('#controllers/openapi_controller')
const MeController = () => import('#controllers/me_controller')

/* Health: no session, no cookies. */
router.get('/health/live', [HealthController, 'live']).use(can('public')).as('health.live')
router.get('/health/ready', [HealthController, 'ready']).use(can('public')).as('health.ready')

/* Visitors */
router
  .group(() => {
    router.get('/login', [SessionController, 'create']).as('session.create')
    router.post('/login', [SessionController, 'store']).as('session.store')
    router.get('/setup', [SetupController, 'create']).as('setup.create')
    router.post('/setup', [SetupController, 'store']).as('setup.store')
  })
  .use([...webStack(), middleware.guest(), can('public')])

router
  .post('/locale', [PreferencesController, 'locale'])
  .use([...webStack(), can('public')])
  .as('preferences.locale')

/* Signed-in pages */
router
  .group(() => {
    router.get('/', [DashboardController, 'index']).as('home')
    router.post('/logout', [SessionController, 'destroy']).as('session.destroy')
    router.post('/company', [PreferencesController, 'company']).as('preferences.company')
  })
  .use([...webAuthStack(), can('authenticated')])

/* API */
router
  .get('/api/v1/openapi.json', [OpenApiController, 'show'])
  .use([middleware.json(), can('public')])
  .as('api.openapi')
router
  .get('/api/v1/me', [MeController, 'show'])
  .use([...apiStack(), can('authenticated')])
  .as('api.me')

/*
 * Every module on disk: pages under /<name>, API under /api/v1/<name>. The
 * module gate comes first, so a disabled module answers 404 before any auth.
 */
const moduleRoutes = await Promise.all(
  registry.all().map(async (manifest) => ({
    manifest,
    routes: manifest.routes ? (await manifest.routes()).default : {},
  }))
)
for (const { manifest, routes } of moduleRoutes) {
  const gate = middleware.module({ name: manifest.name })
  if (routes.web) {
    router
      .group(() => routes.web!(router))
      .prefix(`/${manifest.name}`)
      .use([gate, ...webAuthStack()])
  }
  if (routes.api) {
    router
      .group(() => routes.api!(router))
      .prefix(`/api/v1/${manifest.name}`)
      .use([gate, ...apiStack()])
  }
}
