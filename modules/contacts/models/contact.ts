import { DateTime } from 'luxon'
import { BaseModel, column, hasMany } from '@adonisjs/lucid/orm'
import type { HasMany } from '@adonisjs/lucid/types/relations'
import ContactPerson from './contact_person.js'

export type ContactKind = 'company' | 'person'
export type AddressType = 'billing' | 'site' | 'delivery'
export interface Address {
  type: AddressType
  line1: string
  line2?: string | null
  postalCode: string
  city: string
  country: string
}

const jsonColumn = {
  prepare: (value: unknown) => JSON.stringify(value ?? []),
  consume: (value: unknown) => (typeof value === 'string' ? JSON.parse(value) : (value ?? [])),
}

/** A third party: customer, supplier or both (French: tiers). */
export default class Contact extends BaseModel {
  static table = 'contacts'

  @column({ isPrimary: true })
  declare id: number

  @column()
  declare companyId: number

  @column()
  declare code: string

  @column()
  declare kind: ContactKind

  @column()
  declare name: string

  @column({ serializeAs: null })
  declare sortName: string

  @column({ serializeAs: null })
  declare searchText: string

  @column({ consume: Boolean })
  declare isCustomer: boolean

  @column({ consume: Boolean })
  declare isSupplier: boolean

  @column()
  declare siren: string | null

  @column()
  declare siret: string | null

  @column()
  declare vatNumber: string | null

  @column()
  declare email: string | null

  @column()
  declare phone: string | null

  @column(jsonColumn)
  declare addresses: Address[]

  @column(jsonColumn)
  declare tags: string[]

  @column()
  declare notes: string | null

  /** Encours autorisé, in cents (PostgreSQL hands bigints back as strings) */
  @column({ consume: (v) => (v === null || v === undefined ? null : Number(v)) })
  declare creditLimitCents: number | null

  /** Délai de paiement, in days */
  @column()
  declare paymentTermsDays: number

  /** Customer lifecycle state, moved by the workflow only (see workflow.ts) */
  @column()
  declare lifecycle: string

  /** The lifecycle workflow version this contact runs under */
  @column()
  declare workflowVersion: number

  @column()
  declare ownerId: number | null

  @column()
  declare teamId: number | null

  @column.dateTime()
  declare archivedAt: DateTime | null

  @column.dateTime({ autoCreate: true })
  declare createdAt: DateTime

  @column.dateTime({ autoCreate: true, autoUpdate: true })
  declare updatedAt: DateTime

  @hasMany(() => ContactPerson)
  declare people: HasMany<typeof ContactPerson>
}
