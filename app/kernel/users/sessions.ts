import app from '@adonisjs/core/services/app'
import { SessionCollection } from '@adonisjs/session'
import redis from '@adonisjs/redis/services/main'
import { sessionStore } from '#config/session'
import type { HttpContext } from '@adonisjs/core/http'

/** A session ends this long after sign-in, however active it stays. */
export const ABSOLUTE_SESSION_MS = 12 * 60 * 60 * 1000

/** The time sessions are measured against; tests move it forward. */
export const sessionClock = { now: () => Date.now() }

/** The session key holding the sign-in time (epoch milliseconds). */
export const SIGNED_IN_AT = 'signedInAt'

export interface UserSession {
  id: string
  signedInAt: string | null
  ip: string | null
  userAgent: string | null
  current: boolean
}

async function collection() {
  return app.container.make(SessionCollection)
}

/**
 * The sessions tagged with a user that still belong to a sign-in. A store's
 * tag can outlive the sign-in: Redis keeps a destroyed session's id in the
 * user's tag set, and a request replaying that old cookie writes a fresh,
 * anonymous session under the same id. Only sessions that carry the sign-in
 * time count, and the stale ids are untagged.
 */
async function signedInSessions(userId: number) {
  const sessions = await (await collection()).tagged(String(userId))
  const stale = sessions.filter((s) => !(s.data as Record<string, unknown>)[SIGNED_IN_AT])
  if (stale.length && sessionStore === 'redis') {
    await redis.connection('sessions').srem(`session_tag:${userId}`, ...stale.map((s) => s.id))
  }
  return sessions.filter((s) => (s.data as Record<string, unknown>)[SIGNED_IN_AT])
}

/**
 * After a successful sign-in: tags the (already regenerated) session with the
 * user, so their sessions can be listed and ended, and records when and from
 * where it started.
 */
export async function startUserSession(ctx: HttpContext, userId: number) {
  ctx.session.put(SIGNED_IN_AT, sessionClock.now())
  ctx.session.put('ip', ctx.request.ip())
  ctx.session.put('userAgent', (ctx.request.header('user-agent') ?? '').slice(0, 200))
  await ctx.session.tag(String(userId))
}

/**
 * Signs the request's user out and deletes their session from the store:
 * the guard's logout only forgets the user id, so the session also gets a
 * new id (the old one is destroyed when the session is committed) and loses
 * its data. A copy of the old cookie then points at nothing.
 */
export async function endCurrentSession(ctx: HttpContext) {
  await ctx.auth.use('web').logout()
  ctx.session.clear()
  ctx.session.regenerate()
}

/** True when the session began longer ago than the absolute lifetime allows. */
export function sessionTooOld(ctx: HttpContext) {
  const at = Number(ctx.session?.get(SIGNED_IN_AT) ?? 0)
  return at > 0 && sessionClock.now() - at > ABSOLUTE_SESSION_MS
}

/** A user's open sessions, newest first. */
export async function sessionsOf(userId: number, currentId?: string): Promise<UserSession[]> {
  const sessions = await signedInSessions(userId)
  return sessions
    .map((s) => {
      const at = Number((s.data as Record<string, unknown>)[SIGNED_IN_AT] ?? 0)
      return {
        id: s.id,
        signedInAt: at ? new Date(at).toISOString() : null,
        ip: ((s.data as Record<string, unknown>).ip as string | undefined) ?? null,
        userAgent: ((s.data as Record<string, unknown>).userAgent as string | undefined) ?? null,
        current: s.id === currentId,
      }
    })
    .sort((a, b) => (b.signedInAt ?? '').localeCompare(a.signedInAt ?? ''))
}

/** Ends one of a user's sessions; false when it is not theirs. */
export async function endSession(userId: number, sessionId: string) {
  const sessions = await signedInSessions(userId)
  if (!sessions.some((s) => s.id === sessionId)) return false
  await (await collection()).destroy(sessionId)
  return true
}

/** Ends every session of a user, but `keep` (the one making the request). */
export async function endSessionsOf(userId: number, keep?: string) {
  const store = await collection()
  const sessions = await signedInSessions(userId)
  for (const s of sessions) {
    if (s.id !== keep) await store.destroy(s.id)
  }
  return sessions.filter((s) => s.id !== keep).length
}
