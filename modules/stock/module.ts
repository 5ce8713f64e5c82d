import { defineModule, type PermissionDeclaration } from '#kernel/modules/define_module'
import { grantDefaultPermissions } from '#kernel/security/roles'
import { setting } from '#kernel/settings/define'
import { ARTICLES_IMPORT } from './imports/declaration.js'
import {
  ARTICLE_MODEL,
  COUNT_MODEL,
  LOCATION_MODEL,
  MOVEMENT_MODEL,
  PERMISSIONS,
  SEQUENCES,
} from './constants.js'

/** Importing articles and opening stock (added in 1.1.0). */
const articleImport: PermissionDeclaration = {
  key: PERMISSIONS.articleImport,
  label: {
    fr: 'Importer des articles et le stock initial',
    en: 'Import articles and opening stock',
  },
  defaults: ['manager'],
  scoped: false,
}

export default defineModule({
  name: 'stock',
  version: '1.2.0',
  label: { fr: 'Stock', en: 'Stock' },
  description: {
    fr: 'Articles, magasins et véhicules, mouvements numérotés, valorisation au CMUP, inventaires',
    en: 'Articles, warehouses and vans, numbered movements, weighted average costing, counts',
  },
  icon: 'box',
  depends: [],
  // Articles' suppliers are contacts, when that module is enabled.
  integrates: ['contacts'],
  // Buyers hear when a movement takes an article below its minimum stock.
  notifications: [
    {
      key: 'below_minimum',
      label: {
        fr: 'Un article passe sous son stock minimum',
        en: 'An article falls below its minimum stock',
      },
      channels: { inApp: true, email: false },
      permission: PERMISSIONS.articleUpdate,
    },
  ],
  permissions: [
    {
      key: PERMISSIONS.articleRead,
      label: {
        fr: 'Voir les articles, les niveaux de stock et leur valeur',
        en: 'View articles, stock levels and their value',
      },
      defaults: ['manager', 'staff', 'technician'],
    },
    {
      key: PERMISSIONS.articleCreate,
      label: { fr: 'Créer des articles', en: 'Create articles' },
      defaults: ['manager', 'staff'],
    },
    {
      key: PERMISSIONS.articleUpdate,
      label: { fr: 'Modifier les articles', en: 'Edit articles' },
      defaults: ['manager', 'staff'],
    },
    articleImport,
    {
      key: PERMISSIONS.locationRead,
      label: {
        fr: 'Voir les emplacements (magasins, étagères, véhicules)',
        en: 'View locations (warehouses, shelves, vans)',
      },
      defaults: ['manager', 'staff', 'technician'],
    },
    {
      key: PERMISSIONS.locationManage,
      label: { fr: 'Créer et modifier les emplacements', en: 'Create and edit locations' },
      defaults: ['manager'],
    },
    {
      key: PERMISSIONS.movementRead,
      label: { fr: 'Voir les mouvements de stock', en: 'View stock movements' },
      defaults: ['manager', 'staff', 'technician'],
    },
    {
      key: PERMISSIONS.movementCreate,
      label: {
        fr: 'Saisir des entrées, sorties, transferts et ajustements',
        en: 'Post receipts, issues, transfers and adjustments',
      },
      defaults: ['manager', 'staff', 'technician'],
    },
    {
      key: PERMISSIONS.countManage,
      label: { fr: 'Mener et valider les inventaires', en: 'Run and validate stock counts' },
      defaults: ['manager'],
    },
    {
      key: PERMISSIONS.settingsManage,
      label: {
        fr: 'Régler le stock (autoriser le stock négatif)',
        en: 'Stock settings (allow negative stock)',
      },
      defaults: ['manager'],
      scoped: false,
    },
  ],
  menu: [
    {
      key: 'stock',
      label: { fr: 'Stock', en: 'Stock' },
      href: '/stock',
      icon: 'box',
      permission: PERMISSIONS.articleRead,
      order: 30,
    },
  ],
  // Home dashboard tiles, read through the user's scopes.
  widgets: [
    {
      key: 'value',
      label: { fr: 'Valeur du stock', en: 'Stock value' },
      permission: PERMISSIONS.articleRead,
      kind: 'kpi',
      order: 40,
      load: () => import('./widgets/stock_value.js'),
    },
    {
      key: 'below-minimum',
      label: { fr: 'Articles sous le minimum', en: 'Articles below minimum' },
      permission: PERMISSIONS.articleRead,
      kind: 'kpi',
      order: 41,
      load: () => import('./widgets/below_minimum.js'),
    },
    {
      key: 'top-movers',
      label: { fr: 'Articles les plus sortis', en: 'Top issued articles' },
      permission: PERMISSIONS.movementRead,
      kind: 'chart',
      size: 2,
      order: 42,
      load: () => import('./widgets/top_movers.js'),
    },
  ],
  // One series per kind of document, restarting every year (BE-2026-00001…).
  sequences: [
    {
      key: SEQUENCES.receipt,
      label: { fr: 'Bons d’entrée', en: 'Receipts' },
      format: 'BE-{YYYY}-{seq:5}',
      reset: 'yearly',
    },
    {
      key: SEQUENCES.issue,
      label: { fr: 'Bons de sortie', en: 'Issues' },
      format: 'BS-{YYYY}-{seq:5}',
      reset: 'yearly',
    },
    {
      key: SEQUENCES.transfer,
      label: { fr: 'Bons de transfert', en: 'Transfers' },
      format: 'BT-{YYYY}-{seq:5}',
      reset: 'yearly',
    },
    {
      key: SEQUENCES.adjustment,
      label: { fr: 'Bons d’ajustement', en: 'Adjustments' },
      format: 'BA-{YYYY}-{seq:5}',
      reset: 'yearly',
    },
  ],
  customizable: [ARTICLE_MODEL],
  records: [
    {
      model: ARTICLE_MODEL,
      table: 'stock_articles',
      permission: PERMISSIONS.articleRead,
      title: 'name',
    },
    {
      model: LOCATION_MODEL,
      table: 'stock_locations',
      permission: PERMISSIONS.locationRead,
      columns: { owner: 'holder_user_id' },
      title: 'name',
    },
    {
      model: MOVEMENT_MODEL,
      table: 'stock_movements',
      permission: PERMISSIONS.movementRead,
      title: 'number',
    },
    {
      model: COUNT_MODEL,
      table: 'stock_counts',
      permission: PERMISSIONS.countManage,
    },
  ],
  // The article's photo (and data sheets), added by whoever may edit the article.
  attachments: {
    [ARTICLE_MODEL]: { writePermission: PERMISSIONS.articleUpdate, maxBytes: 10 * 1024 * 1024 },
  },
  // Contacts named as suppliers are archived rather than deleted.
  references: [
    {
      model: 'contacts.contact',
      count: async (id, client) => {
        const row = await client
          .from('stock_article_suppliers')
          .where('contact_id', id)
          .count('* as total')
          .first()
        return Number(row?.total ?? 0)
      },
    },
  ],
  audited: {
    [ARTICLE_MODEL]: {
      label: { fr: 'Article', en: 'Article' },
      readable: async (access, id) => {
        const { findArticle } = await import('./index.js')
        return (await findArticle(access, Number(id))) !== null
      },
    },
    [LOCATION_MODEL]: {
      label: { fr: 'Emplacement', en: 'Location' },
      readable: async (access, id) => {
        const { default: LocationService } = await import('./services/location_service.js')
        return new LocationService(access)
          .find(Number(id))
          .then(() => true)
          .catch(() => false)
      },
    },
    [MOVEMENT_MODEL]: {
      label: { fr: 'Mouvement de stock', en: 'Stock movement' },
      readable: async (access, id) => {
        const { default: LedgerService } = await import('./services/ledger.js')
        return new LedgerService(access)
          .movement(Number(id))
          .then(() => true)
          .catch(() => false)
      },
    },
  },
  // CSV/XLSX import through the kernel's pipeline (node ace import:run stock.articles …)
  imports: { 'stock.articles': ARTICLES_IMPORT },
  // Per-company settings, on the kernel's settings page and API (1.2.0; they were
  // the module's own `stock_settings` table and `/api/v1/stock/settings` before)
  settings: {
    permission: PERMISSIONS.settingsManage,
    fields: {
      allowNegative: setting.boolean({
        label: { fr: 'Autoriser le stock négatif', en: 'Allow negative stock' },
        help: {
          fr: 'Les sorties et transferts peuvent alors descendre un emplacement sous zéro. Désactivé, un mouvement qui manque de stock est refusé.',
          en: 'Issues and transfers may then take a location below zero. Off, a movement short of stock is refused.',
        },
        default: false,
      }),
    },
  },
  routes: () => import('./routes.js'),
  demo: async (ctx) => (await import('./database/seeders/demo.js')).default(ctx),
  // Sites that enabled 1.0.0 get the import permission's default grants.
  upgrade: async ({ client, from }) => {
    if (from.startsWith('1.0.'))
      await grantDefaultPermissions({ permissions: [articleImport] }, client)
  },
})
