import db from '@adonisjs/lucid/services/db'
import registry from '#kernel/modules/registry'
import { registerAuditedModel } from '#kernel/audit/models'
import { registerReferenceCheck } from '#kernel/modules/references'
import { CUSTOM_FIELD_MODEL } from './admin.js'

/** Changes to custom field definitions show in the audit trail, to those who manage them. */
registerAuditedModel(CUSTOM_FIELD_MODEL, {
  label: { fr: 'Champ personnalisé', en: 'Custom field' },
  readable: async (access) => access.can('kernel.custom_fields.manage'),
})

/*
 * A record that a reference field's value points at is not deleted (its
 * module archives it instead): values of archived fields count too, as they
 * are kept until purged.
 */
for (const manifest of registry.all()) {
  for (const declared of manifest.records ?? []) {
    registerReferenceCheck('custom_fields', {
      model: declared.model,
      count: async (id, client = db.connection()) => {
        const row = await client
          .from('custom_field_values')
          .join('custom_fields', 'custom_fields.id', 'custom_field_values.field_id')
          .where('custom_fields.type', 'reference')
          .where('custom_fields.target', declared.model)
          .where('custom_field_values.value_number', id)
          .count('* as count')
          .first()
        return Number(row?.count ?? 0)
      },
    })
  }
}
