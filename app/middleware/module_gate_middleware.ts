import type { HttpContext } from '@adonisjs/core/http'
import type { NextFn } from '@adonisjs/core/types/http'
import { Exception } from '@adonisjs/core/exceptions'
import moduleManager from '#kernel/modules/module_manager'

/**
 * A disabled module's routes answer 404, before any auth check. The enabled
 * set comes from memory (re-read at most once per MODULE_STATE_TTL_MS).
 */
export default class ModuleGateMiddleware {
  async handle(ctx: HttpContext, next: NextFn, options: { name: string }) {
    if (!(await moduleManager.isEnabled(options.name))) {
      throw new Exception(`Cannot ${ctx.request.method()}:${ctx.request.url()}`, {
        status: 404,
        code: 'E_ROUTE_NOT_FOUND',
      })
    }
    return next()
  }
}
