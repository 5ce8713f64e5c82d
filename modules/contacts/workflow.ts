import type { WorkflowDeclaration } from '#kernel/workflow/types'
import { PERMISSIONS } from './constants.js'

/**
 * The customer lifecycle: a prospect becomes a client when they sign, a
 * client becomes a former client ("ancien client") when the relationship
 * ends, and can come back. Who may move a contact: whoever may edit it, by
 * default; admins restrict transitions in the workflow designer.
 */
export const LIFECYCLE_WORKFLOW: WorkflowDeclaration = {
  label: { fr: 'Cycle de vie client', en: 'Customer lifecycle' },
  table: 'contacts',
  stateColumn: 'lifecycle',
  permission: PERMISSIONS.update,
  fields: {
    isCustomer: { column: 'is_customer', type: 'boolean', label: { fr: 'Client', en: 'Customer' } },
    email: { column: 'email', type: 'string', label: { fr: 'E-mail', en: 'E-mail' } },
    siret: { column: 'siret', type: 'string', label: { fr: 'SIRET', en: 'SIRET' } },
    creditLimitCents: {
      column: 'credit_limit_cents',
      type: 'number',
      label: { fr: 'Encours autorisé (centimes)', en: 'Credit limit (cents)' },
    },
  },
  definition: {
    states: [
      { key: 'prospect', label: { fr: 'Prospect', en: 'Prospect' }, initial: true },
      { key: 'client', label: { fr: 'Client', en: 'Client' } },
      { key: 'former_client', label: { fr: 'Ancien client', en: 'Former client' } },
    ],
    transitions: [
      {
        key: 'win',
        label: { fr: 'Passer client', en: 'Make a client' },
        from: ['prospect'],
        to: 'client',
        actions: [{ type: 'set', field: 'isCustomer', value: true }],
      },
      {
        key: 'lose',
        label: { fr: 'Passer ancien client', en: 'Mark as former client' },
        from: ['client'],
        to: 'former_client',
      },
      {
        key: 'win_back',
        label: { fr: 'Redevenir client', en: 'Win back' },
        from: ['former_client'],
        to: 'client',
      },
    ],
  },
}
