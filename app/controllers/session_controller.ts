import type { HttpContext } from '@adonisjs/core/http'
import User from '#models/user'
import { loginValidator } from '#validators/auth'
import { fieldError } from '#kernel/http/field_error'
import { throttledLogin, TooManyLoginAttempts } from '#kernel/security/login_throttle'
import { startUserSession, endCurrentSession } from '#kernel/users/sessions'
import { loginSucceeded, loginFailed, loggedOut } from '#kernel/audit/auth_events'
import { mfaEnabled, startMfaChallenge } from '#kernel/security/mfa'

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
      user = await throttledLogin(
        email,
        request.ip(),
        () => User.verifyCredentials(email.toLowerCase(), password),
        // With a second factor to come, failed codes keep adding to the count.
        { settles: async (found) => !(await mfaEnabled(found.id)) }
      )
    } catch (error) {
      const throttled = error instanceof TooManyLoginAttempts
      await loginFailed(email, throttled ? 'throttled' : 'credentials')
      if (throttled) throw error
      throw fieldError('email', t.t('auth.invalid_credentials'), 'credentials')
    }
    if (!user.isActive) {
      await loginFailed(email, 'disabled')
      throw fieldError('email', t.t('auth.account_disabled'), 'disabled')
    }
    // With MFA on, the password alone signs nobody in: the session only holds
    // a short-lived challenge for the code (under a new id, like a sign-in).
    if (await mfaEnabled(user.id)) {
      startMfaChallenge(ctx, user.id)
      return response.redirect('/login/mfa')
    }
    // login() gives the session a new id (no fixation); the tag lets the user's
    // sessions be listed and ended, the sign-in time bounds its lifetime.
    await auth.use('web').login(user)
    await startUserSession(ctx, user.id)
    await loginSucceeded(user)
    return response.redirect('/')
  }

  /**
   * Logout deletes the session from the store, not only the user id in it:
   * a copy of the old cookie no longer works.
   */
  async destroy(ctx: HttpContext) {
    const user = ctx.auth.use('web').user
    await endCurrentSession(ctx)
    if (user) await loggedOut(user)
    return ctx.response.redirect('/login')
  }
}
