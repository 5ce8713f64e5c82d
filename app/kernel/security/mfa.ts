import { createHash, createHmac, randomInt } from 'node:crypto'
import { Secret, TOTP } from 'otpauth'
import QRCode from 'qrcode'
import { DateTime } from 'luxon'
import encryption from '@adonisjs/core/services/encryption'
import db from '@adonisjs/lucid/services/db'
import type { QueryClientContract } from '@adonisjs/lucid/types/database'
import type { HttpContext } from '@adonisjs/core/http'
import { appKey } from '#config/app'
import { dbNow } from '#kernel/db/timestamp'
import { record as recordAudit } from '#kernel/audit/audit'

/**
 * Multi-factor sign-in with TOTP (RFC 6238: HMAC-SHA-1, 30-second steps,
 * 6 digits, one step of drift either way) and single-use recovery codes.
 *
 * The TOTP secret is stored encrypted with the app key and shown only while
 * enrolment waits for its first code (kept, encrypted, in the session). Each accepted code moves the user's
 * last used time step forward, in one conditional update: a code (or an
 * earlier one) is never accepted twice, even by two requests racing.
 * Recovery codes are stored as HMAC-SHA-256 under a key derived from the app
 * key, and used up with a conditional update likewise.
 */

export const TOTP_PERIOD = 30
export const TOTP_DIGITS = 6
export const TOTP_WINDOW = 1
export const RECOVERY_CODE_COUNT = 10
const ISSUER = 'Charpente'
const RECOVERY_ALPHABET = '23456789abcdefghjkmnpqrstuvwxyz'
const RECOVERY_LENGTH = 12

/** The time codes are checked against; tests move it. */
export const mfaClock = { now: () => Date.now() }

/** The session key of a sign-in whose password was right and whose second factor is awaited. */
export const MFA_PENDING = 'mfaPending'
/** How long the second step of a sign-in may wait. */
export const MFA_CHALLENGE_MS = 5 * 60 * 1000

export interface PendingChallenge {
  userId: number
  until: number
}

export type SecondFactor = 'totp' | 'recovery'

/**
 * Instead of signing in a user whose MFA is on: the session (under a new id)
 * only holds a short-lived challenge, and the caller sends them to /login/mfa.
 */
export function startMfaChallenge(ctx: HttpContext, userId: number) {
  ctx.session.regenerate()
  ctx.session.put(MFA_PENDING, {
    userId,
    until: Date.now() + MFA_CHALLENGE_MS,
  } satisfies PendingChallenge)
}

function releasedKey() {
  const key = appKey as unknown
  return typeof key === 'string' ? key : (key as { release(): string }).release()
}

let recoveryKey: Buffer | null = null
function recoveryDigest(userId: number, code: string) {
  recoveryKey ??= createHash('sha256').update(`charpente:mfa-recovery:${releasedKey()}`).digest()
  return createHmac('sha256', recoveryKey).update(`${userId}:${code}`).digest('hex')
}

function totpOf(secret: string, label = '') {
  return new TOTP({
    issuer: ISSUER,
    label,
    algorithm: 'SHA1',
    digits: TOTP_DIGITS,
    period: TOTP_PERIOD,
    secret: Secret.fromBase32(secret),
  })
}

/** A timestamp column as ISO 8601: SQLite gives UTC text without a zone, PostgreSQL a Date. */
function isoDate(value: string | Date) {
  return value instanceof Date
    ? DateTime.fromJSDate(value).toUTC().toISO()
    : DateTime.fromSQL(String(value), { zone: 'utc' }).toISO()
}

function affected(result: unknown) {
  return Number(Array.isArray(result) ? result[0] : result) || 0
}

/** A recovery code as stored: lowercase, separators dropped. */
function normalizeRecoveryCode(code: string) {
  return code.toLowerCase().replace(/[^a-z0-9]/g, '')
}

function newRecoveryCode() {
  let code = ''
  for (let i = 0; i < RECOVERY_LENGTH; i++) {
    code += RECOVERY_ALPHABET[randomInt(RECOVERY_ALPHABET.length)]
  }
  return code.match(/.{4}/g)!.join('-')
}

async function rowOf(userId: number, client: QueryClientContract = db.connection()) {
  return client.from('user_mfa').where('user_id', userId).first()
}

