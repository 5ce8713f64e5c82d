import { HttpContext } from '@adonisjs/core/http'
import db from '@adonisjs/lucid/services/db'
import { recordEvent, currentActor, type AuditActor } from './audit.js'

/**
 * Authentication and authorization events in the audit trail. None of them
 * throws: a failed audit write is logged, never turned into an error page.
 * Each is tied to the user's current company, so that company's admins see it.
 */

type SignedUser = { id: number; currentCompanyId: number | null }

export function loginSucceeded(user: SignedUser) {
  return recordEvent('login.success', {
    model: 'kernel.user',
    recordId: user.id,
    actor: { actorId: user.id, companyId: user.currentCompanyId },
  })
}

/** A refused sign-in: the attempted address is kept, never the password. */
export async function loginFailed(email: string, reason: 'credentials' | 'disabled' | 'throttled') {
  const attempted = email.trim().toLowerCase().slice(0, 254)
  let user: { id: number; current_company_id: number | null } | null = null
  try {
    user = await db
      .from('users')
      .where('email', attempted)
      .select('id', 'current_company_id')
      .first()
  } catch {}
  return recordEvent('login.failure', {
    model: 'kernel.user',
    recordId: user?.id ?? null,
    meta: { email: attempted, reason },
    actor: { actorId: null, companyId: user?.current_company_id ?? null },
  })
}

export function loggedOut(user: SignedUser) {
  return recordEvent('logout', {
    model: 'kernel.user',
    recordId: user.id,
    actor: { actorId: user.id, companyId: user.currentCompanyId },
  })
}

/**
 * A new password (never the password itself). Made by the signed-in user, or
 * — through an emailed link, signed out — by the holder of the account's link.
 */
export function passwordChanged(user: SignedUser, meta: Record<string, unknown> = {}) {
  return recordEvent('password.changed', {
    model: 'kernel.user',
    recordId: user.id,
    meta,
    actor: { actorId: currentActor().actorId ?? user.id, companyId: user.currentCompanyId },
  })
}

/** A 403: what was asked for and what was missing. */
export function accessDenied(reason: Record<string, unknown>, actor?: AuditActor) {
  const ctx = HttpContext.get()
  return recordEvent('access.denied', {
    actor,
    meta: {
      ...reason,
      ...(ctx ? { method: ctx.request.method(), url: ctx.request.url().slice(0, 500) } : {}),
    },
  })
}

/**
 * An admin ended sessions of a member: how many, never the session ids
 * (each one is a bearer secret while it lives).
 */
export function sessionsEndedByAdmin(userId: number, ended: number, scope: 'one' | 'all') {
  return recordEvent('session.ended', {
    model: 'kernel.user',
    recordId: userId,
    meta: { ended, scope },
  })
}
