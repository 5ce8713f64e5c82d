import type { HttpContext } from '@adonisjs/core/http'
import type User from '#models/user'
import { fieldError } from '#kernel/http/field_error'
import {
  mfaStatus,
  pendingEnrolment,
  confirmEnrolment,
  verifySecondFactor,
  regenerateRecoveryCodes,
  disableMfa,
  anyRoleRequiresMfa,
} from '#kernel/security/mfa'
import {
  mfaEnabledEvent,
  mfaDisabledEvent,
  recoveryCodesRegenerated,
} from '#kernel/audit/mfa_events'
import { mfaCodeValidator, regenerateCodesValidator, disableMfaValidator } from '#validators/mfa'

const PAGE = '/profile/security'

/**
 * The profile's security page: enrolment in MFA (QR code and secret until a
 * first code confirms it), recovery codes shown once, renewed on demand, and
 * the switch-off, refused while one of the user's roles requires MFA.
 */
export default class MfaController {
  async show({ inertia, auth, session }: HttpContext) {
    const user = auth.user as User
    const status = await mfaStatus(user.id)
    return inertia.render('profile/security', {
      mfa: { ...status, required: await anyRoleRequiresMfa(user.id) },
      enrolment: status.enabled ? null : await pendingEnrolment(user),
      // Shown once, right after they were made: kept only in this flash.
      recoveryCodes: (session.flashMessages.get('recoveryCodes') as string[] | undefined) ?? null,
    })
  }

  async enable({ request, auth, session, response, i18n }: HttpContext) {
    const { code } = await request.validateUsing(mfaCodeValidator)
    const user = auth.user as User
    const codes = await confirmEnrolment(user.id, code)
    if (!codes) throw fieldError('code', i18n.t('mfa.invalid_code'), 'mfaCode')
    await mfaEnabledEvent(user)
    session.flash('recoveryCodes', codes)
    session.flash('success', i18n.t('mfa.enabled'))
    return response.redirect(PAGE)
  }

  async regenerate({ request, auth, session, response, i18n }: HttpContext) {
    const data = await request.validateUsing(regenerateCodesValidator)
    const user = auth.user as User
    if (!(await mfaStatus(user.id)).enabled) return response.redirect(PAGE)
    if (data.password !== undefined) {
      if (!(await user.verifyPassword(data.password))) {
        throw fieldError('password', i18n.t('users.wrong_password'), 'password')
      }
    } else if (!(await verifySecondFactor(user.id, data.code ?? '', { totpOnly: true }))) {
      throw fieldError('code', i18n.t('mfa.invalid_code'), 'mfaCode')
    }
    const codes = await regenerateRecoveryCodes(user.id)
    await recoveryCodesRegenerated(user)
    session.flash('recoveryCodes', codes)
    session.flash('success', i18n.t('mfa.codes_renewed'))
    return response.redirect(PAGE)
  }

  async disable({ request, auth, session, response, i18n }: HttpContext) {
    const data = await request.validateUsing(disableMfaValidator)
    const user = auth.user as User
    if (await anyRoleRequiresMfa(user.id)) {
      session.flash('error', i18n.t('mfa.required_by_role'))
      return response.redirect(PAGE)
    }
    if (!(await user.verifyPassword(data.password))) {
      throw fieldError('password', i18n.t('users.wrong_password'), 'password')
    }
    if (!(await verifySecondFactor(user.id, data.code))) {
      throw fieldError('code', i18n.t('mfa.invalid_code'), 'mfaCode')
    }
    await disableMfa(user.id)
    await mfaDisabledEvent(user)
    session.flash('success', i18n.t('mfa.disabled'))
    return response.redirect(PAGE)
  }
}
