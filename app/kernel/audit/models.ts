import registry from '#kernel/modules/registry'
import moduleManager from '#kernel/modules/module_manager'
import type { AuditedModel } from '#kernel/modules/define_module'
import type { Access } from '#kernel/security/access'
import { hiddenFieldNames } from '#kernel/security/field_rules'

/** Audited models declared by kernel code (its own records), by model name. */
const kernelModels = new Map<string, AuditedModel>()

/** Declares a kernel model's history; returns a function that removes it. */
export function registerAuditedModel(model: string, declaration: AuditedModel) {
  kernelModels.set(model, declaration)
  return () => {
    if (kernelModels.get(model) === declaration) kernelModels.delete(model)
  }
}

/**
 * The declaration of an audited model and the module that owns it — only
 * while that module is enabled: a disabled module's records have no history
 * to show, as they have no pages.
 */
export async function auditedModel(
  model: string
): Promise<(AuditedModel & { module: string }) | null> {
  const kernel = kernelModels.get(model)
  if (kernel) return { ...kernel, module: 'kernel' }
  const name = model.split('.')[0]
  if (!registry.has(name)) return null
  const declaration = registry.get(name).audited?.[model]
  if (!declaration || !(await moduleManager.isEnabled(name))) return null
  return { ...declaration, module: name }
}

/**
 * Every audited model (kernel's and modules', enabled or not) with what its
 * records are called in `locale`, the model name when it has no label.
 */
export function auditedModelOptions(locale: string): { value: string; label: string }[] {
  const declared: [string, AuditedModel][] = [
    ...kernelModels.entries(),
    ...registry.all().flatMap((m) => Object.entries(m.audited ?? {})),
  ]
  return declared
    .map(([value, model]) => ({
      value,
      label: model.label ? (model.label[locale as 'fr' | 'en'] ?? model.label.fr) : value,
    }))
    .sort((a, b) => a.label.localeCompare(b.label))
}

/**
 * The sensitive fields of `model` whose values `access` may not see: the
 * model's field rules (the manifest's `sensitive`, under their attribute and
 * column names) and its history-only `audited.sensitive`. The one place
 * history values are masked: entries keep the real values, and every reader
 * (History tab, admin page, API) goes through this.
 */
export function hiddenFields(model: string | null, access: Access): string[] {
  if (!model) return []
  const sensitive =
    kernelModels.get(model)?.sensitive ??
    (registry.has(model.split('.')[0])
      ? registry.get(model.split('.')[0]).audited?.[model]?.sensitive
      : undefined)
  const historyOnly = !sensitive || access.can(sensitive.permission) ? [] : sensitive.fields
  return [...new Set([...historyOnly, ...hiddenFieldNames(access, model)])]
}
