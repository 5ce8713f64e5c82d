import router from '@adonisjs/core/services/router'
import { webAuthStack, apiStack, can } from '#start/stacks'
import { apiDoc } from '#kernel/api/docs'
import { enableModuleValidator, uninstallModuleValidator } from '#validators/modules'
import { MODULE_NAME_PATTERN } from '#kernel/modules/paths'
import '#kernel/modules/audited'

const ModulesController = () => import('#controllers/modules_controller')

const MANAGE = 'kernel.modules.manage'
const NAME = MODULE_NAME_PATTERN

/* The module manager (pages) */
router
  .group(() => {
    router.get('/settings/modules', [ModulesController, 'index']).as('modules.index')
    router
      .post('/settings/modules/:name/enable', [ModulesController, 'enable'])
      .where('name', NAME)
      .as('modules.enable')
    router
      .post('/settings/modules/:name/disable', [ModulesController, 'disable'])
      .where('name', NAME)
      .as('modules.disable')
    router
      .post('/settings/modules/:name/uninstall', [ModulesController, 'uninstall'])
      .where('name', NAME)
      .as('modules.uninstall')
  })
  .use([...webAuthStack(), can(MANAGE)])

const moduleSchema = {
  type: 'object',
  properties: {
    name: { type: 'string' },
    label: { type: 'string' },
    description: { type: 'string' },
    version: { type: 'string', description: 'The version on disk' },
    installedVersion: { type: ['string', 'null'] },
    state: { type: 'string', enum: ['enabled', 'disabled', 'not_installed'] },
    depends: { type: 'array', items: { type: 'string' } },
    integrates: { type: 'array', items: { type: 'string' } },
    dependents: { type: 'array', items: { type: 'string' } },
    requires: {
      type: 'array',
      items: { type: 'string' },
      description: 'Dependencies that enabling it would enable too',
    },
    enabledDependents: { type: 'array', items: { type: 'string' } },
    installedDependents: { type: 'array', items: { type: 'string' } },
    hasSettings: {
      type: 'boolean',
      description: 'It declares settings: `/api/v1/settings/<name>` reads and changes them',
    },
  },
}
const planSchema = {
  type: 'object',
  properties: {
    data: {
      type: 'object',
      properties: {
        module: { type: 'string' },
        dryRun: { type: 'boolean' },
        tables: { type: 'array', items: { type: 'string' } },
      },
    },
  },
}
const refusal = '`{ errors: [{ code, message, modules }] }`: a module rule refuses the action'

/* The same through the API */
router
  .group(() => {
    apiDoc(
      router.get('/api/v1/admin/modules', [ModulesController, 'apiIndex']).as('api.modules.index'),
      {
        summary: 'Every module on disk: version, state, dependencies and dependents',
        responses: {
          200: {
            description: 'The modules, dependencies first',
            schema: {
              type: 'object',
              properties: { data: { type: 'array', items: moduleSchema } },
            },
          },
        },
      }
    )
    apiDoc(
      router
        .get('/api/v1/admin/modules/:name', [ModulesController, 'apiShow'])
        .where('name', NAME)
        .as('api.modules.show'),
      {
        summary: 'One module',
        responses: {
          200: {
            description: 'The module',
            schema: { type: 'object', properties: { data: moduleSchema } },
          },
        },
      }
    )
    apiDoc(
      router
        .post('/api/v1/admin/modules/:name/enable', [ModulesController, 'apiEnable'])
        .where('name', NAME)
        .as('api.modules.enable'),
      {
        summary: 'Enables a module: its migrations, required data and default grants',
        description:
          'Refused (409, `E_MODULE_DEPENDENCIES`, `modules` listing them) while dependencies are not enabled, unless `withDependencies` is true: they are then enabled first. `GET` the module first to see them in `requires`.',
        body: enableModuleValidator,
        responses: { 200: '`{ data: Module, meta: { enabled: string[] } }`', 409: refusal },
      }
    )
    apiDoc(
      router
        .post('/api/v1/admin/modules/:name/disable', [ModulesController, 'apiDisable'])
        .where('name', NAME)
        .as('api.modules.disable'),
      {
        summary: 'Disables a module; its data is kept',
        description:
          'Its pages, API and menus go at once. Refused (409) while an enabled module depends on it.',
        responses: { 200: '`{ data: Module }`', 409: refusal },
      }
    )
    apiDoc(
      router
        .get('/api/v1/admin/modules/:name/uninstall', [ModulesController, 'apiUninstallPlan'])
        .where('name', NAME)
        .as('api.modules.uninstall.plan'),
      {
        summary: 'Dry run of uninstalling a module: the tables it would drop',
        responses: { 200: { description: 'The plan', schema: planSchema }, 409: refusal },
      }
    )
    apiDoc(
      router
        .post('/api/v1/admin/modules/:name/uninstall', [ModulesController, 'apiUninstall'])
        .where('name', NAME)
        .as('api.modules.uninstall'),
      {
        summary: 'Uninstalls a module: a dry run, unless `confirm` is true',
        description:
          'Without `confirm: true` nothing changes and the answer is the dry run. With it, the module’s tables and data are dropped and its state and grants forgotten. Refused (409) while an installed module depends on it.',
        body: uninstallModuleValidator,
        responses: {
          200: { description: 'The plan, or what was dropped', schema: planSchema },
          409: refusal,
        },
      }
    )
  })
  .use([...apiStack(), can(MANAGE)])
