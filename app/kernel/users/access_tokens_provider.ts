import { AccessToken, DbAccessTokensProvider } from '@adonisjs/auth/access_tokens'
import type { Secret } from '@adonisjs/core/helpers'
import type { LucidModel } from '@adonisjs/lucid/types/model'

/** How often a token's `last_used_at` is written at most: once a minute of use. */
export const LAST_USED_INTERVAL_MS = 60_000

function timeOf(value: unknown): number {
  if (value === null || value === undefined) return Number.NaN
  if (value instanceof Date) return value.getTime()
  if (typeof value === 'number') return value
  // SQLite may hand back text written by another client ('YYYY-MM-DD HH:MM:SS', UTC)
  const text = String(value)
  return new Date(/[zZ]|[+-]\d\d:?\d\d$/.test(text) ? text : `${text.replace(' ', 'T')}Z`).getTime()
}

/**
 * Auth's database token provider, with two changes to `verify`:
 * - `last_used_at` is written when it is older than LAST_USED_INTERVAL_MS,
 *   not on every request: that synchronous UPDATE was one of the five queries
 *   of every API request. The token list shows the last use to the minute.
 * - it is written only for a token that verifies (the stock provider writes
 *   it before checking the secret, so a forged secret for a known id moved it).
 * The token row is still read on every request: a revoked or expired token is
 * refused at once.
 */
export class AccessTokensProvider<
  TokenableModel extends LucidModel,
> extends DbAccessTokensProvider<TokenableModel> {
  async verify(tokenValue: Secret<string>): Promise<AccessToken | null> {
    const decoded = AccessToken.decode(this.prefix, tokenValue.release())
    if (!decoded) return null
    const client = await this.getDb()
    const row = await client
      .query()
      .from(this.table)
      .where({ id: decoded.identifier, type: this.type })
      .limit(1)
      .first()
    if (!row) return null
    const token = this.dbRowToAccessToken(row)
    if (!token.verify(decoded.secret) || token.isExpired()) return null

    const now = new Date()
    const last = timeOf(row.last_used_at)
    if (!(now.getTime() - last < LAST_USED_INTERVAL_MS)) {
      await client
        .from(this.table)
        .where({ id: row.id, type: row.type })
        .update({ last_used_at: now })
      token.lastUsedAt = now
    }
    return token
  }
}
