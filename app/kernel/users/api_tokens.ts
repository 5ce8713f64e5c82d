import { DateTime } from 'luxon'
import { errors } from '@vinejs/vine'
import { HttpContext } from '@adonisjs/core/http'
import db from '@adonisjs/lucid/services/db'
import { AccessToken } from '@adonisjs/auth/access_tokens'
import type { QueryClientContract } from '@adonisjs/lucid/types/database'
import type User from '#models/user'
import { ACCESS_TOKEN_PREFIX, ACCESS_TOKEN_SECRET_LENGTH } from '#models/user'
import type { Access } from '#kernel/security/access'
import { permissionIndex } from '#kernel/security/catalog'
import { record, type AuditActor } from '#kernel/audit/audit'

/**
 * Personal access tokens for the API (Bearer): named, with abilities and an
 * expiry, listed and revoked by their owner and by the admins of a company
 * the owner belongs to. Only the token's hash is stored; the secret is shown
 * once, when the token is created.
 *
 * Abilities are permission keys, or `*` for "all my permissions". A request
 * made with the token works with the intersection of the owner's role
 * permissions and the abilities (see `Access.restrictedTo`).
 *
 * Rows are written the way `DbAccessTokensProvider` writes them (JavaScript
 * dates), so the guard reads them back: on SQLite those are epoch
 * milliseconds, on PostgreSQL timestamps.
 */

/** Preset lifetimes, in days, offered by the page and accepted by the API. */
export const TOKEN_LIFETIMES = [30, 90, 365] as const

/** The longest a token may live. */
export const MAX_TOKEN_LIFETIME = { years: 1 } as const

/** The time zone a chosen expiry day is read in (the end of that day). */
const EXPIRY_ZONE = 'Europe/Paris'

export interface TokenView {
  id: number
  name: string
  /** Permission keys, or `['*']` for all the owner's permissions */
  abilities: string[]
  createdAt: string | null
  lastUsedAt: string | null
  expiresAt: string | null
  expired: boolean
  /** The token the request was made with */
  current: boolean
}

/** Who acts on a token: its owner, an admin, or the command line. */
export type TokenActor = 'owner' | 'admin' | 'cli'

const TABLE = 'auth_access_tokens'
const TYPE = 'auth_token'

/** Refusal texts when no request language is at hand (the command line). */
const FALLBACK: Record<string, string> = {
  name_taken: 'You already have a token with this name',
  abilities_required: 'Choose at least one permission',
  abilities_not_held: 'Permissions you do not hold: {keys}',
  abilities_all_restricted:
    'A token restricted to some permissions cannot create an unrestricted one',
  expiry_required: 'Choose how long the token lives',
  expiry_both: 'Give either a lifetime or an expiry date, not both',
  lifetime_range: 'A token lives from 1 to 365 days',
  expiry_range: 'The expiry date must be between tomorrow and one year from today',
}

function refuse(field: string, key: string, rule: string, values: Record<string, string> = {}) {
  const i18n = HttpContext.get()?.i18n
  const message = i18n
    ? i18n.t(`tokens.${key}`, values)
    : FALLBACK[key].replace(/\{(\w+)\}/g, (_, name) => values[name] ?? '')
  return new errors.E_VALIDATION_ERROR([{ field, rule, message }])
}

/** A timestamp column as the database gave it back (number on SQLite, Date on PostgreSQL). */
function toDate(value: unknown): Date | null {
  if (value === null || value === undefined) return null
  if (value instanceof Date) return value
  if (typeof value === 'number') return new Date(value)
  const text = String(value)
  if (/^\d+$/.test(text)) return new Date(Number(text))
  const parsed = DateTime.fromSQL(text, { zone: 'utc' })
  return (parsed.isValid ? parsed : DateTime.fromISO(text, { zone: 'utc' })).toJSDate()
}

function iso(value: unknown) {
  const date = toDate(value)
  return date && !Number.isNaN(date.getTime()) ? date.toISOString() : null
}

function abilitiesOf(row: Record<string, any>): string[] {
  try {
    const parsed = typeof row.abilities === 'string' ? JSON.parse(row.abilities) : row.abilities
    return Array.isArray(parsed) ? parsed.map(String) : []
  } catch {
    return []
  }
}

