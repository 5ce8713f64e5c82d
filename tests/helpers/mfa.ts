import { Secret, TOTP } from 'otpauth'
import encryption from '@adonisjs/core/services/encryption'
import db from '@adonisjs/lucid/services/db'
import type { Page } from 'playwright'
import {
  newEnrolmentSecret,
  confirmEnrolment,
  TOTP_PERIOD,
  TOTP_DIGITS,
} from '#kernel/security/mfa'

/** The code of one TOTP time step for a base32 secret, as an authenticator app shows it. */
export function codeAt(secret: string, step: number) {
  return TOTP.generate({
    secret: Secret.fromBase32(secret.replace(/\s/g, '')),
    algorithm: 'SHA1',
    digits: TOTP_DIGITS,
    period: TOTP_PERIOD,
    timestamp: step * TOTP_PERIOD * 1000,
  })
}

/** The current time step. */
export function currentStep() {
  return TOTP.counter({ period: TOTP_PERIOD, timestamp: Date.now() })
}

/** A user's TOTP secret, read back as the server reads it. */
export async function secretOf(userId: number) {
  const row = await db.from('user_mfa').where('user_id', userId).firstOrFail()
  return encryption.decrypt<string>(row.secret)!
}

/**
 * A code the server accepts now for this user: the current time step's, or
 * a later one when that step was already used (a code is never accepted
 * twice), waiting for the clock when even the next step was used.
 */
export async function nextCodeFor(userId: number) {
  const row = await db.from('user_mfa').where('user_id', userId).firstOrFail()
  const secret = encryption.decrypt<string>(row.secret)!
  const last = row.last_used_step === null ? -1 : Number(row.last_used_step)
  const step = Math.max(currentStep(), last + 1)
  // The server accepts one step ahead at most.
  while (step > currentStep() + 1) await new Promise((resolve) => setTimeout(resolve, 500))
  return codeAt(secret, step)
}

/**
 * Switches MFA on for a user as the enrolment page does, confirming with the
 * previous time step's code (so the current and next ones stay free for
 * sign-ins). Returns the secret and the recovery codes.
 */
export async function enrolUser(user: { id: number; email: string }) {
  const pending = newEnrolmentSecret()
  const secret = encryption.decrypt<string>(pending)!
  const recoveryCodes = await confirmEnrolment(user.id, pending, codeAt(secret, currentStep() - 1))
  if (!recoveryCodes) throw new Error(`Enrolment of user ${user.id} was refused`)
  return { secret, recoveryCodes }
}

/** Whether members holding this role must have MFA on. */
export async function roleRequiresMfa(roleKey: string) {
  const role = await db.from('roles').where('key', roleKey).select('mfa_required').first()
  return Boolean(role?.mfa_required)
}

/**
 * In a browser, after the password was sent: when the site asks for the
 * second step, types the user's next code, as the user would from their app.
 */
export async function passSecondStep(page: Page, email: string) {
  await page.waitForURL((url) => url.pathname !== '/login')
  if (new URL(page.url()).pathname !== '/login/mfa') return
  const user = await db.from('users').where('email', email.toLowerCase()).firstOrFail()
  await page.getByLabel('Code', { exact: true }).fill(await nextCodeFor(user.id))
  await page.getByRole('button', { name: 'Valider' }).click()
}
