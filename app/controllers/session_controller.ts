import type { HttpContext } from '@adonisjs/core/http'
import User from '#models/user'
import { loginValidator } from '#validators/auth'
import { fieldError } from '#kernel/http/field_error'
import { throttledLogin, TooManyLoginAttempts } from '#kernel/security/login_throttle'

export default class SessionController {
  async create({ inertia, response }: HttpContext) {
    const users = await User.query().count('* as total').first()
    if (Number(users?.$extras.total ?? 0) === 0) {
      return response.redirect('/setup')
    }
    return inertia.render('auth/login', {})
  }

  async store(ctx: HttpContext) {
    const { request, auth, response } = ctx
    const { email, password } = await request.validateUsing(loginValidator)
    const t = ctx.i18n
    let user: User
    try {
      user = await throttledLogin(email, request.ip(), () =>
        User.verifyCredentials(email.toLowerCase(), password)
      )
    } catch (error) {
      if (error instanceof TooManyLoginAttempts) throw error
      throw fieldError('email', t.t('auth.invalid_credentials'), 'credentials')
    }
    if (!user.isActive) throw fieldError('email', t.t('auth.account_disabled'), 'disabled')
    await auth.use('web').login(user)
    return response.redirect('/')
  }

  async destroy({ auth, response, session }: HttpContext) {
    await auth.use('web').logout()
    session.clear()
    return response.redirect('/login')
  }
}
