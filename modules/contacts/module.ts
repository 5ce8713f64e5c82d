import { defineModule } from '#kernel/modules/define_module'
import { CONTACT_MODEL, CONTACT_SEQUENCE, PERMISSIONS } from './constants.js'

export default defineModule({
  name: 'contacts',
  version: '1.0.0',
  label: { fr: 'Contacts', en: 'Contacts' },
  description: {
    fr: 'Clients, fournisseurs et leurs interlocuteurs (tiers)',
    en: 'Customers, suppliers and the people to talk to',
  },
  icon: 'users',
  depends: [],
  integrates: [],
  permissions: [
    {
      key: PERMISSIONS.read,
      label: { fr: 'Voir les contacts', en: 'View contacts' },
      defaults: ['manager', 'staff', 'technician'],
    },
    {
      key: PERMISSIONS.create,
      label: { fr: 'Créer des contacts', en: 'Create contacts' },
      defaults: ['manager', 'staff'],
    },
    {
      key: PERMISSIONS.update,
      label: { fr: 'Modifier les contacts', en: 'Edit contacts' },
      defaults: ['manager', 'staff'],
    },
    {
      key: PERMISSIONS.delete,
      label: { fr: 'Supprimer les contacts', en: 'Delete contacts' },
      defaults: ['manager'],
    },
    {
      key: PERMISSIONS.export,
      label: { fr: 'Exporter les contacts', en: 'Export contacts' },
      defaults: ['manager', 'staff'],
    },
  ],
  menu: [
    {
      key: 'contacts',
      label: { fr: 'Contacts', en: 'Contacts' },
      href: '/contacts',
      icon: 'users',
      permission: PERMISSIONS.read,
      order: 10,
    },
  ],
  sequences: [
    {
      key: CONTACT_SEQUENCE,
      label: { fr: 'Codes contacts', en: 'Contact codes' },
      prefix: 'CL-',
      padding: 5,
      reset: 'never',
    },
  ],
  customizable: ['contacts.contact'],
  // Contacts carry company_id, owner_id and team_id: record scopes filter on them.
  records: [
    { model: CONTACT_MODEL, table: 'contacts', permission: PERMISSIONS.read, title: 'name' },
  ],
  audited: {
    // A contact's history is shown to whoever may see the contact (scoped find).
    'contacts.contact': {
      label: { fr: 'Contact', en: 'Contact' },
      readable: async (access, id) =>
        (await (await import('./index.js')).findContact(access, Number(id))) !== null,
    },
  },
  routes: () => import('./routes.js'),
  demo: async (ctx) => (await import('./database/seeders/demo.js')).default(ctx),
})