function view(row: Record<string, any>, currentId?: number | string | null): TokenView {
  const expiresAt = toDate(row.expires_at)
  return {
    id: Number(row.id),
    name: row.name ?? '',
    abilities: abilitiesOf(row),
    createdAt: iso(row.created_at),
    lastUsedAt: iso(row.last_used_at),
    expiresAt: iso(row.expires_at),
    expired: expiresAt ? expiresAt.getTime() < Date.now() : false,
    current: currentId !== undefined && currentId !== null && Number(currentId) === Number(row.id),
  }
}

/** What the audit trail keeps of a token: never its hash. */
function auditValues(row: Record<string, any>) {
  return {
    userId: Number(row.tokenable_id),
    name: row.name ?? null,
    abilities: abilitiesOf(row),
    expiresAt: iso(row.expires_at),
  }
}

/**
 * The permission keys `access` holds, which a token of theirs may carry: for
 * admins every declared permission; for a request made with a restricted
 * token, only that token's abilities.
 */
export function heldPermissions(access: Access): string[] {
  return [...permissionIndex().keys()].filter((key) => access.can(key))
}

/** A user's tokens, newest first (expired ones included, marked). */
export async function listTokens(
  userId: number,
  options: { currentId?: number | string | null } = {}
): Promise<TokenView[]> {
  const rows = await db
    .from(TABLE)
    .where({ tokenable_id: userId, type: TYPE })
    .orderBy('id', 'desc')
    .select('id', 'name', 'abilities', 'created_at', 'last_used_at', 'expires_at')
  return rows.map((row) => view(row, options.currentId))
}

export interface CreateTokenInput {
  name: string
  abilities: string[]
  /** Days, one of TOKEN_LIFETIMES (any 1–365 from the command line) */
  expiresIn?: number
  /** A day, `YYYY-MM-DD`: the token works until the end of it */
  expiresAt?: string
}

/** When a token asked for with `input` expires; refused beyond a year or in the past. */
export function expiryOf(input: Pick<CreateTokenInput, 'expiresIn' | 'expiresAt'>): Date {
  if (input.expiresIn !== undefined && input.expiresAt !== undefined) {
    throw refuse('expiresAt', 'expiry_both', 'expiry')
  }
  const now = DateTime.now().setZone(EXPIRY_ZONE)
  const limit = now.plus(MAX_TOKEN_LIFETIME).endOf('day')
  if (input.expiresIn !== undefined) {
    if (!Number.isInteger(input.expiresIn) || input.expiresIn < 1 || input.expiresIn > 365) {
      throw refuse('expiresIn', 'lifetime_range', 'expiry')
    }
    // Whole days of 24 hours, whatever daylight saving time does meanwhile.
    return DateTime.utc().plus({ days: input.expiresIn }).toJSDate()
  }
  if (input.expiresAt === undefined) throw refuse('expiresIn', 'expiry_required', 'required')
  const day = DateTime.fromISO(input.expiresAt, { zone: EXPIRY_ZONE })
  if (!/^\d{4}-\d{2}-\d{2}$/.test(input.expiresAt) || !day.isValid) {
    throw refuse('expiresAt', 'expiry_range', 'expiry')
  }
  const end = day.endOf('day')
  if (end <= now.endOf('day') || end > limit) throw refuse('expiresAt', 'expiry_range', 'expiry')
  return end.toJSDate()
}

/**
 * The abilities a new token gets: `['*']` for all the owner's permissions
 * (refused to a request that is itself restricted, or it would widen its own
 * rights), or permission keys the owner holds — any other is refused, named.
 */
export function checkAbilities(access: Access, abilities: string[]): string[] {
  const wanted = [...new Set(abilities.map((a) => a.trim()).filter(Boolean))]
  if (wanted.includes('*')) {
    if (access.isRestricted) throw refuse('abilities', 'abilities_all_restricted', 'abilities')
    return ['*']
  }
  if (!wanted.length) throw refuse('abilities', 'abilities_required', 'required')
  const held = new Set(heldPermissions(access))
  const missing = wanted.filter((key) => !held.has(key))
  if (missing.length) {
    throw refuse('abilities', 'abilities_not_held', 'abilities', { keys: missing.join(', ') })
  }
  return wanted.sort()
}

