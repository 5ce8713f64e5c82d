import vine from '@vinejs/vine'
import { sirenRule, siretRule, vatRule } from '#kernel/validation/french_ids'
import { PAYMENT_TERMS } from '../constants.js'

const address = vine.object({
  type: vine.enum(['billing', 'site', 'delivery'] as const),
  line1: vine.string().trim().minLength(1).maxLength(200),
  line2: vine.string().trim().maxLength(200).nullable().optional(),
  postalCode: vine.string().trim().minLength(2).maxLength(20),
  city: vine.string().trim().minLength(1).maxLength(100),
  country: vine
    .string()
    .trim()
    .toUpperCase()
    .regex(/^[A-Z]{2}$/),
})

const person = vine.object({
  firstName: vine.string().trim().maxLength(100).nullable().optional(),
  lastName: vine.string().trim().minLength(1).maxLength(100),
  jobTitle: vine.string().trim().maxLength(100).nullable().optional(),
  email: vine.string().trim().email().maxLength(254).nullable().optional(),
  phone: vine.string().trim().maxLength(40).nullable().optional(),
})

/** Fields a user may write. `code` comes from the numbering series, never from input. */
function fields() {
  return {
    kind: vine.enum(['company', 'person'] as const),
    name: vine.string().trim().minLength(1).maxLength(200),
    isCustomer: vine.boolean().optional(),
    isSupplier: vine.boolean().optional(),
    siren: vine.string().trim().use(sirenRule()).nullable().optional(),
    siret: vine.string().trim().use(siretRule()).nullable().optional(),
    vatNumber: vine.string().trim().use(vatRule()).nullable().optional(),
    email: vine.string().trim().email().maxLength(254).nullable().optional(),
    phone: vine.string().trim().maxLength(40).nullable().optional(),
    addresses: vine.array(address).maxLength(20).optional(),
    tags: vine.array(vine.string().trim().minLength(1).maxLength(40)).maxLength(30).optional(),
    notes: vine.string().trim().maxLength(10000).nullable().optional(),
    people: vine.array(person).maxLength(50).optional(),
    // Terms of business: written only by holders of contacts.contact.financial (a field rule)
    creditLimitCents: vine.number().withoutDecimals().min(0).max(1e13).nullable().optional(),
    // null (a cleared form field) is refused by the service: the terms are never left empty
    paymentTermsDays: vine
      .number()
      .withoutDecimals()
      .range([0, PAYMENT_TERMS.max])
      .nullable()
      .optional(),
    ownerId: vine.number().withoutDecimals().positive().nullable().optional(),
    teamId: vine.number().withoutDecimals().positive().nullable().optional(),
    // The company's custom fields, by key: checked by the kernel against their definitions
    customFields: vine.object({}).allowUnknownProperties().optional(),
  }
}

export const createContactValidator = vine.create(fields())

export const updateContactValidator = vine.create({
  ...fields(),
  kind: vine.enum(['company', 'person'] as const).optional(),
  name: vine.string().trim().minLength(1).maxLength(200).optional(),
})

export const SORTS = ['name', '-name', 'code', '-code', 'createdAt', '-createdAt'] as const

export const listContactsValidator = vine.create({
  search: vine.string().trim().maxLength(100).optional(),
  sort: vine.enum(SORTS).optional(),
  limit: vine.number().withoutDecimals().range([1, 100]).optional(),
  cursor: vine.string().trim().maxLength(500).optional(),
  kind: vine.enum(['company', 'person'] as const).optional(),
  role: vine.enum(['customer', 'supplier'] as const).optional(),
  tag: vine.string().trim().maxLength(40).optional(),
  archived: vine.boolean().optional(),
  // Custom field filters, `cf[<key>]=value`: checked by the kernel against their definitions
  cf: vine.object({}).allowUnknownProperties().optional(),
})
