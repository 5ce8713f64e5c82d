import app from '@adonisjs/core/services/app'
import type { HttpContext } from '@adonisjs/core/http'
import type { LiveMessage } from './notifications.js'

/**
 * Live delivery: each user has one private channel, which only they may
 * subscribe to. A stream's id (`uid`, chosen by the browser) is bound to the
 * signed-in user who opened it, so nobody can add channels to someone else's
 * stream or take over its id.
 */

export const USER_CHANNEL = 'notifications/users/:id'

export function channelOf(userId: number) {
  return `notifications/users/${userId}`
}

/** Stream ids open on this process, and their user. */
const owners = new Map<string, number>()

export function ownerOf(uid: string) {
  return owners.get(uid)
}

export function bindStream(uid: string, userId: number) {
  owners.set(uid, userId)
}

export function releaseStream(uid: string) {
  owners.delete(uid)
}

/** Pushes one message to a user's channel (through Redis to every instance, when configured). */
export async function pushToUser(userId: number, message: LiveMessage) {
  const transmit = await app.container.make('transmit')
  transmit.broadcast(channelOf(userId), message as any)
}

/** Registers the channel's rule: only the signed-in user whose channel it is, on a stream of theirs. */
export async function authorizeChannels() {
  const transmit = await app.container.make('transmit')
  transmit.authorize<{ id: string }>(USER_CHANNEL, (ctx: HttpContext, params) => {
    const user = ctx.auth?.user as { id: number } | undefined
    if (!user || String(user.id) !== params.id) return false
    return ownerOf(String(ctx.request.input('uid'))) === user.id
  })
}

/**
 * Ends every stream this process serves (at shutdown): browsers reconnect,
 * to another instance when there is one, and the server can close.
 */
export async function endStreams() {
  const transmit = await app.container.make('transmit')
  for (const [stream] of transmit.getManager().getAllSubscribers()) stream.end()
}
