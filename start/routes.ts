import router from '@adonisjs/core/services/router'
import { middleware } from '#start/kernel'
import { webStack, webAuthStack, apiStack, can } from '#start/stacks'
import registry from '#kernel/modules/registry'
import { apiDoc } from '#kernel/api/docs'
import { companyValidator } from '#validators/preferences'
import { updateCompanyValidator } from '#validators/company'
import '#start/routes/admin_users'
import '#start/routes/audit'
import '#start/routes/admin_roles'
import '#start/routes/mfa'
import '#start/routes/api_tokens'
import '#start/routes/admin_numbering'
import '#start/routes/admin_modules'
import '#start/routes/admin_jobs'
import '#start/routes/admin_workflows'
import '#start/routes/admin_custom_fields'
import '#start/routes/attachments'
import '#start/routes/dashboard'
import '#start/routes/notifications'
import '#start/routes/imports'
import '#start/routes/module_settings'

const SessionController = () => import('#controllers/session_controller')
const SetupController = () => import('#controllers/setup_controller')
const DashboardController = () => import('#controllers/dashboard_controller')
const PreferencesController = () => import('#controllers/preferences_controller')
const HealthController = () => import('#controllers/health_controller')
const OpenApiController = () => import('#controllers/openapi_controller')
const MeController = () => import('#controllers/me_controller')
const CompanyController = () => import('#controllers/company_controller')

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
    router.get('/company/logo', [CompanyController, 'logo']).as('company.logo')
  })
  .use([...webAuthStack(), can('authenticated')])

/* The current company's profile */
router
  .group(() => {
    router
      .get('/settings/company', [CompanyController, 'show'])
      .use(can('kernel.company.read'))
      .as('company.show')
    router
      .get('/settings/company/letterhead.pdf', [CompanyController, 'letterhead'])
      .use(can('kernel.company.read'))
      .as('company.letterhead')
    router
      .put('/settings/company', [CompanyController, 'update'])
      .use(can('kernel.company.manage'))
      .as('company.update')
    router
      .post('/settings/company/logo', [CompanyController, 'uploadLogo'])
      .use(can('kernel.company.manage'))
      .as('company.logo.upload')
  })
  .use(webAuthStack())

/* API */
apiDoc(
  router
    .get('/api/v1/openapi.json', [OpenApiController, 'show'])
    .use([middleware.json(), can('public')])
    .as('api.openapi'),
  { summary: 'This document: the OpenAPI description of every /api/v1 route' }
)
apiDoc(
  router
    .get('/api/v1/me', [MeController, 'show'])
    .use([...apiStack(), can('authenticated')])
    .as('api.me'),
  {
    summary: 'The signed-in user, their role and permissions in the current company',
    responses: {
      200: {
        description: 'The user',
        schema: {
          type: 'object',
          properties: {
            data: {
              type: 'object',
              properties: {
                id: { type: 'integer' },
                email: { type: 'string', format: 'email' },
                fullName: { type: ['string', 'null'] },
                company: { type: 'integer', description: 'The company the request worked in' },
                role: { type: 'string' },
                permissions: {
                  type: 'array',
                  items: { type: 'string' },
                  description: 'Permission keys; `*` for admins',
                },
                companies: {
                  type: 'array',
                  items: {
                    type: 'object',
                    properties: { id: { type: 'integer' }, name: { type: 'string' } },
                  },
                },
              },
            },
          },
        },
      },
    },
  }
)
apiDoc(
  router
    .post('/api/v1/me/company', [MeController, 'company'])
    .use([...apiStack(), can('authenticated')])
    .as('api.me.company'),
  {
    summary: 'Switches the company requests work in when they send no X-Company-Id',
    body: companyValidator,
    responses: { 200: 'Switched', 403: 'Not a member of this company' },
  }
)

apiDoc(
  router
    .get('/api/v1/company', [CompanyController, 'apiShow'])
    .use([...apiStack(), can('kernel.company.read')])
    .as('api.company.show'),
  { summary: "The current company's legal identity, address and settings" }
)
apiDoc(
  router
    .get('/api/v1/company/letterhead.pdf', [CompanyController, 'letterhead'])
    .use([...apiStack(), can('kernel.company.read')])
    .as('api.company.letterhead'),
  {
    summary: "A sample document printed with the current company's letterhead and legal footer",
    responses: {
      200: {
        description: 'The PDF',
        contentType: 'application/pdf',
        schema: { type: 'string', format: 'binary' },
      },
    },
  }
)
apiDoc(
  router
    .patch('/api/v1/company', [CompanyController, 'apiUpdate'])
    .use([...apiStack(), can('kernel.company.manage')])
    .as('api.company.update'),
  {
    summary: "Updates the current company's profile",
    body: updateCompanyValidator,
    responses: { 200: 'The updated company' },
  }
)

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
