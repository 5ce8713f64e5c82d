import { DateTime } from 'luxon'
import hash from '@adonisjs/core/services/hash'
import { compose } from '@adonisjs/core/helpers'
import { BaseModel, column } from '@adonisjs/lucid/orm'
import { withAuthFinder } from '@adonisjs/auth/mixins/lucid'
import { AccessTokensProvider } from '#kernel/users/access_tokens_provider'

const AuthFinder = withAuthFinder(() => hash.use('scrypt'), {
  uids: ['email'],
  passwordColumnName: 'password',
})

/** API tokens: the prefix their public value starts with, and their secret's length. */
export const ACCESS_TOKEN_PREFIX = 'cpt_'
export const ACCESS_TOKEN_SECRET_LENGTH = 40

export default class User extends compose(BaseModel, AuthFinder) {
  @column({ isPrimary: true })
  declare id: number

  @column()
  declare email: string

  @column()
  declare fullName: string | null

  @column({ serializeAs: null })
  declare password: string

  @column()
  declare locale: string

  @column({ consume: Boolean })
  declare isActive: boolean

  @column()
  declare currentCompanyId: number | null

  @column.dateTime({ autoCreate: true })
  declare createdAt: DateTime

  @column.dateTime({ autoCreate: true, autoUpdate: true })
  declare updatedAt: DateTime

  static accessTokens = new AccessTokensProvider({
    tokenableModel: User,
    expiresIn: '365 days',
    prefix: ACCESS_TOKEN_PREFIX,
    table: 'auth_access_tokens',
    type: 'auth_token',
    tokenSecretLength: ACCESS_TOKEN_SECRET_LENGTH,
  })

  get displayName() {
    return this.fullName || this.email
  }
}
