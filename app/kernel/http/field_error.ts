import { errors } from '@vinejs/vine'
import { HttpContext } from '@adonisjs/core/http'

/**
 * A refusal tied to one form field, raised like a validation error: pages get
 * it as a field error on the form, the API as a 422 `{ errors: [...] }`. The
 * message is the request language's `validator.shared.messages.<rule>` when
 * one exists, else `message`.
 */
export function fieldError(field: string, message: string, rule = 'invalid') {
  const i18n = HttpContext.get()?.i18n
  const key = `validator.shared.messages.${rule}`
  const text =
    i18n && (i18n.hasMessage(key) || i18n.hasFallbackMessage(key)) ? i18n.t(key) : message
  return new errors.E_VALIDATION_ERROR([{ field, message: text, rule }])
}