/** Whether a user has switched MFA on (enrolment confirmed with a code). */
export async function mfaEnabled(userId: number, client?: QueryClientContract) {
  return Boolean(await rowOf(userId, client))
}

/** What the profile's security page shows; never the secret. */
export async function mfaStatus(userId: number) {
  const row = await rowOf(userId)
  const left = await db
    .from('user_recovery_codes')
    .where('user_id', userId)
    .whereNull('used_at')
    .count('* as total')
  return {
    enabled: Boolean(row?.enabled_at),
    enabledAt: row?.enabled_at ? isoDate(row.enabled_at) : null,
    recoveryCodesLeft: Number(left[0]?.total ?? 0),
  }
}

/**
 * A new TOTP secret for an enrolment, encrypted. It lives in the user's
 * session until a code confirms it (so showing the enrolment page writes
 * nothing to the database), and only then in user_mfa.
 */
export function newEnrolmentSecret() {
  return encryption.encrypt(new Secret({ size: 20 }).base32)
}

/** What the enrolment page shows for a pending secret; null if it cannot be read. */
export async function enrolmentView(user: { email: string }, encryptedSecret: unknown) {
  const secret =
    typeof encryptedSecret === 'string' ? encryption.decrypt<string>(encryptedSecret) : null
  if (!secret) return null
  const uri = totpOf(secret, user.email).toString()
  const qrSvg = await QRCode.toString(uri, { type: 'svg', errorCorrectionLevel: 'M', margin: 1 })
  return { secret, uri, qrSvg }
}

/**
 * Accepts a TOTP code for a user's secret once: the time step it matches must
 * be later than the last one used, and becomes the last one used.
 */
async function acceptTotp(
  userId: number,
  encryptedSecret: string,
  code: string,
  client: QueryClientContract
) {
  const token = code.replace(/\s/g, '')
  if (!/^\d{6}$/.test(token)) return false
  const secret = encryption.decrypt<string>(encryptedSecret)
  if (!secret) return false
  const timestamp = mfaClock.now()
  const delta = totpOf(secret).validate({ token, timestamp, window: TOTP_WINDOW })
  if (delta === null) return false
  const step = TOTP.counter({ period: TOTP_PERIOD, timestamp }) + delta
  const updated = await client
    .from('user_mfa')
    .where('user_id', userId)
    .where((q) => q.whereNull('last_used_step').orWhere('last_used_step', '<', step))
    .update({ last_used_step: step, updated_at: dbNow(client) })
  return affected(updated) === 1
}

/** Replaces a user's recovery codes with new ones and returns them (shown once). */
async function replaceRecoveryCodes(userId: number, client: QueryClientContract) {
  const codes = Array.from({ length: RECOVERY_CODE_COUNT }, newRecoveryCode)
  const now = dbNow(client)
  await client.from('user_recovery_codes').where('user_id', userId).delete()
  await client.table('user_recovery_codes').multiInsert(
    codes.map((code) => ({
      user_id: userId,
      hash: recoveryDigest(userId, normalizeRecoveryCode(code)),
      used_at: null,
      created_at: now,
    }))
  )
  return codes
}

/**
 * Confirms an enrolment with a current code of its pending secret: MFA is on
 * (that code's time step counts as used) and the first recovery codes are
 * returned. Null when the code is wrong or MFA is already on.
 */
export async function confirmEnrolment(userId: number, encryptedSecret: unknown, code: string) {
  const token = String(code ?? '').replace(/\s/g, '')
  const secret =
    typeof encryptedSecret === 'string' ? encryption.decrypt<string>(encryptedSecret) : null
  if (!secret || !/^\d{6}$/.test(token)) return null
  const timestamp = mfaClock.now()
  const delta = totpOf(secret).validate({ token, timestamp, window: TOTP_WINDOW })
  if (delta === null) return null
  const step = TOTP.counter({ period: TOTP_PERIOD, timestamp }) + delta
  let codes: string[] | null
  try {
    codes = await db.transaction(async (trx) => {
      if (await trx.from('user_mfa').where('user_id', userId).forUpdate().first()) return null
      const now = dbNow(trx)
      await trx.table('user_mfa').insert({
        user_id: userId,
        secret: encryption.encrypt(secret),
        enabled_at: now,
        last_used_step: step,
        created_at: now,
        updated_at: now,
      })
      return replaceRecoveryCodes(userId, trx)
    })
  } catch (error) {
    // The same enrolment confirmed twice at once: the other request won.
    if (await mfaEnabled(userId)) return null
    throw error
  }
  if (codes) forgetMfaState()
  return codes
}

