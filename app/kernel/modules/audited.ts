import { registerAuditedModel } from '#kernel/audit/models'
import { MODULE_MODEL } from './module_admin.js'

/** Enabling, disabling and uninstalling modules show in the audit trail, to those who may do it. */
registerAuditedModel(MODULE_MODEL, {
  label: { fr: 'Module', en: 'Module' },
  readable: async (access) => access.can('kernel.modules.manage'),
})
