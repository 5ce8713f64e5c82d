import { registerAuditedModel } from '#kernel/audit/models'
import { SEQUENCE_MODEL } from './series_admin.js'

/** Changes to numbering series show in the audit trail, to those who manage them. */
registerAuditedModel(SEQUENCE_MODEL, {
  label: { fr: 'Série de numérotation', en: 'Numbering series' },
  readable: async (access) => access.can('kernel.numbering.manage'),
})
