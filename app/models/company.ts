import { DateTime } from 'luxon'
import { BaseModel, column } from '@adonisjs/lucid/orm'

/** A legal entity the site runs: its identity is printed on documents. */
export default class Company extends BaseModel {
  @column({ isPrimary: true })
  declare id: number

  @column()
  declare name: string

  @column()
  declare legalName: string | null

  @column()
  declare legalForm: string | null

  @column()
  declare siren: string | null

  @column()
  declare siret: string | null

  @column()
  declare vatNumber: string | null

  @column()
  declare rcs: string | null

  @column({ consume: (v) => (v === null || v === undefined ? null : Number(v)) })
  declare capitalCents: number | null

  @column({ columnName: 'address_line1' })
  declare addressLine1: string | null

  @column({ columnName: 'address_line2' })
  declare addressLine2: string | null

  @column()
  declare postalCode: string | null

  @column()
  declare city: string | null

  @column()
  declare country: string

  @column()
  declare email: string | null

  @column()
  declare phone: string | null

  @column()
  declare logoPath: string | null

  @column()
  declare decennialInsurance: string | null

  @column()
  declare timezone: string

  @column()
  declare locale: string

  @column.dateTime({ autoCreate: true })
  declare createdAt: DateTime

  @column.dateTime({ autoCreate: true, autoUpdate: true })
  declare updatedAt: DateTime
}
