import type { HttpContext } from '@adonisjs/core/http'
import logger from '@adonisjs/core/services/logger'
import User from '#models/user'
import { issueToken, peekToken, consumeToken, type TokenPurpose } from '#kernel/users/tokens'
import { startUserSession, endSessionsOf } from '#kernel/users/sessions'
import { sendResetMail } from '#kernel/mail/user_mails'
import { fieldError } from '#kernel/http/field_error'
import { passwordChanged } from '#kernel/audit/auth_events'
import { setPasswordValidator, forgotPasswordValidator } from '#validators/users'
import { mfaEnabled, startMfaChallenge } from '#kernel/security/mfa'

/**
 * Links sent by mail: an invitation (choose a first password) and a
 * password reset. Both are single use and expire.
 */
export default class PasswordController {
  forgot({ inertia }: HttpContext) {
    return inertia.render('auth/forgot_password', { sent: false })
  }

  /**
   * Sends a reset link when an active account has this address, and answers
   * the same either way, so the form does not tell who has an account.
   */
  async sendReset({ request, inertia, response }: HttpContext) {
    const { email } = await request.validateUsing(forgotPasswordValidator)
    const user = await User.findBy('email', email)
    if (user && user.isActive) {
      try {
        const secret = await issueToken(user.id, 'reset')
        await sendResetMail({ to: user.email, locale: user.locale, secret })
      } catch (error) {
        // A mail failure must not reveal that the account exists either.
        logger.error({ err: error }, 'password reset mail failed')
      }
    }
    if (request.accepts(['html', 'json']) === 'json' && !request.header('x-inertia')) {
      return response.accepted({ data: { sent: true } })
    }
    return inertia.render('auth/forgot_password', { sent: true })
  }

  async #show(ctx: HttpContext, purpose: TokenPurpose) {
    const token = String(ctx.params.token)
    const found = await peekToken(token, purpose)
    const user = found ? await User.find(found.userId) : null
    return ctx.inertia.render('auth/set_password', {
      purpose,
      token,
      valid: Boolean(user?.isActive),
      email: user?.isActive ? user.email : null,
    })
  }

  async #store(ctx: HttpContext, purpose: TokenPurpose) {
    // The link's account, if any, so the password can be compared with its email.
    const found = await peekToken(String(ctx.params.token), purpose)
    const owner = found ? await User.find(found.userId) : null
    const { password } = await ctx.request.validateUsing(setPasswordValidator, {
      meta: { email: owner?.email ?? null },
    })
    const userId = await consumeToken(String(ctx.params.token), purpose)
    const user = userId ? await User.find(userId) : null
    if (!user || !user.isActive) {
      throw fieldError('password', ctx.i18n.t('users.link_invalid'), 'link')
    }
    user.password = password
    await user.save()
    await passwordChanged(user, { via: purpose })
    // Whoever held a session with the old password loses it.
    await endSessionsOf(user.id)
    // A mailed link replaces the password, not the second factor.
    if (await mfaEnabled(user.id)) {
      startMfaChallenge(ctx, user.id)
      return ctx.response.redirect('/login/mfa')
    }
    await ctx.auth.use('web').login(user)
    await startUserSession(ctx, user.id)
    return ctx.response.redirect('/')
  }

  showInvite(ctx: HttpContext) {
    return this.#show(ctx, 'invite')
  }
  acceptInvite(ctx: HttpContext) {
    return this.#store(ctx, 'invite')
  }
  showReset(ctx: HttpContext) {
    return this.#show(ctx, 'reset')
  }
  reset(ctx: HttpContext) {
    return this.#store(ctx, 'reset')
  }
}
