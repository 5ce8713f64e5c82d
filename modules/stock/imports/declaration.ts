import type { ImportDeclaration } from '#kernel/imports/types'
import { PERMISSIONS } from '../constants.js'

/**
 * Articles and their opening stock from a spreadsheet. A row whose
 * reference matches an article updates it, else creates one. A quantity
 * with a location sets that location's stock: a receipt (BE-…, at the unit
 * cost, else the purchase price) where there is none yet, an adjustment
 * (BA-…) for the difference otherwise — numbered documents like any other.
 */
export const ARTICLES_IMPORT: ImportDeclaration = {
  label: { fr: 'Articles et stock initial', en: 'Articles and opening stock' },
  description: {
    fr: 'Mise à jour par référence, sinon création ; quantité en stock par emplacement',
    en: 'Updated by reference, else created; quantity on hand per location',
  },
  permission: PERMISSIONS.articleImport,
  createPermission: PERMISSIONS.articleCreate,
  updatePermission: PERMISSIONS.articleUpdate,
  keys: [{ field: 'reference' }],
  fields: [
    {
      key: 'reference',
      label: { fr: 'Référence', en: 'Reference' },
      type: 'text',
      maxLength: 60,
      required: true,
      aliases: ['ref', 'réf', 'code article', 'code'],
    },
    {
      key: 'name',
      label: { fr: 'Désignation', en: 'Name' },
      type: 'text',
      maxLength: 200,
      aliases: ['libellé', 'libelle', 'article', 'description'],
    },
    {
      key: 'category',
      label: { fr: 'Catégorie', en: 'Category' },
      type: 'text',
      maxLength: 100,
      aliases: ['famille'],
    },
    { key: 'unit', label: { fr: 'Unité', en: 'Unit' }, type: 'text', maxLength: 20 },
    {
      key: 'purchasePriceCents',
      label: { fr: 'Prix d’achat HT', en: 'Purchase price' },
      type: 'money',
      min: 0,
      aliases: ['prix achat', 'prix', 'pu ht'],
    },
    {
      key: 'minStock',
      label: { fr: 'Stock minimum', en: 'Minimum stock' },
      type: 'decimal',
      scale: 3,
      min: 0,
      aliases: ['stock mini', 'mini', 'seuil'],
    },
    {
      key: 'reorderQuantity',
      label: { fr: 'Quantité de réapprovisionnement', en: 'Reorder quantity' },
      type: 'decimal',
      scale: 3,
      min: 0,
      aliases: ['qté réappro', 'réappro'],
    },
    {
      key: 'barcode',
      label: { fr: 'Code-barres', en: 'Barcode' },
      type: 'text',
      maxLength: 64,
      aliases: ['ean', 'gencod'],
    },
    {
      key: 'location',
      label: { fr: 'Emplacement', en: 'Location' },
      type: 'text',
      maxLength: 120,
      aliases: ['magasin', 'dépôt'],
      help: {
        fr: 'Nom d’un emplacement existant, pour la quantité en stock',
        en: 'Name of an existing location, for the quantity on hand',
      },
    },
    {
      key: 'quantity',
      label: { fr: 'Quantité en stock', en: 'Quantity on hand' },
      type: 'decimal',
      scale: 3,
      min: 0,
      aliases: ['stock', 'quantité', 'qté'],
    },
    {
      key: 'unitCost',
      label: { fr: 'Coût unitaire HT', en: 'Unit cost' },
      type: 'money',
      min: 0,
      aliases: ['coût', 'cout unitaire', 'valeur unitaire'],
    },
  ],
  load: () => import('./articles.js'),
}
