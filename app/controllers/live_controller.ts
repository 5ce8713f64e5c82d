import type { HttpContext } from '@adonisjs/core/http'
import app from '@adonisjs/core/services/app'
import type User from '#models/user'
import { bindStream, ownerOf } from '#kernel/notifications/live'

/** A stream id as the transmit client makes them (a UUID). */
const UID = /^[A-Za-z0-9-]{16,64}$/

function uidOf(ctx: HttpContext) {
  const uid = ctx.request.input('uid')
  return typeof uid === 'string' && UID.test(uid) ? uid : null
}

/**
 * The live stream (server-sent events, @adonisjs/transmit) and its
 * subscriptions, for signed-in users only. A stream id belongs to the user
 * who opened it: another user cannot reuse it, nor subscribe it to anything;
 * the same user reopening it (a reconnection) replaces the old stream.
 */
export default class LiveController {
  async events(ctx: HttpContext) {
    const uid = uidOf(ctx)
    if (!uid) return ctx.response.badRequest({ errors: [{ field: 'uid', rule: 'required' }] })
    const user = ctx.auth.user as User
    if (!(await bindStream(uid, user.id, ctx.response.response))) {
      return ctx.response.conflict({ errors: [{ field: 'uid', rule: 'unique' }] })
    }
    const transmit = await app.container.make('transmit')
    const stream = transmit.createStream({
      uid,
      context: ctx,
      request: ctx.request.request,
      response: ctx.response.response,
      injectResponseHeaders: ctx.response.getHeaders(),
    })
    return ctx.response.stream(stream)
  }

  async subscribe(ctx: HttpContext) {
    const uid = uidOf(ctx)
    const channel = ctx.request.input('channel')
    if (!uid || typeof channel !== 'string') return ctx.response.badRequest()
    if (ownerOf(uid) !== (ctx.auth.user as User).id) return ctx.response.forbidden()
    const transmit = await app.container.make('transmit')
    const done = await transmit.subscribe({ uid, channel, context: ctx })
    return done ? ctx.response.noContent() : ctx.response.forbidden()
  }

  async unsubscribe(ctx: HttpContext) {
    const uid = uidOf(ctx)
    const channel = ctx.request.input('channel')
    if (!uid || typeof channel !== 'string') return ctx.response.badRequest()
    if (ownerOf(uid) !== (ctx.auth.user as User).id) return ctx.response.forbidden()
    const transmit = await app.container.make('transmit')
    await transmit.unsubscribe({ uid, channel, context: ctx })
    return ctx.response.noContent()
  }
}
