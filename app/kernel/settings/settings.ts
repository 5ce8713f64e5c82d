import { Exception } from '@adonisjs/core/exceptions'
import db from '@adonisjs/lucid/services/db'
import type { QueryClientContract } from '@adonisjs/lucid/types/database'
import registry from '#kernel/modules/registry'
import moduleManager from '#kernel/modules/module_manager'
import type { Access } from '#kernel/security/access'
import { dbNow } from '#kernel/db/timestamp'
import { record } from '#kernel/audit/audit'
import {
  settingsValidator,
  storedValue,
  type SettingField,
  type SettingsDeclaration,
} from './define.js'

type Locale = 'fr' | 'en'
export type SettingValue = boolean | number | string

/** A field as the settings page and the API describe it, in one language. */
export interface SettingFieldView {
  key: string
  type: SettingField['type']
  label: string
  help: string | null
  default: SettingValue
  min?: number
  max?: number
  unit?: string
  maxLength?: number
  multiline?: boolean
  options?: { value: string; label: string }[]
}

function declarationOf(module: string): SettingsDeclaration | null {
  return registry.has(module) ? (registry.get(module).settings ?? null) : null
}

function parse(value: unknown): Record<string, unknown> {
  if (typeof value !== 'string') return (value as Record<string, unknown> | null) ?? {}
  try {
    const parsed = JSON.parse(value)
    return typeof parsed === 'object' && parsed !== null ? parsed : {}
  } catch {
    return {}
  }
}

/** Stored values merged over the defaults; a stored value no longer valid reads as the default. */
function resolve(declaration: SettingsDeclaration, stored: Record<string, unknown>) {
  const values: Record<string, SettingValue> = {}
  for (const [key, field] of Object.entries(declaration.fields)) {
    values[key] = (key in stored ? storedValue(field, stored[key]) : field.default) as SettingValue
  }
  return values
}

/**
 * A module's settings for a company: every declared field, with its default
 * where nothing was saved. Modules read their own settings through this (with
 * their transaction's client where a write depends on a setting).
 */
export async function moduleSettings<T extends Record<string, SettingValue>>(
  module: string,
  companyId: number,
  client: QueryClientContract = db.connection()
): Promise<T> {
  const declaration = declarationOf(module)
  if (!declaration) throw new Error(`Module "${module}" declares no settings`)
  const row = await client
    .from('module_settings')
    .where({ company_id: companyId, module })
    .select('values')
    .first()
  return resolve(declaration, parse(row?.values)) as T
}

function notFound() {
  return new Exception('Settings not found', { status: 404, code: 'E_NOT_FOUND' })
}

/**
 * The declaration of an enabled module's settings this user may manage: 404
 * for an unknown or disabled module or one without settings (as its own
 * routes would answer), 403 without the permission the module names.
 */
export async function requireSettings(access: Access, module: string) {
  const declaration = declarationOf(module)
  if (!declaration || !(await moduleManager.isEnabled(module))) throw notFound()
  if (!access.can(declaration.permission)) {
    throw new Exception(`Missing permission ${declaration.permission}`, {
      status: 403,
      code: 'E_FORBIDDEN',
    })
  }
  return declaration
}

const validators = new Map<string, ReturnType<typeof settingsValidator>>()

/** The VineJS validator of a module's settings, built once from its declaration. */
export function validatorFor(module: string, declaration: SettingsDeclaration) {
  let validator = validators.get(module)
  if (!validator) {
    validator = settingsValidator(declaration)
    validators.set(module, validator)
  }
  return validator
}

/**
 * Saves some of a module's settings for a company (values already validated)
 * and returns them all. One transaction: the company's row is locked while it
 * is merged, so two admins saving different fields at once both keep theirs;
 * the change is audited with the fields that changed (a save changing
 * nothing is not).
 */
export async function updateModuleSettings(
  module: string,
  companyId: number,
  changes: Record<string, unknown>,
  actor: { userId?: number | null } = {},
  client?: QueryClientContract
): Promise<Record<string, SettingValue>> {
  const declaration = declarationOf(module)
  if (!declaration) throw new Error(`Module "${module}" declares no settings`)
  const write = async (trx: QueryClientContract) => {
    const now = dbNow(trx)
    // Creates the row if missing, so the lock below always has a row to hold.
    await trx
      .table('module_settings')
      .insert({
        company_id: companyId,
        module,
        values: '{}',
        updated_by: actor.userId ?? null,
        created_at: now,
        updated_at: now,
      })
      .onConflict(['company_id', 'module'])
      .ignore()
    const row = await trx
      .from('module_settings')
      .where({ company_id: companyId, module })
      .forUpdate()
      .first()
    const stored = parse(row.values)
    const before = resolve(declaration, stored)
    const kept: Record<string, unknown> = {}
    for (const key of Object.keys(declaration.fields)) {
      if (key in stored) kept[key] = stored[key]
      if (changes[key] !== undefined) kept[key] = changes[key]
    }
    const after = resolve(declaration, kept)
    await trx
      .from('module_settings')
      .where('id', row.id)
      .update({ values: JSON.stringify(kept), updated_by: actor.userId ?? null, updated_at: now })
    // A save that changes nothing leaves no entry in the trail.
    if (JSON.stringify(before) === JSON.stringify(after)) return after
    await record(trx, {
      event: 'settings.updated',
      model: 'kernel.module_settings',
      recordId: module,
      before,
      after,
      actor: { companyId, ...(actor.userId !== undefined ? { actorId: actor.userId } : {}) },
    })
    return after
  }
  return client ? write(client) : db.transaction(write)
}

/** A module's settings fields, described in one language for the page and the API. */
export function describeSettings(declaration: SettingsDeclaration, locale: Locale) {
  return Object.entries(declaration.fields).map(([key, field]): SettingFieldView => {
    const view: SettingFieldView = {
      key,
      type: field.type,
      label: field.label[locale],
      help: field.help?.[locale] ?? null,
      default: field.default,
    }
    if (field.type === 'integer') {
      if (field.min !== undefined) view.min = field.min
      if (field.max !== undefined) view.max = field.max
      if (field.unit) view.unit = field.unit[locale]
    }
    if (field.type === 'text') {
      view.maxLength = field.maxLength ?? 200
      view.multiline = field.multiline ?? false
    }
    if (field.type === 'choice') {
      view.options = field.options.map((o) => ({ value: o.value, label: o.label[locale] }))
    }
    return view
  })
}

/** The enabled modules with settings this user may manage, for the settings menu. */
export async function settingsMenu(access: Access, locale: Locale) {
  const enabled = await moduleManager.enabledSet()
  return registry
    .all()
    .filter((m) => m.settings && enabled.has(m.name) && access.can(m.settings.permission))
    .map((m) => ({
      module: m.name,
      label: m.label[locale],
      href: `/settings/modules/${m.name}/settings`,
    }))
}
