/** The kinds of custom field an admin may add. */
export const CUSTOM_FIELD_TYPES = [
  'text',
  'long_text',
  'number',
  'decimal',
  'date',
  'select',
  'multi_select',
  'boolean',
  'reference',
] as const

export type CustomFieldType = (typeof CUSTOM_FIELD_TYPES)[number]

/** Keys: lower-case letters, digits and `_`, starting with a letter (they name API properties). */
export const CUSTOM_FIELD_KEY = /^[a-z][a-z0-9_]{0,39}$/

/** A decimal keeps at most this many digits after the point (scaled integer storage). */
export const MAX_DECIMAL_SCALE = 4
/** Whole digits of a decimal: with the scale, the stored integer stays a safe JavaScript integer. */
export const MAX_DECIMAL_DIGITS = 11
/** Bounds of a number field, within JavaScript's safe integers. */
export const MAX_NUMBER = 9_000_000_000_000_000

/** The value of one custom field of one record, as the API carries it. */
export type CustomValue = string | number | boolean | string[] | null

export type CustomValues = Record<string, CustomValue>

export interface Label {
  fr: string
  en?: string | null
}

export interface CustomFieldConfig {
  /** number, decimal: inclusive bounds */
  min?: number | null
  max?: number | null
  /** decimal: digits after the point (0–4, 2 by default) */
  scale?: number
  /** reference: the kind of record pointed at (`<module>.<model>`) */
  target?: string
}

/** A field definition as the admin page and API show it. */
export interface CustomFieldDefinition {
  id: number
  model: string
  key: string
  type: CustomFieldType
  label: { fr: string; en: string | null }
  help: { fr: string | null; en: string | null }
  required: boolean
  /** Shown as a column of the model's list */
  inList: boolean
  options: string[]
  config: CustomFieldConfig
  default: CustomValue
  position: number
  archivedAt: string | null
}

/** What forms and pages need of a field: its texts in the request's language. */
export interface CustomFieldView {
  key: string
  type: CustomFieldType
  label: string
  help: string | null
  required: boolean
  inList: boolean
  options: string[]
  config: CustomFieldConfig
  default: CustomValue
}
