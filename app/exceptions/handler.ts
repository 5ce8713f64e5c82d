import app from '@adonisjs/core/services/app'
import { type HttpContext, ExceptionHandler } from '@adonisjs/core/http'
import type { StatusPageRange, StatusPageRenderer } from '@adonisjs/core/types/http'

export default class HttpExceptionHandler extends ExceptionHandler {
  protected debug = !app.inProduction

  /** Status pages in every environment but tests of raw errors. */
  protected renderStatusPages = app.inProduction || app.inDev

  protected statusPages: Record<StatusPageRange, StatusPageRenderer> = {
    '403': (error, { inertia }) =>
      inertia.render('errors/forbidden', {
        message: String((error as { message?: string }).message ?? ''),
      }),
    '404': (_, { inertia }) => inertia.render('errors/not_found', {}),
    '500..599': (_, { inertia }) => inertia.render('errors/server_error', {}),
  }

  async handle(error: unknown, ctx: HttpContext) {
    const url = ctx.request.url()
    if (url.startsWith('/api/')) {
      const err = error as { status?: number; code?: string; message?: string; messages?: unknown }
      const status = err.status ?? 500
      if (status === 422 && err.code === 'E_VALIDATION_ERROR') {
        const messages = err.messages as any
        return ctx.response
          .status(422)
          .send({ errors: Array.isArray(messages) ? messages : (messages?.errors ?? []) })
      }
      if (status >= 500) {
        await this.report(error, ctx)
        return ctx.response.status(status).send({
          errors: [{ code: 'E_INTERNAL', message: 'Internal server error' }],
          requestId: ctx.request.id(),
        })
      }
      return ctx.response.status(status).send({
        errors: [{ code: err.code ?? 'E_HTTP', message: err.message ?? 'Error' }],
      })
    }
    return super.handle(error, ctx)
  }

  async report(error: unknown, ctx: HttpContext) {
    return super.report(error, ctx)
  }
}
