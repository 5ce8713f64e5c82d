/**
 * The contacts module's public surface. Other modules (devis, chantiers…)
 * import from here only, and only if they depend on or integrate `contacts`.
 */
import db from '@adonisjs/lucid/services/db'
import type { Access } from '#kernel/security/access'
import ContactService from './services/contact_service.js'
import { contactToJson } from './transformers/contact_transformer.js'

export { CONTACT_MODEL, PERMISSIONS as CONTACT_PERMISSIONS } from './constants.js'
export type { Address, ContactKind } from './models/contact.js'

/**
 * A contact as another module may show it, within the user's scope and
 * without the fields they may not see; null if not visible.
 */
export async function findContact(access: Access, id: number) {
  try {
    return contactToJson(await new ContactService(access).find(id), access)
  } catch {
    return null
  }
}

/** Name and code of a contact of a company, for documents (no scope: the caller checked its own). */
export async function contactLabel(companyId: number, id: number) {
  const row = await db
    .from('contacts')
    .where({ company_id: companyId, id })
    .select('id', 'code', 'name')
    .first()
  return row ? { id: row.id as number, code: row.code as string, name: row.name as string } : null
}
