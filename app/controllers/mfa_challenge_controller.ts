import type { HttpContext } from '@adonisjs/core/http'
import { Exception } from '@adonisjs/core/exceptions'
import User from '#models/user'
import { mfaCodeValidator } from '#validators/mfa'
import { fieldError } from '#kernel/http/field_error'
import { throttledLogin, TooManyLoginAttempts } from '#kernel/security/login_throttle'
import {
  MFA_PENDING,
  verifySecondFactor,
  mfaStatus,
  type PendingChallenge,
} from '#kernel/security/mfa'
import { startUserSession } from '#kernel/users/sessions'
import { loginSucceeded } from '#kernel/audit/auth_events'
import { mfaSucceeded, mfaFailed, recoveryCodeUsed } from '#kernel/audit/mfa_events'

class WrongCode extends Exception {}

/**
 * The second step of a sign-in with MFA on: the password was right, the
 * session holds a short-lived challenge, and a TOTP or recovery code turns it
 * into a signed-in session. Wrong codes count in the sign-in throttle, with
 * the password failures.
 */
export default class MfaChallengeController {
  /** The pending challenge, or null when there is none or it expired. */
  #pending(ctx: HttpContext) {
    const pending = ctx.session.get(MFA_PENDING) as PendingChallenge | undefined
    if (!pending) return null
    if (!Number.isInteger(pending.userId) || Date.now() > Number(pending.until)) {
      ctx.session.forget(MFA_PENDING)
      return null
    }
    return pending
  }

  #restart(ctx: HttpContext) {
    ctx.session.flash('error', ctx.i18n.t('mfa.challenge_expired'))
    return ctx.response.redirect('/login')
  }

  async show(ctx: HttpContext) {
    if (!this.#pending(ctx)) return this.#restart(ctx)
    return ctx.inertia.render('auth/mfa', {})
  }

  async store(ctx: HttpContext) {
    const { request, session, auth, response, i18n } = ctx
    const pending = this.#pending(ctx)
    if (!pending) return this.#restart(ctx)
    const { code } = await request.validateUsing(mfaCodeValidator)
    const user = await User.find(pending.userId)
    if (!user || !user.isActive) {
      session.forget(MFA_PENDING)
      return this.#restart(ctx)
    }

    let method: 'totp' | 'recovery'
    try {
      method = await throttledLogin(user.email, request.ip(), async () => {
        const matched = await verifySecondFactor(user.id, code)
        if (!matched) throw new WrongCode('Wrong second factor')
        return matched
      })
    } catch (error) {
      if (error instanceof TooManyLoginAttempts) {
        await mfaFailed(user, 'throttled')
        const minutes = Math.max(1, Math.ceil(error.retryAfterSeconds / 60))
        response.header('Retry-After', String(error.retryAfterSeconds))
        throw fieldError('code', i18n.t('auth.too_many_attempts', { minutes }), 'throttle')
      }
      if (!(error instanceof WrongCode)) throw error
      await mfaFailed(user, 'code')
      throw fieldError('code', i18n.t('mfa.invalid_code'), 'mfaCode')
    }

    session.forget(MFA_PENDING)
    // login() gives the session a new id, as after a password-only sign-in.
    await auth.use('web').login(user)
    await startUserSession(ctx, user.id)
    await mfaSucceeded(user, method)
    if (method === 'recovery') {
      const { recoveryCodesLeft } = await mfaStatus(user.id)
      await recoveryCodeUsed(user, recoveryCodesLeft)
      session.flash('success', i18n.t('mfa.recovery_code_used', { left: recoveryCodesLeft }))
    }
    await loginSucceeded(user)
    return response.redirect('/')
  }
}
