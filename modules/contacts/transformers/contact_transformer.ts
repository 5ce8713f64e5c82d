import type Contact from '../models/contact.js'
import type { Address } from '../models/contact.js'
import type { ContactListRow } from '../services/contact_service.js'
import type { Access } from '#kernel/security/access'
import { hideFields, visibleColumns } from '#kernel/security/field_rules'
import { customFields } from '#kernel/custom_fields/custom_fields'
import { isoFromDb } from '#kernel/db/timestamp'
import type { CustomFieldDefinition, CustomValues } from '#kernel/custom_fields/types'
import { CONTACT_MODEL } from '../constants.js'

/**
 * What a contact shows to pages and the API: an allow-list, never the whole
 * model, without the fields `access` may not see (the manifest's field rules).
 */
export function contactToJson(contact: Contact, access: Access) {
  return hideFields(access, CONTACT_MODEL, {
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
    creditLimitCents: contact.creditLimitCents,
    paymentTermsDays: contact.paymentTermsDays,
    lifecycle: contact.lifecycle,
    archivedAt: contact.archivedAt?.toISO() ?? null,
    createdAt: contact.createdAt?.toISO() ?? null,
    updatedAt: contact.updatedAt?.toISO() ?? null,
    customFields: customValuesOf(contact),
    people: (contact.people ?? []).map((p) => ({
      id: p.id,
      firstName: p.firstName,
      lastName: p.lastName,
      jobTitle: p.jobTitle,
      email: p.email,
      phone: p.phone,
    })),
  })
}

/*
 * List rows are read as plain rows (ContactService.list), not models: what
 * follows turns their columns into the values the model's columns would give
 * (booleans, parsed JSON, numbers, ISO dates), so lists and records agree.
 */

function json<T>(value: unknown): T {
  return (typeof value === 'string' ? JSON.parse(value) : (value ?? [])) as T
}

function billingCity(addresses: Address[] | null | undefined) {
  const billing = addresses?.find((a) => a.type === 'billing') ?? addresses?.[0]
  return billing?.city ?? null
}

/** The API's shape of a contact (contactToJson) from a list row (`API_COLUMNS`). */
export function contactListRowToJson(row: ContactListRow, access: Access) {
  return hideFields(access, CONTACT_MODEL, {
    id: row.id,
    code: row.code as string,
    kind: row.kind as Contact['kind'],
    name: row.name as string,
    isCustomer: Boolean(row.is_customer),
    isSupplier: Boolean(row.is_supplier),
    siren: row.siren as string | null,
    siret: row.siret as string | null,
    vatNumber: row.vat_number as string | null,
    email: row.email as string | null,
    phone: row.phone as string | null,
    addresses: json<Address[]>(row.addresses),
    tags: json<string[]>(row.tags),
    notes: row.notes as string | null,
    ownerId: row.owner_id as number | null,
    teamId: row.team_id as number | null,
    creditLimitCents:
      row.credit_limit_cents === null || row.credit_limit_cents === undefined
        ? null
        : Number(row.credit_limit_cents),
    paymentTermsDays: row.payment_terms_days as number,
    lifecycle: row.lifecycle as string,
    archivedAt: isoFromDb(row.archived_at),
    createdAt: isoFromDb(row.created_at),
    updatedAt: isoFromDb(row.updated_at),
    customFields: row.customFields ?? {},
    // Lists do not load people; the record (contactToJson) does.
    people: [] as ReturnType<typeof contactToJson>['people'],
  })
}

/** The lighter shape of list pages' rows, from a list row (`LIST_COLUMNS`). */
export function contactRowToJson(row: ContactListRow) {
  return {
    id: row.id,
    code: row.code as string,
    kind: row.kind as Contact['kind'],
    name: row.name as string,
    isCustomer: Boolean(row.is_customer),
    isSupplier: Boolean(row.is_supplier),
    email: row.email as string | null,
    phone: row.phone as string | null,
    city: billingCity(json<Address[]>(row.addresses)),
    tags: json<string[]>(row.tags),
    lifecycle: row.lifecycle as string,
    archivedAt: isoFromDb(row.archived_at),
    customFields: row.customFields ?? {},
  }
}

/** The custom values the service loaded with the contact (`customFields.attach`). */
export function customValuesOf(contact: Contact): CustomValues {
  return (contact.$extras.customFields as CustomValues | undefined) ?? {}
}

/**
 * Euros from cents for French spreadsheets (`1500,50`): integer arithmetic,
 * no float rounding.
 */
export function euros(cents: number | null) {
  if (cents === null || cents === undefined) return null
  const sign = cents < 0 ? '-' : ''
  const abs = Math.abs(cents)
  return `${sign}${Math.trunc(abs / 100)},${String(abs % 100).padStart(2, '0')}`
}

/**
 * Column names are the contact's field names (the credit limit in euros, as
 * `creditLimit`), so field rules drop the hidden ones.
 */
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
  'creditLimit',
  'paymentTermsDays',
  'createdAt',
]

function contactToCsvRow(contact: Contact) {
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
    euros(contact.creditLimitCents),
    contact.paymentTermsDays,
    contact.createdAt?.toISO(),
  ]
}

/**
 * The CSV export's header and rows as `access` may see them, the company's
 * active custom fields last (`customFields.<key>` columns).
 */
export function contactsCsv(access: Access, fields: CustomFieldDefinition[] = []) {
  const columns = visibleColumns(access, CONTACT_MODEL, CSV_HEADER, {
    creditLimit: 'creditLimitCents',
  })
  const custom = customFields.csvColumns(fields)
  return {
    header: [...columns.header, ...custom.header],
    row: (contact: Contact) => [
      ...columns.pick(contactToCsvRow(contact)),
      ...custom.cells(customValuesOf(contact)),
    ],
  }
}
