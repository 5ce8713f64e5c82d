import { flags } from '@adonisjs/core/ace'
import type { CommandOptions } from '@adonisjs/core/types/ace'
import { KernelCommand, CommandRefusal } from '#kernel/cli/kernel_command'

/**
 * Creates a personal access token for the API. The token is shown once, alone
 * on the last line of output, so a script can take it with `tail -n 1`.
 * Abilities are checked against the permissions the user holds in their
 * current company, as on the token page.
 */
export default class TokenCreate extends KernelCommand {
  static commandName = 'token:create'
  static description = 'Create an API access token (Bearer) for a user; prints the token last'
  static options: CommandOptions = { startApp: true }

  @flags.string({ description: 'Email of the user', required: true })
  declare email: string

  @flags.string({
    description:
      'A name to recognise the token by, unique among the user’s tokens (default: cli and the date and time)',
  })
  declare name?: string

  @flags.string({
    description:
      'Comma-separated permission keys the token may use, or * for all the user’s permissions',
    default: '*',
  })
  declare abilities: string

  @flags.string({ description: 'Lifetime in days, 1 to 365 (e.g. 30 or 30d)', default: '90' })
  declare expiresIn: string

  async run() {
    await this.refusing(async () => {
      const { default: User } = await import('#models/user')
      const { resolveAccess, companiesOf } = await import('#kernel/security/access')
      const { createToken } = await import('#kernel/users/api_tokens')
      const { errors } = await import('@vinejs/vine')

      const email = this.email.trim().toLowerCase()
      const user = await User.findBy('email', email)
      if (!user) throw new CommandRefusal(`No user with email "${email}"`)
      if (!user.isActive) throw new CommandRefusal(`User "${email}" is disabled`)

      const days = /^\s*(\d{1,3})\s*d?\s*$/i.exec(this.expiresIn)
      if (!days) throw new CommandRefusal('--expires-in takes a number of days, 1 to 365')
      const companyId = user.currentCompanyId ?? (await companiesOf(user.id))[0]?.id
      const access = companyId ? await resolveAccess(user.id, companyId) : null
      if (!access) throw new CommandRefusal(`User "${email}" is not a member of any company`)

      const name = this.name?.trim() || `cli ${new Date().toISOString()}`
      const abilities = this.abilities.split(',').map((key) => key.trim())
      try {
        const { token, secret } = await createToken(
          user,
          access,
          { name, abilities, expiresIn: Number(days[1]) },
          { by: 'cli', actor: { actorId: null, companyId: access.companyId } }
        )
        this.logger.info(
          `Token "${token.name}" for ${email} (${token.abilities.join(', ')}), expires ${token.expiresAt}. It is shown once:`
        )
        this.logger.log(secret)
      } catch (error) {
        if (error instanceof errors.E_VALIDATION_ERROR) {
          const messages = error.messages as { field: string; message: string }[]
          throw new CommandRefusal(
            messages.map((m) => `--${flagOf(m.field)}: ${m.message}`).join('; ')
          )
        }
        throw error
      }
    })
  }
}

function flagOf(field: string) {
  return field === 'expiresIn' || field === 'expiresAt' ? 'expires-in' : field
}
