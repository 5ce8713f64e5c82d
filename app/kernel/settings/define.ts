import vine from '@vinejs/vine'
import type { Label } from '../modules/define_module.js'

/**
 * Per-company settings a module declares in its manifest (`settings`).
 *
 * Each field is declared with one of the `setting.*` builders below: its type,
 * its default and its texts. From the fields the kernel builds both the VineJS
 * schema every write is validated with and the settings page's form, so a
 * module writes no controller, validator or page for its settings. Values are
 * kept per company (a holding and its operating company may differ); a field
 * never saved has its default.
 */

interface BaseField<T> {
  label: Label
  /** One sentence under the field: what changes when it is set */
  help?: Label
  default: T
}

export interface BooleanSetting extends BaseField<boolean> {
  type: 'boolean'
}

export interface IntegerSetting extends BaseField<number> {
  type: 'integer'
  min?: number
  max?: number
  /** Shown after the input (e.g. { fr: 'jours', en: 'days' }) */
  unit?: Label
}

export interface TextSetting extends BaseField<string> {
  type: 'text'
  /** 1 to 2000 characters; 200 unless said */
  maxLength?: number
  /** Several lines (a textarea) rather than one */
  multiline?: boolean
}

export interface ChoiceSetting extends BaseField<string> {
  type: 'choice'
  options: { value: string; label: Label }[]
}

export type SettingField = BooleanSetting | IntegerSetting | TextSetting | ChoiceSetting

export interface SettingsDeclaration {
  /** The permission (declared by the module) that reads and changes these settings */
  permission: string
  /** Keyed by the setting's name, camelCase (`allowNegative`) */
  fields: Record<string, SettingField>
}

/** The builders a manifest's `settings.fields` uses. */
export const setting = {
  boolean(field: Omit<BooleanSetting, 'type'>): BooleanSetting {
    return { type: 'boolean', ...field }
  },
  integer(field: Omit<IntegerSetting, 'type'>): IntegerSetting {
    return { type: 'integer', ...field }
  },
  text(field: Omit<TextSetting, 'type'>): TextSetting {
    return { type: 'text', ...field }
  },
  choice(field: Omit<ChoiceSetting, 'type'>): ChoiceSetting {
    return { type: 'choice', ...field }
  },
}

/** The values of a declaration's fields, typed from the declaration. */
export type SettingsValues<F extends Record<string, SettingField>> = {
  [K in keyof F]: F[K] extends BooleanSetting
    ? boolean
    : F[K] extends IntegerSetting
      ? number
      : string
}

export const SETTING_KEY = /^[a-z][a-zA-Z0-9]{0,59}$/
export const TEXT_MAX = 2000

function textLimit(field: TextSetting) {
  return field.maxLength ?? 200
}

/** The VineJS schema of one field (always optional: a write may change some fields only). */
function fieldSchema(field: SettingField) {
  switch (field.type) {
    case 'boolean':
      return vine.boolean().optional()
    case 'integer': {
      let schema = vine.number().withoutDecimals()
      if (field.min !== undefined) schema = schema.min(field.min)
      if (field.max !== undefined) schema = schema.max(field.max)
      return schema.optional()
    }
    case 'text':
      return vine.string().trim().maxLength(textLimit(field)).optional()
    case 'choice':
      return vine
        .string()
        .in(field.options.map((option) => option.value))
        .optional()
  }
}

/**
 * The validator of a write to these settings: every field optional, unknown
 * keys dropped, each value checked against its field (VineJS messages, so a
 * refusal is a 422 with the field's name).
 */
export function settingsValidator(declaration: SettingsDeclaration) {
  const properties: Record<string, ReturnType<typeof fieldSchema>> = {}
  for (const [key, field] of Object.entries(declaration.fields)) {
    properties[key] = fieldSchema(field)
  }
  return vine.create(vine.object(properties))
}

