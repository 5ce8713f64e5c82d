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
} as const
