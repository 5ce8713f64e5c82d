import type { HttpContext } from '@adonisjs/core/http'
import type { NextFn } from '@adonisjs/core/types/http'

/**
 * Returns the request id on every response, errors included: the incoming
 * X-Request-Id (set by a proxy or the client) or, with `generateRequestId`
 * (config/app.ts), a fresh UUID.
 *
 * Log lines carry the same id: the server creates each request's ctx.logger
 * as a child bound to `request_id`, before any middleware runs. Only that
 * logger does — the app-wide `logger` service does not — so request code logs
 * through ctx.logger, or the Logger the container resolves per request
 * (container_bindings_middleware), and the exception handler reports through it.
 */
export default class RequestIdMiddleware {
  handle(ctx: HttpContext, next: NextFn) {
    const id = ctx.request.id()
    if (id) ctx.response.header('X-Request-Id', id)
    return next()
  }
}
