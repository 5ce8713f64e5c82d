import string from '@adonisjs/core/helpers/string'
import { Exception } from '@adonisjs/core/exceptions'
import registry from '#kernel/modules/registry'
import type { SensitiveFields } from '#kernel/modules/define_module'
import { accessDenied } from '#kernel/audit/auth_events'
import type { Access } from './access.js'

/**
 * Field rules: some fields of a kind of record (a salary, a cost price, a
 * customer's credit limit) are shown to and written by holders of one
 * permission only. Modules declare them in their manifest (`sensitive`);
 * kernel code registers its own with `registerFieldRule`.
 *
 * They are applied in one place per direction:
 * - reading: `hideFields` strips them from a serialized record (page props,
 *   API JSON, what a module hands another), `visibleColumns` drops their CSV
 *   columns, and the audit reader masks their before/after values;
 * - writing: `refuseHiddenWrites` answers 403 to a write that carries one
 *   (the whole write is refused, nothing is saved, and the refusal is
 *   audited). Forms never show such fields to those users, so only a
 *   hand-made request carries them.
 */

const kernelRules = new Map<string, SensitiveFields>()

/** Declares the field rule of a kernel model; returns a function that removes it. */
export function registerFieldRule(model: string, rule: SensitiveFields) {
  kernelRules.set(model, rule)
  return () => {
    if (kernelRules.get(model) === rule) kernelRules.delete(model)
  }
}

/** The field rule of `model` (`<module>.<model>`), if any. */
export function fieldRule(model: string): SensitiveFields | null {
  const kernel = kernelRules.get(model)
  if (kernel) return kernel
  const name = model.split('.')[0]
  if (!registry.has(name)) return null
  return registry.get(name).sensitive?.[model] ?? null
}

/** The sensitive fields of `model` this user may neither see nor change. */
export function hiddenFields(access: Access, model: string): string[] {
  const rule = fieldRule(model)
  if (!rule || access.can(rule.permission)) return []
  return rule.fields
}

/**
 * The same fields under their column names too (`credit_limit_cents`), as
 * query-builder writes record them in the audit trail.
 */
export function hiddenFieldNames(access: Access, model: string): string[] {
  const fields = hiddenFields(access, model)
  return [...new Set(fields.flatMap((field) => [field, string.snakeCase(field)]))]
}

/** A serialized record without the fields this user may not see. */
export function hideFields<T extends Record<string, unknown>>(
  access: Access,
  model: string,
  record: T
): T {
  const hidden = hiddenFields(access, model)
  if (!hidden.length) return record
  const copy: Record<string, unknown> = { ...record }
  for (const field of hidden) delete copy[field]
  return copy as T
}

/**
 * The CSV columns this user may see, and a function that keeps the same
 * cells of a row. Columns are named by the record's field names, or mapped to
 * them with `fieldOf` (e.g. a `creditLimit` column in euros for the
 * `creditLimitCents` field).
 */
export function visibleColumns(
  access: Access,
  model: string,
  header: string[],
  fieldOf: Record<string, string> = {}
) {
  const hidden = new Set(hiddenFields(access, model))
  const keep = header.map((name) => !hidden.has(fieldOf[name] ?? name))
  return {
    header: header.filter((_, i) => keep[i]),
    pick: <C>(row: C[]) => (hidden.size ? row.filter((_, i) => keep[i]) : row),
  }
}

/**
 * Refuses a write that carries a field this user may not change: 403, the
 * refusal recorded in the audit trail, nothing written. Call it before the
 * write starts (before the transaction opens), with the input to be saved.
 */
export async function refuseHiddenWrites(access: Access, model: string, input: object) {
  const values = input as Record<string, unknown>
  const submitted = hiddenFields(access, model).filter((field) => values[field] !== undefined)
  if (!submitted.length) return
  const rule = fieldRule(model)!
  await accessDenied({ permission: rule.permission, model, fields: submitted })
  throw new Exception(`Missing permission ${rule.permission} to change ${submitted.join(', ')}`, {
    status: 403,
    code: 'E_FORBIDDEN',
  })
}
