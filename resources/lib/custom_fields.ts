import { t } from '~/lib/i18n'

/** A custom field as pages receive it (its texts in the page's language). */
export type CustomField = {
  key: string
  type:
    | 'text'
    | 'long_text'
    | 'number'
    | 'decimal'
    | 'date'
    | 'select'
    | 'multi_select'
    | 'boolean'
    | 'reference'
  label: string
  help: string | null
  required: boolean
  inList: boolean
  options: string[]
  config: { min?: number | null; max?: number | null; scale?: number; target?: string }
  default: unknown
}

export type CustomValue = string | number | boolean | string[] | null

/** Titles of linked records, `{ <key>: { <id>: title } }` */
export type ReferenceTitles = Record<string, Record<number, string>>

/** The values a form starts from: the record's, or the fields' defaults for a new one. */
export function formValues(
  fields: CustomField[],
  values: Record<string, CustomValue> | null | undefined
): Record<string, any> {
  const start: Record<string, any> = {}
  for (const field of fields) {
    const value = values ? values[field.key] : (field.default as CustomValue)
    if (field.type === 'multi_select') start[field.key] = Array.isArray(value) ? [...value] : []
    else if (field.type === 'boolean') start[field.key] = value === null ? false : Boolean(value)
    else start[field.key] = value === null || value === undefined ? '' : String(value)
  }
  return start
}

/** A value as text for lists and detail pages. */
export function formatValue(
  field: CustomField,
  value: CustomValue | undefined,
  titles: ReferenceTitles = {}
): string {
  if (value === null || value === undefined || (Array.isArray(value) && value.length === 0)) {
    return ''
  }
  switch (field.type) {
    case 'boolean':
      return value ? t('custom_fields.yes') : t('custom_fields.no')
    case 'multi_select':
      return (value as string[]).join(', ')
    case 'decimal':
      return new Intl.NumberFormat(t('custom_fields.number_locale'), {
        minimumFractionDigits: field.config.scale ?? 2,
        maximumFractionDigits: field.config.scale ?? 2,
      }).format(Number(value))
    case 'date': {
      const [y, m, d] = String(value).split('-').map(Number)
      return new Intl.DateTimeFormat(t('custom_fields.number_locale'), {
        dateStyle: 'medium',
        timeZone: 'UTC',
      }).format(new Date(Date.UTC(y, m - 1, d)))
    }
    case 'reference':
      return titles[field.key]?.[value as number] ?? `#${value}`
    default:
      return String(value)
  }
}
