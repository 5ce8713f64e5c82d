import type { HttpContext } from '@adonisjs/core/http'
import db from '@adonisjs/lucid/services/db'
import User from '#models/user'
import { setupValidator } from '#validators/auth'
import { createCompany, addMember } from '#services/companies'

/**
 * First-run setup when no demo data was seeded: creates the first company and
 * its admin in one transaction. Refused as soon as any user exists.
 */
export default class SetupController {
  async #hasUsers() {
    const row = await db.from('users').count('* as total').first()
    return Number(row.total) > 0
  }

  async create({ inertia, response }: HttpContext) {
    if (await this.#hasUsers()) return response.redirect('/login')
    return inertia.render('auth/setup', {})
  }

  async store({ request, response, auth, session }: HttpContext) {
    const data = await request.validateUsing(setupValidator)
    let user: User | null = null
    await db.transaction(async (trx) => {
      // Re-checked inside the transaction: two setups racing cannot both win.
      const existing = await trx.from('users').count('* as total').first()
      if (Number(existing.total) > 0) return
      const company = await createCompany(trx, { name: data.companyName })
      user = await User.create(
        {
          email: data.email.toLowerCase(),
          fullName: data.fullName,
          password: data.password,
          isActive: true,
          locale: 'fr',
          currentCompanyId: company.id,
        },
        { client: trx }
      )
      await addMember(trx, company.id, user.id, 'admin')
    })
    if (!user) {
      session.flash('error', 'Setup was already done')
      return response.redirect('/login')
    }
    await auth.use('web').login(user)
    return response.redirect('/')
  }
}
