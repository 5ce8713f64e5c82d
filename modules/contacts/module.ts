import { defineModule, type PermissionDeclaration } from '#kernel/modules/define_module'
import { grantDefaultPermissions } from '#kernel/security/roles'
import { CONTACT_MODEL, CONTACT_SEQUENCE, FINANCIAL_FIELDS, PERMISSIONS } from './constants.js'
import { LIFECYCLE_WORKFLOW } from './workflow.js'
import { CONTACTS_IMPORT } from './imports/declaration.js'

/** Credit limit and payment terms: the sales office's, not the technicians'. */
const financial: PermissionDeclaration = {
  key: PERMISSIONS.financial,
  label: {
    fr: 'Voir et modifier les conditions financières des contacts (encours, délai de paiement)',
    en: 'View and edit contacts’ terms of business (credit limit, payment terms)',
  },
  defaults: ['manager', 'staff'],
  scoped: false,
}

/** Importing contacts from a spreadsheet: the office's, alongside create and update. */
const importPermission: PermissionDeclaration = {
  key: PERMISSIONS.import,
  label: {
    fr: 'Importer des contacts (CSV, XLSX)',
    en: 'Import contacts (CSV, XLSX)',
  },
  defaults: ['manager', 'staff'],
  scoped: false,
}

/** Whether semantic version `a` comes before `b` (release numbers only). */
function before(a: string, b: string) {
  const [x, y] = [a, b].map((v) => v.split(/[-+]/)[0].split('.').map(Number))
  for (let i = 0; i < 3; i++) if (x[i] !== y[i]) return x[i] < y[i]
  return false
}

export default defineModule({
  name: 'contacts',
  version: '1.3.0',
  label: { fr: 'Contacts', en: 'Contacts' },
  description: {
    fr: 'Clients, fournisseurs et leurs interlocuteurs (tiers)',
    en: 'Customers, suppliers and the people to talk to',
  },
  icon: 'users',
  depends: [],
  integrates: [],
  notifications: [
    {
      key: 'contact_assigned',
      label: { fr: 'Un contact m’est attribué', en: 'A contact is assigned to me' },
      channels: { inApp: true, email: false },
      permission: PERMISSIONS.read,
    },
  ],
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
    financial,
    importPermission,
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
  // Home dashboard tiles, each read through the user's scope of contacts.contact.read.
  widgets: [
    {
      key: 'active-clients',
      label: { fr: 'Clients actifs', en: 'Active clients' },
      permission: PERMISSIONS.read,
      kind: 'kpi',
      order: 10,
      load: () => import('./widgets/active_clients.js'),
    },
    {
      key: 'created-per-month',
      label: { fr: 'Contacts créés par mois', en: 'Contacts created per month' },
      permission: PERMISSIONS.read,
      kind: 'chart',
      size: 2,
      order: 20,
      load: () => import('./widgets/created_per_month.js'),
    },
    {
      key: 'latest',
      label: { fr: 'Derniers contacts', en: 'Latest contacts' },
      permission: PERMISSIONS.read,
      kind: 'list',
      order: 30,
      load: () => import('./widgets/latest_contacts.js'),
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
  // The customer lifecycle, separate from `kind`; admins reshape it in the workflow designer.
  workflows: { [CONTACT_MODEL]: LIFECYCLE_WORKFLOW },
  // Contacts carry company_id, owner_id and team_id: record scopes filter on them.
  records: [
    { model: CONTACT_MODEL, table: 'contacts', permission: PERMISSIONS.read, title: 'name' },
  ],
  // Documents on a contact (Kbis, certificate of insurance): read with the contact, added
  // and removed by whoever may edit it.
  attachments: {
    [CONTACT_MODEL]: { writePermission: PERMISSIONS.update, maxBytes: 10 * 1024 * 1024 },
  },
  // Field rules: only holders of contacts.contact.financial see or change these, in pages,
  // API, CSV exports and the history.
  sensitive: {
    [CONTACT_MODEL]: { permission: PERMISSIONS.financial, fields: FINANCIAL_FIELDS },
  },
  audited: {
    // A contact's history is shown to whoever may see the contact (scoped find).
    'contacts.contact': {
      label: { fr: 'Contact', en: 'Contact' },
      readable: async (access, id) =>
        (await (await import('./index.js')).findContact(access, Number(id))) !== null,
    },
  },
  // Contacts from a spreadsheet, through the kernel's import pipeline (Settings → Imports).
  imports: { 'contacts.contacts': CONTACTS_IMPORT },
  routes: () => import('./routes.js'),
  // Sites installed before 1.1.0 / 1.3.0 got default grants without the financial / import permission.
  upgrade: async ({ client, from }) => {
    if (before(from, '1.1.0')) await grantDefaultPermissions({ permissions: [financial] }, client)
    if (before(from, '1.3.0')) {
      await grantDefaultPermissions({ permissions: [importPermission] }, client)
    }
  },
  demo: async (ctx) => (await import('./database/seeders/demo.js')).default(ctx),
})
