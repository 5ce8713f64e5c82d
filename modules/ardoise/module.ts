import { defineModule } from '#kernel/modules/define_module'
import { PERMISSIONS } from './constants.js'

export default defineModule({
  name: 'ardoise',
  version: '0.2.0',
  label: { fr: 'Ardoise', en: 'Slate roofing' },
  description: {
    fr: 'Calcul de couverture en ardoise naturelle selon le DTU 40.11 : recouvrement, pureau, quantités',
    en: 'Natural slate roofing per DTU 40.11: overlap, gauge and quantities to order',
  },
  icon: 'calculator',
  depends: [],
  integrates: [],
  permissions: [
    {
      key: PERMISSIONS.calculationRead,
      label: {
        fr: 'Voir les calculs de couverture ardoise',
        en: 'View slate roofing calculations',
      },
      defaults: ['manager', 'staff', 'technician'],
    },
    {
      key: PERMISSIONS.calculationCreate,
      label: {
        fr: 'Faire et enregistrer des calculs de couverture ardoise',
        en: 'Run and save slate roofing calculations',
      },
      defaults: ['manager', 'staff', 'technician'],
    },
    {
      key: PERMISSIONS.tableManage,
      label: {
        fr: 'Gérer les tables de recouvrement et les formats d’ardoise',
        en: 'Manage overlap tables and slate formats',
      },
      defaults: ['manager'],
      scoped: false,
    },
  ],
  menu: [
    {
      key: 'ardoise',
      label: { fr: 'Calcul ardoise', en: 'Slate calculator' },
      href: '/ardoise',
      icon: 'calculator',
      permission: PERMISSIONS.calculationCreate,
      order: 40,
    },
    {
      key: 'ardoise-calculations',
      label: { fr: 'Calculs ardoise', en: 'Slate calculations' },
      href: '/ardoise/calculations',
      icon: 'list',
      permission: PERMISSIONS.calculationRead,
      order: 41,
    },
  ],
  // Saved calculations carry company_id, owner_id and team_id: record scopes filter on them.
  records: [
    {
      model: 'ardoise.calculation',
      table: 'ardoise_calculations',
      permission: PERMISSIONS.calculationRead,
      title: 'title',
    },
  ],
  // A saved calculation's history is shown to whoever may read the calculation (scoped find).
  audited: {
    'ardoise.calculation': {
      label: { fr: 'Calcul ardoise', en: 'Slate calculation' },
      readable: async (access, id) => {
        const { default: CalculationService } = await import('./services/calculations.js')
        return (await new CalculationService(access).readable(Number(id))) !== null
      },
    },
  },
  routes: () => import('./routes.js'),
  // Each company gets the DTU 40.11 table as its first active version, and common formats.
  seed: async ({ client, companyId }) => {
    if (companyId) await (await import('./services/tables.js')).seedCompany(client, companyId)
  },
  demo: async (ctx) => (await import('./database/seeders/demo.js')).default(ctx),
})
