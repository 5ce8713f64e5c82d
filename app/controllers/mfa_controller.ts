import type { HttpContext } from '@adonisjs/core/http'
import type User from '#models/user'
import { fieldError } from '#kernel/http/field_error'
import {
  mfaStatus,
  newEnrolmentSecret,
  enrolmentView,
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
/** The session key of the enrolment under way: its secret, encrypted. */
const ENROLMENT = 'mfaEnrolment'

/**
 * The profile's security page: enrolment in MFA (QR code and secret until a
 * first code confirms it), recovery codes shown once, renewed on demand, and
 * the switch-off, refused while one of the user's roles requires MFA.
 */
export default class MfaController {
  async show({ inertia, auth, session }: HttpContext) {
    const user = auth.user as User
    const status = await mfaStatus(user.id)
    let enrolment = null
    if (!status.enabled) {
      // The same secret until it is confirmed: a reload shows the same QR code.
      enrolment = await enrolmentView(user, session.get(ENROLMENT))
      if (!enrolment) {
        session.put(ENROLMENT, newEnrolmentSecret())
        enrolment = await enrolmentView(user, session.get(ENROLMENT))
      }
    }
    return inertia.render('profile/security', {
      mfa: { ...status, required: await anyRoleRequiresMfa(user.id) },
      enrolment,
      // Shown once, right after they were made: kept only in this flash.
      recoveryCodes: (session.flashMessages.get('recoveryCodes') as string[] | undefined) ?? null,
    })
  }

  async enable({ request, auth, session, response, i18n }: HttpContext) {
    const { code } = await request.validateUsing(mfaCodeValidator)
    const user = auth.user as User
    const codes = await confirmEnrolment(user.id, session.get(ENROLMENT), code)
    if (!codes) throw fieldError('code', i18n.t('mfa.invalid_code'), 'mfaCode')
    session.forget(ENROLMENT)
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
