import type { HttpContext } from '@adonisjs/core/http'
import type { NextFn } from '@adonisjs/core/types/http'

/**
 * Returns the request id (generated, or taken from X-Request-Id) on every
 * response; the request logger already carries it on every log line.
 */
export default class RequestIdMiddleware {
  handle(ctx: HttpContext, next: NextFn) {
    const id = ctx.request.id()
    if (id) ctx.response.header('X-Request-Id', id)
    return next()
  }
}
