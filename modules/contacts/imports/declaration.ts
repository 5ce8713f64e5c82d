import type { ImportDeclaration } from '#kernel/imports/types'
import { PAYMENT_TERMS, PERMISSIONS } from '../constants.js'

/**
 * Contacts from a spreadsheet. A row with a `code` updates that contact (an
 * unknown code is refused: codes come from the numbering series); else a
 * row whose SIRET, then e-mail, matches exactly one contact updates it;
 * otherwise a contact is created. Matches stay within the user's scope of
 * contacts.contact.update.
 */
export const CONTACTS_IMPORT: ImportDeclaration = {
  label: { fr: 'Contacts', en: 'Contacts' },
  description: {
    fr: 'Clients et fournisseurs : mise à jour par code, SIRET ou e-mail, sinon création',
    en: 'Customers and suppliers: updated by code, SIRET or e-mail, else created',
  },
  permission: PERMISSIONS.import,
  createPermission: PERMISSIONS.create,
  updatePermission: PERMISSIONS.update,
  keys: [{ field: 'code', mustExist: true }, { field: 'siret' }, { field: 'email' }],
  fields: [
    {
      key: 'code',
      label: { fr: 'Code', en: 'Code' },
      type: 'text',
      maxLength: 30,
      aliases: ['code client', 'code tiers', 'ref', 'référence'],
    },
    {
      key: 'name',
      label: { fr: 'Nom', en: 'Name' },
      type: 'text',
      maxLength: 200,
      aliases: ['raison sociale', 'nom / raison sociale', 'company', 'société'],
    },
    {
      key: 'kind',
      label: { fr: 'Type', en: 'Kind' },
      type: 'enum',
      options: {
        company: ['entreprise', 'société', 'societe', 'pro', 'professionnel'],
        person: ['particulier', 'personne', 'individual'],
      },
      help: { fr: 'Entreprise par défaut', en: 'Company by default' },
    },
    {
      key: 'isCustomer',
      label: { fr: 'Client', en: 'Customer' },
      type: 'boolean',
      aliases: ['est client'],
    },
    {
      key: 'isSupplier',
      label: { fr: 'Fournisseur', en: 'Supplier' },
      type: 'boolean',
      aliases: ['est fournisseur'],
    },
    { key: 'siren', label: { fr: 'SIREN', en: 'SIREN' }, type: 'text', maxLength: 20 },
    {
      key: 'siret',
      label: { fr: 'SIRET', en: 'SIRET' },
      type: 'text',
      maxLength: 20,
      aliases: ['n° siret', 'numero siret'],
    },
    {
      key: 'vatNumber',
      label: { fr: 'N° TVA intracommunautaire', en: 'VAT number' },
      type: 'text',
      maxLength: 20,
      aliases: ['tva', 'n° tva', 'tva intracom', 'vat'],
    },
    {
      key: 'email',
      label: { fr: 'E-mail', en: 'E-mail' },
      type: 'email',
      aliases: ['email', 'mail', 'courriel', 'adresse e-mail'],
    },
    {
      key: 'phone',
      label: { fr: 'Téléphone', en: 'Phone' },
      type: 'text',
      maxLength: 40,
      aliases: ['tel', 'tél', 'telephone'],
    },
    {
      key: 'line1',
      label: { fr: 'Adresse', en: 'Address' },
      type: 'text',
      maxLength: 200,
      aliases: ['adresse 1', 'rue'],
    },
    {
      key: 'postalCode',
      label: { fr: 'Code postal', en: 'Postal code' },
      type: 'text',
      maxLength: 20,
      aliases: ['cp', 'zip'],
    },
    {
      key: 'city',
      label: { fr: 'Ville', en: 'City' },
      type: 'text',
      maxLength: 100,
      aliases: ['commune'],
    },
    {
      key: 'country',
      label: { fr: 'Pays', en: 'Country' },
      type: 'text',
      maxLength: 2,
      help: { fr: 'Code à deux lettres, FR par défaut', en: 'Two-letter code, FR by default' },
    },
    { key: 'tags', label: { fr: 'Étiquettes', en: 'Tags' }, type: 'list', maxLength: 40 },
    { key: 'notes', label: { fr: 'Notes', en: 'Notes' }, type: 'text', maxLength: 10000 },
    {
      key: 'creditLimitCents',
      label: { fr: 'Encours autorisé (€)', en: 'Credit limit (€)' },
      type: 'money',
      min: 0,
      aliases: ['encours'],
    },
    {
      key: 'paymentTermsDays',
      label: { fr: 'Délai de paiement (jours)', en: 'Payment terms (days)' },
      type: 'integer',
      min: 0,
      max: PAYMENT_TERMS.max,
      aliases: ['délai de paiement'],
    },
  ],
  load: () => import('./contacts.js'),
}
