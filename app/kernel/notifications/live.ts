import app from '@adonisjs/core/services/app'
import { once } from 'node:events'
import type { ServerResponse } from 'node:http'
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

/** Stream ids open on this process: their user and the response carrying the stream. */
const owners = new Map<string, { userId: number; response: ServerResponse }>()

export function ownerOf(uid: string) {
  return owners.get(uid)?.userId
}

/**
 * Binds a stream id to the user opening it. The same user's browser may
 * reopen its stream under the same id (a reconnection the server has not
 * noticed yet): the old stream is closed first, so its clean-up cannot
 * remove the new one's subscriptions. Another user's id is refused (false).
 */
export async function bindStream(uid: string, userId: number, response: ServerResponse) {
  const previous = owners.get(uid)
  if (previous && previous.userId !== userId) return false
  if (previous) {
    const closed = once(previous.response, 'close')
    previous.response.destroy()
    await closed
  }
  owners.set(uid, { userId, response })
  response.once('close', () => {
    if (owners.get(uid)?.response === response) owners.delete(uid)
  })
  return true
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
