import type { HttpContext } from '@adonisjs/core/http'
import { buildOpenApi } from '#kernel/api/openapi'

export default class OpenApiController {
  async show({ response }: HttpContext) {
    return response.ok(await buildOpenApi())
  }
}
