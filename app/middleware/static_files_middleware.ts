import { inject } from '@adonisjs/core'
import type { HttpContext } from '@adonisjs/core/http'
import type { NextFn } from '@adonisjs/core/types/http'
import StaticMiddleware from '@adonisjs/static/static_middleware'

/**
 * The static file server, asked only about paths that name a file (a last
 * segment with an extension: /assets/app-1a2b.js, /favicon.svg). Every file
 * in public/ has one; without this, each page and API request cost a
 * filesystem lookup for a file that could not exist.
 */
@inject()
export default class StaticFilesMiddleware {
  constructor(private files: StaticMiddleware) {}

  handle(ctx: HttpContext, next: NextFn) {
    const path = ctx.request.url()
    const last = path.slice(path.lastIndexOf('/') + 1)
    if (!last.includes('.')) return next()
    return this.files.handle(ctx, next)
  }
}