/**
 * Checks a second factor of a user whose MFA is on: a current TOTP code, or
 * (unless `totpOnly`) one of their unused recovery codes, which is then used
 * up. Returns which one matched, or null.
 */
export async function verifySecondFactor(
  userId: number,
  code: string,
  options: { totpOnly?: boolean } = {}
): Promise<SecondFactor | null> {
  const value = String(code ?? '').trim()
  if (!value || value.length > 64) return null
  const row = await rowOf(userId)
  if (!row?.enabled_at) return null
  if (/^\d[\d\s]*$/.test(value)) {
    return (await acceptTotp(userId, row.secret, value, db.connection())) ? 'totp' : null
  }
  if (options.totpOnly) return null
  const normalized = normalizeRecoveryCode(value)
  if (normalized.length !== RECOVERY_LENGTH) return null
  const used = await db
    .from('user_recovery_codes')
    .where({ user_id: userId, hash: recoveryDigest(userId, normalized) })
    .whereNull('used_at')
    .update({ used_at: dbNow() })
  return affected(used) === 1 ? 'recovery' : null
}

/** New recovery codes for a user whose MFA is on; the old ones stop working. */
export async function regenerateRecoveryCodes(userId: number) {
  return db.transaction((trx) => replaceRecoveryCodes(userId, trx))
}

/** Switches MFA off: the secret and the recovery codes are deleted. */
export async function disableMfa(userId: number) {
  await db.transaction(async (trx) => {
    await trx.from('user_recovery_codes').where('user_id', userId).delete()
    await trx.from('user_mfa').where('user_id', userId).delete()
  })
  forgetMfaState()
}

/**
 * An admin switches a member's second factor off, for a member who lost both
 * their authenticator and their recovery codes: the secret and the codes go,
 * in one transaction with the audit entry. Their sessions are ended by the
 * caller; if their role requires MFA, they enrol again at next sign-in.
 * False when the member had no second factor.
 */
export async function resetMfaByAdmin(userId: number) {
  const reset = await db.transaction(async (trx) => {
    const row = await trx.from('user_mfa').where('user_id', userId).forUpdate().first()
    if (!row) return false
    await trx.from('user_recovery_codes').where('user_id', userId).delete()
    await trx.from('user_mfa').where('user_id', userId).delete()
    await recordAudit(trx, { event: 'mfa.reset', model: 'kernel.user', recordId: userId })
    return true
  })
  forgetMfaState()
  return reset
}

/** Whether a user's role in any of their companies requires MFA. */
export async function anyRoleRequiresMfa(userId: number) {
  const row = await db
    .from('company_users')
    .join('roles', 'roles.id', 'company_users.role_id')
    .where('company_users.user_id', userId)
    .where('roles.mfa_required', true)
    .select('roles.id')
    .first()
  return Boolean(row)
}

const GATE_TTL_MS = 2000
const gateCache = new Map<string, { at: number; missing: boolean }>()

/** Forgets cached enrolment checks (after enrolment, disable or a role change). */
export function forgetMfaState() {
  gateCache.clear()
}

/**
 * True when the user's role in this company requires MFA and they have not
 * switched it on. One small query, cached briefly like the access grants.
 */
export async function mfaMissing(userId: number, companyId: number) {
  const key = `${userId}:${companyId}`
  const hit = gateCache.get(key)
  if (hit && Date.now() - hit.at < GATE_TTL_MS) return hit.missing
  const row = await db
    .from('company_users')
    .join('roles', 'roles.id', 'company_users.role_id')
    .leftJoin('user_mfa', 'user_mfa.user_id', 'company_users.user_id')
    .where('company_users.user_id', userId)
    .where('company_users.company_id', companyId)
    .select('roles.mfa_required', 'user_mfa.enabled_at')
    .first()
  const missing = Boolean(row && Boolean(row.mfa_required) && !row.enabled_at)
  gateCache.set(key, { at: Date.now(), missing })
  return missing
}
