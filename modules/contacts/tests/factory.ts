import { Access } from '#kernel/security/access'
import ContactService from '../services/contact_service.js'

/**
 * Test factory for the permission matrix test (tests/functional/permission_matrix.spec.ts):
 * a contact of `companyId` owned by `ownerId`, for the module's record routes
 * (`/contacts/:id…` and `/api/v1/contacts/:id…`). `text` is a value the record
 * shows, which a refused request must never return.
 */
export async function createRecord(companyId: number, ownerId: number) {
  // Written as an admin of the company: the factory makes data, it tests no access.
  const access = new Access(ownerId, companyId, 'admin', new Map(), [])
  const text = `Matrix ${Date.now().toString(36)}${Math.random().toString(36).slice(2, 8)}`
  const contact = await new ContactService(access).create({
    kind: 'company',
    name: text,
    ownerId,
  })
  return { id: contact.id, text }
}
