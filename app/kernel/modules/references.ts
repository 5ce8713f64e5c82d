import db from '@adonisjs/lucid/services/db'
import type { QueryClientContract } from '@adonisjs/lucid/types/database'
import registry from './registry.js'
import moduleManager from './module_manager.js'
import type { ReferenceCheck } from './define_module.js'

/** Checks registered by kernel code (outside any module manifest). */
const kernelChecks: (ReferenceCheck & { owner: string })[] = []

/** Registers a reference check from kernel code; returns a function that removes it. */
export function registerReferenceCheck(owner: string, check: ReferenceCheck) {
  const entry = { ...check, owner }
  kernelChecks.push(entry)
  return () => {
    kernelChecks.splice(kernelChecks.indexOf(entry), 1)
  }
}

/**
 * The kernel's deletion hook: asks every enabled module that declared a
 * reference check for `model` how many of its records point at `id`. The
 * owner of the record archives it instead of deleting it when any does.
 */
export async function referencesTo(
  model: string,
  id: number,
  client: QueryClientContract = db.connection()
): Promise<{ module: string; count: number }[]> {
  const enabled = await moduleManager.enabledSet(client)
  const found: { module: string; count: number }[] = []
  for (const manifest of registry.all()) {
    if (!enabled.has(manifest.name)) continue
    for (const check of manifest.references ?? []) {
      if (check.model !== model) continue
      const count = await check.count(id, client)
      if (count > 0) found.push({ module: manifest.name, count })
    }
  }
  for (const check of kernelChecks) {
    if (check.model !== model) continue
    const count = await check.count(id, client)
    if (count > 0) found.push({ module: check.owner, count })
  }
  return found
}
