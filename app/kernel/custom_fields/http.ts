import { errors } from '@vinejs/vine'
import type { HttpContext } from '@adonisjs/core/http'
import { customFields } from './custom_fields.js'

type RequestValidator = Parameters<HttpContext['request']['validateUsing']>[0]

/**
 * Validates a record's request with the module's validator and, when that
 * fails, checks its custom fields too, so one answer (422, or the form's
 * errors) lists every field to fix. The custom values themselves are
 * validated and saved by the module's service (`customFields.prepare`).
 */
export async function validateWithCustomFields<V extends RequestValidator>(
  ctx: HttpContext,
  validator: V,
  model: string,
  options: { creating: boolean }
) {
  try {
    return await ctx.request.validateUsing(validator)
  } catch (error) {
    if (!(error instanceof errors.E_VALIDATION_ERROR) || !Array.isArray(error.messages)) throw error
    try {
      await customFields.prepare(ctx.access, model, ctx.request.input('customFields'), options)
    } catch (custom) {
      if (!(custom instanceof errors.E_VALIDATION_ERROR)) throw custom
      error.messages.push(...(custom.messages as unknown[]))
    }
    throw error
  }
}
