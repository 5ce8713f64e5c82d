import { errors } from '@vinejs/vine'

/**
 * A refusal tied to one form field, raised like a validation error: pages get
 * it as a field error on the form, the API as a 422 `{ errors: [...] }`.
 */
export function fieldError(field: string, message: string, rule = 'invalid') {
  return new errors.E_VALIDATION_ERROR([{ field, message, rule }])
}
