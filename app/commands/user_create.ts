import { flags } from '@adonisjs/core/ace'
import type { CommandOptions } from '@adonisjs/core/types/ace'
import { KernelCommand, CommandRefusal } from '#kernel/cli/kernel_command'

/**
 * Creates a user and their membership of a company, with a role, in one
 * transaction: either both exist afterwards or neither does.
 */
export default class UserCreate extends KernelCommand {
  static commandName = 'user:create'
  static description = 'Create a user with a role in a company'
  static options: CommandOptions = { startApp: true }

  @flags.string({ description: 'Email address (the login)', required: true })
  declare email: string

  @flags.string({ description: 'Password, 8 to 128 characters', required: true })
  declare password: string

  @flags.string({
    description: 'Role key: admin, manager, staff, technician, client or a custom role',
    required: true,
  })
  declare role: string

  @flags.string({ description: 'Company id or name (optional when the site has one company)' })
  declare company?: string

  @flags.string({ description: 'Full name' })
  declare name?: string

  async run() {
    await this.refusing(async () => {
      const { default: db } = await import('@adonisjs/lucid/services/db')
      const { default: User } = await import('#models/user')
      const { addMember } = await import('#services/companies')
      const { ensureBuiltinRoles } = await import('#kernel/security/roles')
      const { passwordProblem, PASSWORD_MIN_LENGTH, PASSWORD_MAX_LENGTH } =
        await import('#kernel/security/passwords')

      const email = this.email.trim().toLowerCase()
      if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email) || email.length > 254) {
        throw new CommandRefusal(`Invalid email "${this.email}"`)
      }
      const length = [...this.password].length
      if (length < PASSWORD_MIN_LENGTH || length > PASSWORD_MAX_LENGTH) {
        throw new CommandRefusal(
          `The password must be ${PASSWORD_MIN_LENGTH} to ${PASSWORD_MAX_LENGTH} characters long (it has ${length})`
        )
      }
      const problem = await passwordProblem(this.password, email)
      if (problem === 'passwordContainsEmail') {
        throw new CommandRefusal('The password must not contain the email address')
      }
      if (problem === 'commonPassword') {
        throw new CommandRefusal(
          'This password is too common (it appears in lists of leaked passwords): choose another one'
        )
      }
      const fullName = this.name?.trim() || null
      if (fullName && fullName.length > 200) {
        throw new CommandRefusal('The name must be at most 200 characters long')
      }

      await ensureBuiltinRoles()
      const roles = (await db.from('roles').orderBy('key').select('key')).map(
        (r) => r.key as string
      )
      if (!roles.includes(this.role)) {
        throw new CommandRefusal(`Unknown role "${this.role}" (roles: ${roles.join(', ')})`)
      }
      const company = await this.#company(db)

      await db.transaction(async (trx) => {
        // Checked inside the transaction; the unique index settles any race.
        if (await trx.from('users').where('email', email).first()) {
          throw new CommandRefusal(`A user with email "${email}" already exists`)
        }
        const user = await User.create(
          {
            email,
            fullName,
            password: this.password,
            isActive: true,
            locale: company.locale ?? 'fr',
            currentCompanyId: company.id,
          },
          { client: trx }
        )
        await addMember(trx, company.id, user.id, this.role)
      })
      this.logger.success(
        `Created user ${email}, ${this.role} of "${company.name}" (#${company.id})`
      )
    })
  }

  /** The company named by --company (id or exact name), or the site's only one. */
  async #company(db: (typeof import('@adonisjs/lucid/services/db'))['default']) {
    const companies = await db.from('companies').orderBy('id').select('id', 'name', 'locale')
    const known = () => companies.map((c) => `#${c.id} ${c.name}`).join(', ')
    if (this.company === undefined) {
      if (companies.length === 1) return companies[0]
      if (companies.length === 0) {
        throw new CommandRefusal('No company yet: create the first one at /setup')
      }
      throw new CommandRefusal(`Several companies exist: pass --company <id or name> (${known()})`)
    }
    const wanted = this.company.trim()
    const found =
      (/^\d+$/.test(wanted) && companies.find((c) => c.id === Number(wanted))) ||
      companies.find((c) => c.name.toLowerCase() === wanted.toLowerCase())
    if (!found) {
      throw new CommandRefusal(`Unknown company "${wanted}" (companies: ${known() || 'none'})`)
    }
    return found
  }
}