/** Whether a value fits its field (its type, bounds, length or options). */
export function fitsField(field: SettingField, value: unknown): boolean {
  switch (field.type) {
    case 'boolean':
      return typeof value === 'boolean'
    case 'integer':
      return (
        typeof value === 'number' &&
        Number.isInteger(value) &&
        (field.min === undefined || value >= field.min) &&
        (field.max === undefined || value <= field.max)
      )
    case 'text':
      return typeof value === 'string' && value.length <= textLimit(field)
    case 'choice':
      return field.options.some((option) => option.value === value)
  }
}

/** A stored value if it still fits its field (a field may have changed since), else the default. */
export function storedValue(field: SettingField, value: unknown): unknown {
  return fitsField(field, value) ? value : field.default
}

/**
 * Checks a manifest's `settings` and returns the first problem as
 * [field path, why], or null. The manifest validator reports it.
 */
export function settingsProblem(
  settings: unknown,
  permissionKeys: Set<string>,
  isLabel: (value: unknown) => boolean
): [string, string] | null {
  if (typeof settings !== 'object' || settings === null) {
    return ['settings', 'must be { permission, fields: { name: setting.boolean({...}), ... } }']
  }
  const { permission, fields } = settings as Record<string, any>
  if (typeof permission !== 'string' || !permissionKeys.has(permission)) {
    return [
      'settings.permission',
      `names "${permission}", which the manifest does not declare in "permissions"`,
    ]
  }
  if (typeof fields !== 'object' || fields === null || Object.keys(fields).length === 0) {
    return ['settings.fields', 'must declare at least one setting']
  }
  for (const [key, field] of Object.entries(fields as Record<string, any>)) {
    const at = `settings.fields.${key}`
    if (!SETTING_KEY.test(key)) return [at, 'must be named in camelCase (letters and digits)']
    if (!isLabel(field?.label)) return [`${at}.label`, 'must be { fr, en }']
    if (field.help !== undefined && !isLabel(field.help))
      return [`${at}.help`, 'must be { fr, en }']
    switch (field.type) {
      case 'boolean':
        if (typeof field.default !== 'boolean') return [`${at}.default`, 'must be true or false']
        break
      case 'integer': {
        for (const bound of ['min', 'max']) {
          if (field[bound] !== undefined && !Number.isInteger(field[bound])) {
            return [`${at}.${bound}`, 'must be an integer']
          }
        }
        if (field.min !== undefined && field.max !== undefined && field.min > field.max) {
          return [`${at}.min`, 'must not be above max']
        }
        if (field.unit !== undefined && !isLabel(field.unit)) {
          return [`${at}.unit`, 'must be { fr, en }']
        }
        if (!fitsField(field, field.default)) {
          return [`${at}.default`, 'must be an integer between min and max']
        }
        break
      }
      case 'text':
        if (
          field.maxLength !== undefined &&
          (!Number.isInteger(field.maxLength) || field.maxLength < 1 || field.maxLength > TEXT_MAX)
        ) {
          return [`${at}.maxLength`, `must be an integer from 1 to ${TEXT_MAX}`]
        }
        if (!fitsField(field, field.default)) {
          return [`${at}.default`, 'must be a text within maxLength']
        }
        break
      case 'choice': {
        if (!Array.isArray(field.options) || field.options.length === 0) {
          return [`${at}.options`, 'must list at least one { value, label }']
        }
        const values = new Set<string>()
        for (const [i, option] of field.options.entries()) {
          if (typeof option?.value !== 'string' || option.value === '') {
            return [`${at}.options[${i}].value`, 'must be a non-empty text']
          }
          if (values.has(option.value)) {
            return [`${at}.options[${i}].value`, `"${option.value}" is listed twice`]
          }
          values.add(option.value)
          if (!isLabel(option.label)) return [`${at}.options[${i}].label`, 'must be { fr, en }']
        }
        if (!values.has(field.default)) return [`${at}.default`, 'must be one of the options']
        break
      }
      default:
        return [
          `${at}.type`,
          'must be boolean, integer, text or choice (use the setting.* builders)',
        ]
    }
  }
  return null
}
