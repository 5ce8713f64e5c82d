import { configProvider } from '@adonisjs/core'
import { MessageBuilder } from '@adonisjs/core/helpers'
import string from '@adonisjs/core/helpers/string'
import { stores } from '@adonisjs/session'
import type { QueryClientContract } from '@adonisjs/lucid/types/database'
import type {
  SessionData,
  SessionStoreWithTaggingContract,
  SessionStoreFactory,
} from '@adonisjs/session/types'

/** How often an unchanged session's expiry is moved on at most: once a minute of use. */
export const SESSION_TOUCH_INTERVAL_MS = 60_000

/**
 * The session package's database store, with its `touch` (the UPDATE of
 * `expires_at` every request made, even one that changed nothing) done only
 * when the expiry is more than SESSION_TOUCH_INTERVAL_MS older than a fresh
 * one would be: a session then expires at most a minute earlier than its
 * age says. The row is still read on every request, so a destroyed session
 * (sign-out, a revoked session, a disabled user) ends at once.
 */
export class TouchOnceAMinuteStore implements SessionStoreWithTaggingContract {
  #expiresAt = new Map<string, number>()

  constructor(
    private inner: SessionStoreWithTaggingContract,
    private client: QueryClientContract,
    private tableName: string,
    private ttlMs: number
  ) {}

  async read(sessionId: string): Promise<SessionData | null> {
    const row = await this.client
      .from(this.tableName)
      .where('id', sessionId)
      .select('data', 'expires_at')
      .first()
    if (!row) return null
    const expiresAt = new Date(row.expires_at).getTime()
    if (Date.now() > expiresAt) {
      await this.inner.destroy(sessionId)
      return null
    }
    try {
      const data = new MessageBuilder().verify<SessionData>(row.data, sessionId)
      if (data) this.#expiresAt.set(sessionId, expiresAt)
      return data
    } catch {
      return null
    }
  }

  async touch(sessionId: string) {
    const expiresAt = this.#expiresAt.get(sessionId)
    if (
      expiresAt !== undefined &&
      Date.now() + this.ttlMs - expiresAt < SESSION_TOUCH_INTERVAL_MS
    ) {
      return
    }
    await this.inner.touch(sessionId)
  }

  write(sessionId: string, values: SessionData) {
    return this.inner.write(sessionId, values)
  }

  destroy(sessionId: string) {
    this.#expiresAt.delete(sessionId)
    return this.inner.destroy(sessionId)
  }

  tag(sessionId: string, userId: string | number) {
    return this.inner.tag(sessionId, userId)
  }

  untag(sessionId: string, userId: string | number) {
    return this.inner.untag(sessionId, userId)
  }

  tagged(userId: string) {
    return this.inner.tagged(userId)
  }
}

/** `stores.database(config)`, its sessions touched at most once a minute. */
export function databaseSessions(config: { tableName?: string; gcProbability?: number } = {}) {
  const database = stores.database(config)
  return configProvider.create<SessionStoreFactory>(async (app) => {
    const factory = await database.resolver(app)
    const db = await app.container.make('lucid.db')
    const tableName = config.tableName ?? 'sessions'
    return (ctx, sessionConfig) => {
      const ttlMs = string.seconds.parse(sessionConfig.age) * 1000
      const inner = factory(ctx, sessionConfig) as SessionStoreWithTaggingContract
      return new TouchOnceAMinuteStore(inner, db.connection(), tableName, ttlMs)
    }
  })
}
