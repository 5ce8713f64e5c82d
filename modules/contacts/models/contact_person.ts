import { BaseModel, column } from '@adonisjs/lucid/orm'

/** Someone to talk to at a contact (French: interlocuteur). */
export default class ContactPerson extends BaseModel {
  static table = 'contact_people'

  @column({ isPrimary: true })
  declare id: number

  @column()
  declare contactId: number

  @column()
  declare firstName: string | null

  @column()
  declare lastName: string

  @column()
  declare jobTitle: string | null

  @column()
  declare email: string | null

  @column()
  declare phone: string | null

  @column()
  declare position: number
}
