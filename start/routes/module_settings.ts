import router from '@adonisjs/core/services/router'
import { webAuthStack, apiStack, can } from '#start/stacks'
import { apiDoc } from '#kernel/api/docs'
import { MODULE_NAME_PATTERN } from '#kernel/modules/paths'

const ModuleSettingsController = () => import('#controllers/module_settings_controller')

/*
 * The modules' per-company settings (manifest `settings`). The permission is
 * the one each module names for its settings, so these routes are open to any
 * member and the settings service checks it on every call (403), after the
 * module's enabled state and declaration (404).
 */
router
  .group(() => {
    router
      .get('/settings/modules/:name/settings', [ModuleSettingsController, 'show'])
      .where('name', MODULE_NAME_PATTERN)
      .as('module_settings.show')
    router
      .put('/settings/modules/:name/settings', [ModuleSettingsController, 'update'])
      .where('name', MODULE_NAME_PATTERN)
      .as('module_settings.update')
  })
  .use([...webAuthStack(), can('authenticated')])

const PARAMS = { name: 'The module, e.g. `stock`' }
const REFUSALS = {
  403: 'Without the permission the module names for its settings',
  404: 'Unknown or disabled module, or one without settings',
}

router
  .group(() => {
    apiDoc(
      router
        .get('/api/v1/settings/:name', [ModuleSettingsController, 'apiShow'])
        .where('name', MODULE_NAME_PATTERN)
        .as('api.module_settings.show'),
      {
        summary: "A module's settings for the current company, and the fields it declares",
        description:
          'Every declared field has a value: its default until someone saves it. `meta.fields` describes each field (type, label and help in the caller’s language, default, bounds, options).',
        params: PARAMS,
        responses: {
          200: '`{ data: { <field>: value }, meta: { fields: [{ key, type, label, help, default, min?, max?, unit?, maxLength?, options? }] } }`',
          ...REFUSALS,
        },
      }
    )
    apiDoc(
      router
        .patch('/api/v1/settings/:name', [ModuleSettingsController, 'apiUpdate'])
        .where('name', MODULE_NAME_PATTERN)
        .as('api.module_settings.update'),
      {
        summary: "Changes some of a module's settings for the current company",
        description:
          'Send only the fields to change. A value of the wrong type, out of its bounds or not among its options, or a field the module does not declare, is a 422 on that field; nothing is saved then. Audited (`settings.updated`).',
        params: PARAMS,
        responses: { 200: '`{ data: { <field>: value } }` (every field)', ...REFUSALS },
      }
    )
  })
  .use([...apiStack(), can('authenticated')])
