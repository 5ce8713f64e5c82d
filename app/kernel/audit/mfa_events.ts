import { recordEvent } from './audit.js'

/**
 * Multi-factor sign-in in the audit trail: enrolment, switch-off, recovery
 * codes renewed or used, and each second-factor success or failure at sign-in.
 * Never a code or a secret. Filed under the user's current company.
 */

type SignedUser = { id: number; currentCompanyId: number | null }

function userEvent(event: string, user: SignedUser, meta?: Record<string, unknown>) {
  return recordEvent(event, {
    model: 'kernel.user',
    recordId: user.id,
    meta,
    actor: { actorId: user.id, companyId: user.currentCompanyId },
  })
}

export function mfaEnabledEvent(user: SignedUser) {
  return userEvent('mfa.enabled', user)
}

export function mfaDisabledEvent(user: SignedUser) {
  return userEvent('mfa.disabled', user)
}

export function recoveryCodesRegenerated(user: SignedUser) {
  return userEvent('mfa.recovery_renewed', user)
}

export function recoveryCodeUsed(user: SignedUser, left: number) {
  return userEvent('mfa.recovery_used', user, { left })
}

export function mfaSucceeded(user: SignedUser, method: 'totp' | 'recovery') {
  return userEvent('mfa.success', user, { method })
}

/** A wrong or refused second factor at sign-in; no session is signed in yet. */
export function mfaFailed(user: SignedUser, reason: 'code' | 'throttled') {
  return recordEvent('mfa.failure', {
    model: 'kernel.user',
    recordId: user.id,
    meta: { reason },
    actor: { actorId: null, companyId: user.currentCompanyId },
  })
}
