/** The model name other modules use to reference a contact. */
export const CONTACT_MODEL = 'contacts.contact'

/** The numbering series contact codes come from (e.g. CL-00042). */
export const CONTACT_SEQUENCE = 'contacts.contact'

export const PERMISSIONS = {
  read: 'contacts.contact.read',
  create: 'contacts.contact.create',
  update: 'contacts.contact.update',
  delete: 'contacts.contact.delete',
  export: 'contacts.contact.export',
  financial: 'contacts.contact.financial',
  import: 'contacts.contact.import',
} as const

/**
 * Terms of business a sales office keeps from technicians: shown to and
 * changed by holders of `contacts.contact.financial` only (a field rule).
 */
export const FINANCIAL_FIELDS = ['creditLimitCents', 'paymentTermsDays']

/** Payment terms by default, and at most: French law (LME) caps most B2B terms at 60 days. */
export const PAYMENT_TERMS = { default: 30, max: 60 } as const

/** The notification a user gets when a contact is given to them (declared in the manifest). */
export const ASSIGNED_NOTIFICATION = 'contacts.contact_assigned'
