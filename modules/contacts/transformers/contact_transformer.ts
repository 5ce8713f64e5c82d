import type Contact from '../models/contact.js'

/** What a contact shows to pages and the API: an allow-list, never the whole model. */
export function contactToJson(contact: Contact) {
  return {
    id: contact.id,
    code: contact.code,
    kind: contact.kind,
    name: contact.name,
    isCustomer: contact.isCustomer,
    isSupplier: contact.isSupplier,
    siren: contact.siren,
    siret: contact.siret,
    vatNumber: contact.vatNumber,
    email: contact.email,
    phone: contact.phone,
    addresses: contact.addresses,
    tags: contact.tags,
    notes: contact.notes,
    ownerId: contact.ownerId,
    teamId: contact.teamId,
    archivedAt: contact.archivedAt?.toISO() ?? null,
    createdAt: contact.createdAt?.toISO() ?? null,
    updatedAt: contact.updatedAt?.toISO() ?? null,
    people: (contact.people ?? []).map((p) => ({
      id: p.id,
      firstName: p.firstName,
      lastName: p.lastName,
      jobTitle: p.jobTitle,
      email: p.email,
      phone: p.phone,
    })),
  }
}

/** The lighter shape of list rows. */
export function contactRowToJson(contact: Contact) {
  const billing = contact.addresses?.find((a) => a.type === 'billing') ?? contact.addresses?.[0]
  return {
    id: contact.id,
    code: contact.code,
    kind: contact.kind,
    name: contact.name,
    isCustomer: contact.isCustomer,
    isSupplier: contact.isSupplier,
    email: contact.email,
    phone: contact.phone,
    city: billing?.city ?? null,
    tags: contact.tags,
    archivedAt: contact.archivedAt?.toISO() ?? null,
  }
}

export const CSV_HEADER = [
  'code',
  'kind',
  'name',
  'isCustomer',
  'isSupplier',
  'siren',
  'siret',
  'vatNumber',
  'email',
  'phone',
  'billingAddress',
  'postalCode',
  'city',
  'country',
  'tags',
  'people',
  'notes',
  'createdAt',
]

export function contactToCsvRow(contact: Contact) {
  const billing = contact.addresses?.find((a) => a.type === 'billing') ?? contact.addresses?.[0]
  return [
    contact.code,
    contact.kind,
    contact.name,
    contact.isCustomer ? 1 : 0,
    contact.isSupplier ? 1 : 0,
    contact.siren,
    contact.siret,
    contact.vatNumber,
    contact.email,
    contact.phone,
    billing ? [billing.line1, billing.line2].filter(Boolean).join(', ') : '',
    billing?.postalCode ?? '',
    billing?.city ?? '',
    billing?.country ?? '',
    contact.tags,
    (contact.people ?? []).map((p) => [p.firstName, p.lastName].filter(Boolean).join(' ')),
    contact.notes,
    contact.createdAt?.toISO(),
  ]
}
