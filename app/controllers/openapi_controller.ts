import type { HttpContext } from '@adonisjs/core/http'
import { openApiDocument } from '#kernel/api/openapi'

export default class OpenApiController {
  async show({ response }: HttpContext) {
    return response.ok(openApiDocument())
  }
}
