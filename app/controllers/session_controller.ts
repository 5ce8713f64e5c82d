import type { HttpContext } from '@adonisjs/core/http'
import User from '#models/user'
import { loginValidator } from '#validators/auth'
import { localeOf } from '#middleware/inertia_middleware'
import i18nManager from '@adonisjs/i18n/services/main'

export default class SessionController {
  async create({ inertia, response }: HttpContext) {
    if ((await User.query().count('* as total').first())?.$extras.total == 0) {
      return response.redirect('/setup')
    }
    return inertia.render('auth/login', {})
  }

  async store(ctx: HttpContext) {
    const { request, auth, response, session } = ctx
    const { email, password } = await request.validateUsing(loginValidator)
    const t = i18nManager.locale(localeOf(ctx))
    let user: User
    try {
      user = await User.verifyCredentials(email.toLowerCase(), password)
    } catch {
      session.flashExcept(['password'])
      session.flashErrors({ email: t.t('auth.invalid_credentials') })
      return response.redirect().back()
    }
    if (!user.isActive) {
      session.flashExcept(['password'])
      session.flashErrors({ email: t.t('auth.account_disabled') })
      return response.redirect().back()
    }
    await auth.use('web').login(user)
    return response.redirect('/')
  }

  async destroy({ auth, response, session }: HttpContext) {
    await auth.use('web').logout()
    session.clear()
    return response.redirect('/login')
  }
}