/**
 * Creates a token for `user` and returns it with its secret (shown once).
 * The name is unique per user (case-insensitive): the owner's row is locked
 * while checking, so two concurrent requests cannot both take it. The token
 * and its audit entry commit together.
 */
export async function createToken(
  user: User,
  access: Access,
  input: CreateTokenInput,
  options: { by?: TokenActor; actor?: AuditActor } = {}
) {
  const name = input.name.trim()
  const abilities = checkAbilities(access, input.abilities)
  const expiresAt = expiryOf(input)
  const { row, secret } = await db.transaction(async (trx) => {
    await trx.from('users').where('id', user.id).forUpdate().first()
    const taken = await trx
      .from(TABLE)
      .where({ tokenable_id: user.id, type: TYPE })
      .whereRaw('lower(name) = ?', [name.toLowerCase()])
      .first()
    if (taken) throw refuse('name', 'name_taken', 'unique')
    const transient = AccessToken.createTransientToken(user.id, ACCESS_TOKEN_SECRET_LENGTH)
    const now = new Date()
    const values = {
      tokenable_id: user.id,
      type: TYPE,
      name,
      hash: transient.hash,
      abilities: JSON.stringify(abilities),
      created_at: now,
      updated_at: now,
      last_used_at: null,
      expires_at: expiresAt,
    }
    const [inserted] = await trx.insertQuery().table(TABLE).insert(values).returning('id')
    const id = Number(typeof inserted === 'object' ? inserted.id : inserted)
    const created = { ...values, id }
    await record(trx, {
      event: 'token.created',
      model: 'kernel.token',
      recordId: id,
      after: auditValues(created),
      meta: { by: options.by ?? 'owner', owner: { id: user.id, email: user.email } },
      actor: options.actor,
    })
    return { row: created, secret: transient.secret }
  })
  const token = new AccessToken({
    identifier: row.id,
    tokenableId: user.id,
    type: TYPE,
    prefix: ACCESS_TOKEN_PREFIX,
    secret,
    name,
    hash: row.hash,
    abilities,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    lastUsedAt: null,
    expiresAt,
  })
  return { token: view(row), secret: token.value!.release() }
}

async function deleteTokens(
  trx: QueryClientContract,
  rows: Record<string, any>[],
  meta: Record<string, unknown>,
  actor?: AuditActor
) {
  if (!rows.length) return 0
  await trx
    .from(TABLE)
    .whereIn(
      'id',
      rows.map((row) => row.id)
    )
    .delete()
  for (const row of rows) {
    await record(trx, {
      event: 'token.revoked',
      model: 'kernel.token',
      recordId: Number(row.id),
      before: auditValues(row),
      after: null,
      meta,
      actor,
    })
  }
  return rows.length
}

/**
 * Revokes one of a user's tokens; false when the user has no such token (the
 * caller answers 404, whoever the token belongs to).
 */
export async function revokeToken(
  userId: number,
  tokenId: number,
  options: { by?: TokenActor; owner?: { id: number; email: string }; actor?: AuditActor } = {}
) {
  if (!Number.isInteger(tokenId) || tokenId <= 0) return false
  return db.transaction(async (trx) => {
    const rows = await trx
      .from(TABLE)
      .where({ id: tokenId, tokenable_id: userId, type: TYPE })
      .forUpdate()
    const meta = { by: options.by ?? 'owner', owner: options.owner ?? { id: userId } }
    return (await deleteTokens(trx, rows, meta, options.actor)) > 0
  })
}

/**
 * Revokes every token of a user inside `trx` (deactivation), one audit entry
 * per token. Returns how many were revoked.
 */
export async function revokeAllTokens(
  trx: QueryClientContract,
  userId: number,
  meta: Record<string, unknown>,
  actor?: AuditActor
) {
  const rows = await trx.from(TABLE).where('tokenable_id', userId).forUpdate()
  return deleteTokens(trx, rows, { owner: { id: userId }, ...meta }, actor)
}
