import { createHash, randomBytes } from 'node:crypto'
import { DateTime } from 'luxon'
import db from '@adonisjs/lucid/services/db'
import type { QueryClientContract } from '@adonisjs/lucid/types/database'
import { dbNow } from '#kernel/db/timestamp'

export type TokenPurpose = 'invite' | 'reset'

/** How long a mailed link stays valid. */
export const TOKEN_LIFETIME: Record<TokenPurpose, { hours: number }> = {
  invite: { hours: 48 },
  reset: { hours: 1 },
}

function digest(secret: string) {
  return createHash('sha256').update(secret).digest('hex')
}

function format(date: DateTime, client: QueryClientContract) {
  return date.toUTC().toFormat(client.dialect.dateTimeFormat)
}

/**
 * Issues a single-use link secret for a user. Only its hash is stored, and
 * issuing one revokes the user's earlier unused secrets of the same purpose,
 * so only the latest mail works.
 */
export async function issueToken(
  userId: number,
  purpose: TokenPurpose,
  client: QueryClientContract = db.connection()
) {
  const secret = randomBytes(32).toString('base64url')
  await client.from('user_tokens').where({ user_id: userId, purpose }).whereNull('used_at').delete()
  await client.table('user_tokens').insert({
    user_id: userId,
    purpose,
    hash: digest(secret),
    expires_at: format(DateTime.utc().plus(TOKEN_LIFETIME[purpose]), client),
    created_at: dbNow(client),
  })
  return secret
}

/** The user a secret belongs to while it is unused and unexpired; null otherwise. */
export async function peekToken(secret: string, purpose: TokenPurpose) {
  if (!secret || secret.length > 100) return null
  const row = await db
    .from('user_tokens')
    .where({ hash: digest(secret), purpose })
    .whereNull('used_at')
    .where('expires_at', '>', format(DateTime.utc(), db.connection()))
    .select('id', 'user_id')
    .first()
  return row ? { id: row.id as number, userId: row.user_id as number } : null
}

/**
 * Marks a secret used and returns its user, or null when it is unknown,
 * expired or already used. The conditional update makes two concurrent uses
 * of one link succeed at most once.
 */
export async function consumeToken(
  secret: string,
  purpose: TokenPurpose,
  client: QueryClientContract = db.connection()
) {
  const found = await peekToken(secret, purpose)
  if (!found) return null
  const updated = await client
    .from('user_tokens')
    .where({ id: found.id })
    .whereNull('used_at')
    .update({ used_at: dbNow(client) })
  const count = Array.isArray(updated) ? Number(updated[0] ?? 0) : Number(updated)
  return count === 1 ? found.userId : null
}
