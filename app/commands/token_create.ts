import { flags } from '@adonisjs/core/ace'
import type { CommandOptions } from '@adonisjs/core/types/ace'
import { KernelCommand, CommandRefusal } from '#kernel/cli/kernel_command'

/**
 * Creates a personal access token for the API. The token is shown once, alone
 * on the last line of output, so a script can take it with `tail -n 1`.
 */
export default class TokenCreate extends KernelCommand {
  static commandName = 'token:create'
  static description = 'Create an API access token (Bearer) for a user; prints the token last'
  static options: CommandOptions = { startApp: true }

  @flags.string({ description: 'Email of the user', required: true })
  declare email: string

  @flags.string({ description: 'A name to recognise the token by', default: 'cli' })
  declare name: string

  async run() {
    await this.refusing(async () => {
      const { default: User } = await import('#models/user')
      const email = this.email.trim().toLowerCase()
      const user = await User.findBy('email', email)
      if (!user) throw new CommandRefusal(`No user with email "${email}"`)
      if (!user.isActive) throw new CommandRefusal(`User "${email}" is disabled`)
      const token = await User.accessTokens.create(user, ['*'], { name: this.name })
      this.logger.info(
        `Token "${this.name}" for ${email}, expires ${token.expiresAt?.toISOString() ?? 'never'}. It is shown once:`
      )
      this.logger.log(token.value!.release())
    })
  }
}
