import { defineModule } from '#kernel/modules/define_module'
import { PERMISSIONS } from './constants.js'

export default defineModule({
  name: 'ardoise',
  version: '0.1.0',
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
})
