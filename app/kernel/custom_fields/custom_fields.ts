import vine, { errors } from '@vinejs/vine'
import { DateTime } from 'luxon'
import { HttpContext } from '@adonisjs/core/http'
import db from '@adonisjs/lucid/services/db'
import type { QueryClientContract } from '@adonisjs/lucid/types/database'
import type { LucidRow } from '@adonisjs/lucid/types/model'
import registry from '#kernel/modules/registry'
import moduleManager from '#kernel/modules/module_manager'
import type { Access } from '#kernel/security/access'
import type { RecordDeclaration } from '#kernel/modules/define_module'
import {
  MAX_DECIMAL_DIGITS,
  MAX_NUMBER,
  type CustomFieldConfig,
  type CustomFieldDefinition,
  type CustomFieldType,
  type CustomFieldView,
  type CustomValue,
  type CustomValues,
} from './types.js'

/**
 * Custom fields at run time: what a module calls to validate and save the
 * custom values of a record (inside its own transaction), to load them for a
 * page of records (one query), to filter a list (EXISTS subqueries on the
 * indexed value columns) and to export them.
 *
 * Definitions are per company. An archived field is out of forms, lists,
 * exports and the API, but its values stay until an admin purges it.
 */

export interface FieldRow {
  id: number
  company_id: number
  model: string
  key: string
  type: CustomFieldType
  label_fr: string
  label_en: string | null
  help_fr: string | null
  help_en: string | null
  required: boolean | number
  in_list: boolean | number
  options: string | null
  config: string | null
  target: string | null
  default_value: string | null
  position: number
  archived_at: string | Date | null
}

interface ValueRow {
  field_id: number
  record_id: number
  value_text: string | null
  value_long: string | null
  value_number: string | number | null
  value_date: string | null
  value_bool: boolean | number | null
}

function parseJson<T>(text: string | null, fallback: T): T {
  if (!text) return fallback
  try {
    return JSON.parse(text) as T
  } catch {
    return fallback
  }
}

function isoOf(value: string | Date | null): string | null {
  if (value === null || value === undefined) return null
  if (value instanceof Date) return DateTime.fromJSDate(value).toUTC().toISO()
  const parsed = DateTime.fromSQL(value, { zone: 'utc' })
  return parsed.isValid ? parsed.toISO() : DateTime.fromISO(value, { zone: 'utc' }).toISO()
}

export function toDefinition(row: FieldRow): CustomFieldDefinition {
  const config = parseJson<CustomFieldConfig>(row.config, {})
  if (row.target) config.target = row.target
  return {
    id: row.id,
    model: row.model,
    key: row.key,
    type: row.type,
    label: { fr: row.label_fr, en: row.label_en },
    help: { fr: row.help_fr, en: row.help_en },
    required: Boolean(row.required),
    inList: Boolean(row.in_list),
    options: parseJson<string[]>(row.options, []),
    config,
    default: parseJson<CustomValue>(row.default_value, null),
    position: Number(row.position),
    archivedAt: isoOf(row.archived_at),
  }
}

/** A definition as a form or page shows it, in `locale`. */
export function toView(field: CustomFieldDefinition, locale = 'fr'): CustomFieldView {
  const en = locale === 'en'
  return {
    key: field.key,
    type: field.type,
    label: (en && field.label.en) || field.label.fr,
    help: (en && field.help.en) || field.help.fr || null,
    required: field.required,
    inList: field.inList,
    options: field.options,
    config: field.config,
    default: field.default,
  }
}

/** Decimal places of a decimal field. */
export function scaleOf(field: Pick<CustomFieldDefinition, 'config'>) {
  return field.config.scale ?? 2
}

/** `12.5` at scale 2 → 1250, by text (no float rounding). */
export function toScaled(text: string, scale: number): number {
  const negative = text.startsWith('-')
  const [whole, fraction = ''] = text.replace(/^[-+]/, '').split('.')
  const digits = `${whole}${fraction.padEnd(scale, '0').slice(0, scale)}`
  const value = Number(digits)
  return negative && value !== 0 ? -value : value
}

/** 1250 at scale 2 → `12.50`. */
export function fromScaled(value: number, scale: number): string {
  const negative = value < 0
  const digits = String(Math.abs(value)).padStart(scale + 1, '0')
  const text = scale ? `${digits.slice(0, -scale)}.${digits.slice(-scale)}` : digits
  return negative ? `-${text}` : text
}

function escapeLike(text: string) {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`)
}

/** The record kind a reference may point at: one an enabled module declares in `records`. */
export function recordTarget(model: string): RecordDeclaration | null {
  const name = model.split('.')[0]
  if (!registry.has(name)) return null
  return registry.get(name).records?.find((r) => r.model === model) ?? null
}

function messagesProvider() {
  return HttpContext.get()?.i18n?.createMessagesProvider()
}

/** The message of `validator.shared.messages.<rule>` in the request's language, with values. */
function message(rule: string, fallback: string, data: Record<string, unknown> = {}) {
  const i18n = HttpContext.get()?.i18n
  const key = `validator.shared.messages.${rule}`
  return i18n && (i18n.hasMessage(key) || i18n.hasFallbackMessage(key))
    ? i18n.t(key, data)
    : fallback
}

/** A field error (422 in the API, a form error in pages), with the message's values filled in. */
function refuse(field: string, rule: string, fallback: string, data: Record<string, unknown> = {}) {
  return new errors.E_VALIDATION_ERROR([{ field, message: message(rule, fallback, data), rule }])
}

/** The VineJS schema of one field's value (not null). */
function valueSchema(field: CustomFieldDefinition) {
  const { min, max } = field.config
  switch (field.type) {
    case 'text':
      return vine.string().trim().minLength(1).maxLength(255)
    case 'long_text':
      return vine.string().trim().minLength(1).maxLength(10000)
    case 'number':
      return vine
        .number()
        .withoutDecimals()
        .range([min ?? -MAX_NUMBER, max ?? MAX_NUMBER])
    case 'decimal': {
      const bound = 10 ** MAX_DECIMAL_DIGITS - 1
      return vine
        .number()
        .decimal([0, scaleOf(field)])
        .range([min ?? -bound, max ?? bound])
    }
    case 'date':
      return vine.date({ formats: ['YYYY-MM-DD'] })
    case 'select':
      return vine.enum(field.options)
    case 'multi_select':
      return vine.array(vine.enum(field.options)).minLength(1).maxLength(100)
    case 'boolean':
      return vine.boolean()
    case 'reference':
      return vine.number().withoutDecimals().positive()
  }
}

/** Form and JSON input as the schema expects it: '' is no value, decimals use a point. */
function coerce(field: CustomFieldDefinition, value: unknown): unknown {
  if (value === undefined) return undefined
  if (value === null || value === '') return null
  if (field.type === 'multi_select') {
    if (typeof value === 'string') return [value]
    if (Array.isArray(value) && value.length === 0) return null
  }
  if (field.type === 'decimal' && typeof value === 'string') return value.trim().replace(',', '.')
  return value
}

/** Decimal text as given (or the number's shortest form), for exact scaling. */
function decimalText(value: unknown): string {
  return typeof value === 'number' ? String(value) : String(value).trim().replace(',', '.')
}

export interface PreparedValues {
  companyId: number
  model: string
  /** Fields whose values are written, and the values (null: none) */
  entries: { field: CustomFieldDefinition; value: CustomValue }[]
}

/** Values to rows of custom_field_values. */
function rowsOf(field: CustomFieldDefinition, recordId: number, value: CustomValue) {
  const base = {
    field_id: field.id,
    record_id: recordId,
    value_text: null as string | null,
    value_long: null as string | null,
    value_number: null as number | null,
    value_date: null as string | null,
    value_bool: null as boolean | null,
  }
  if (value === null || value === undefined) return []
  switch (field.type) {
    case 'text':
    case 'select':
      return [{ ...base, value_text: String(value) }]
    case 'long_text':
      return [{ ...base, value_long: String(value) }]
    case 'number':
    case 'reference':
      return [{ ...base, value_number: Number(value) }]
    case 'decimal':
      return [{ ...base, value_number: toScaled(String(value), scaleOf(field)) }]
    case 'date':
      return [{ ...base, value_date: String(value) }]
    case 'boolean':
      return [{ ...base, value_bool: Boolean(value) }]
    case 'multi_select':
      return (value as string[]).map((option) => ({ ...base, value_text: option }))
  }
}

/** One field's value from its rows (none: null, or [] for a multi-select). */
function valueOf(field: CustomFieldDefinition, rows: ValueRow[]): CustomValue {
  if (field.type === 'multi_select') {
    const chosen = rows.map((r) => r.value_text!).filter((v) => v !== null)
    // Kept in the order the options are declared.
    return chosen.sort((a, b) => field.options.indexOf(a) - field.options.indexOf(b))
  }
  const row = rows[0]
  if (!row) return null
  switch (field.type) {
    case 'text':
    case 'select':
      return row.value_text
    case 'long_text':
      return row.value_long
    case 'number':
    case 'reference':
      return row.value_number === null ? null : Number(row.value_number)
    case 'decimal':
      return row.value_number === null ? null : fromScaled(Number(row.value_number), scaleOf(field))
    case 'date':
      return row.value_date
    case 'boolean':
      return row.value_bool === null ? null : Boolean(row.value_bool)
  }
}

export interface CustomFilter {
  field: CustomFieldDefinition
  op: 'contains' | 'equals' | 'between' | 'has' | 'true' | 'false'
  value?: string | number
  from?: string | number | null
  to?: string | number | null
}

function filterColumn(field: CustomFieldDefinition) {
  if (field.type === 'date') return 'value_date'
  if (['number', 'decimal', 'reference'].includes(field.type)) return 'value_number'
  return 'value_text'
}

export const customFields = {
  /** The customizable models of enabled modules, with what their records are called. */
  async models(locale = 'fr'): Promise<{ model: string; module: string; label: string }[]> {
    const enabled = await moduleManager.enabledSet()
    return registry
      .all()
      .filter((m) => enabled.has(m.name))
      .flatMap((m) =>
        (m.customizable ?? []).map((model) => {
          const label = m.audited?.[model]?.label
          return {
            model,
            module: m.name,
            label: label ? (label[locale as 'fr' | 'en'] ?? label.fr) : model,
          }
        })
      )
  },

  async isCustomizable(model: string) {
    return (await this.models()).some((m) => m.model === model)
  },

  /** The record kinds a reference field may point at (enabled modules' `records`). */
  async targets(locale = 'fr'): Promise<{ model: string; label: string }[]> {
    const enabled = await moduleManager.enabledSet()
    return registry
      .all()
      .filter((m) => enabled.has(m.name))
      .flatMap((m) =>
        (m.records ?? []).map((r) => {
          const label = m.audited?.[r.model]?.label
          return {
            model: r.model,
            label: label ? (label[locale as 'fr' | 'en'] ?? label.fr) : r.model,
          }
        })
      )
  },

  /** The fields of `model` in a company, in display order; archived ones only when asked. */
  async definitions(
    companyId: number,
    model: string,
    options: { archived?: boolean; client?: QueryClientContract } = {}
  ): Promise<CustomFieldDefinition[]> {
    const query = (options.client ?? db.connection())
      .from('custom_fields')
      .where({ company_id: companyId, model })
      .orderBy('position')
      .orderBy('id')
    if (!options.archived) query.whereNull('archived_at')
    return ((await query) as FieldRow[]).map(toDefinition)
  },

  /** The active fields of `model` as forms and pages show them. */
  async views(companyId: number, model: string, locale = 'fr'): Promise<CustomFieldView[]> {
    return (await this.definitions(companyId, model)).map((f) => toView(f, locale))
  },

  /**
   * Validates the custom values given with a record (`input`, the request's
   * `customFields` object) against the company's active fields of `model`:
   * types, options, bounds, required fields (with their defaults on
   * creation), references to records of the same company within the user's
   * read scope. Field errors are keyed `customFields.<key>`. On update, only
   * the fields given are checked and written.
   */
  async prepare(
    access: Access,
    model: string,
    input: unknown,
    options: { creating: boolean; client?: QueryClientContract }
  ): Promise<PreparedValues> {
    const fields = await this.definitions(access.companyId, model, { client: options.client })
    if (
      input !== undefined &&
      input !== null &&
      (typeof input !== 'object' || Array.isArray(input))
    ) {
      throw refuse('customFields', 'object', 'This field must be an object')
    }
    const given = (input ?? {}) as Record<string, unknown>
    for (const key of Object.keys(given)) {
      if (!fields.some((f) => f.key === key)) {
        throw refuse(`customFields.${key}`, 'customFieldUnknown', 'Unknown custom field')
      }
    }
    const touched = fields.filter((f) => f.key in given || options.creating)
    const entries = await this.prepareAgainst(touched, given, { ...options, access })
    return { companyId: access.companyId, model, entries }
  },

  /**
   * Validates `given` values of `fields` (defaults filled in on creation) and
   * returns them normalized: dates `YYYY-MM-DD`, decimals as exact text at the
   * field's scale, multi-selects without duplicates. References are checked
   * when `access` is given.
   */
  async prepareAgainst(
    fields: CustomFieldDefinition[],
    given: Record<string, unknown>,
    options: { creating?: boolean; access?: Access; client?: QueryClientContract } = {}
  ): Promise<PreparedValues['entries']> {
    if (!fields.length) return []
    const data: Record<string, unknown> = {}
    const properties: Record<string, any> = {}
    for (const field of fields) {
      let value = coerce(field, given[field.key])
      if (value === undefined && options.creating && field.default !== null) {
        value = coerce(field, field.default)
      }
      data[field.key] = value
      const schema = valueSchema(field)
      properties[field.key] = field.required ? schema : schema.nullable().optional()
    }
    const validator = vine.create({ customFields: vine.object(properties) })
    const validated = (await validator.validate(
      { customFields: data },
      { messagesProvider: messagesProvider() }
    )) as { customFields: Record<string, unknown> }

    const entries: PreparedValues['entries'] = []
    for (const field of fields) {
      const value = validated.customFields[field.key]
      if (value === undefined || value === null) {
        entries.push({ field, value: field.type === 'multi_select' ? [] : null })
        continue
      }
      switch (field.type) {
        case 'date':
          entries.push({ field, value: DateTime.fromJSDate(value as Date).toISODate() })
          break
        case 'decimal': {
          const scale = scaleOf(field)
          entries.push({
            field,
            value: fromScaled(toScaled(decimalText(data[field.key]), scale), scale),
          })
          break
        }
        case 'multi_select':
          entries.push({ field, value: [...new Set(value as string[])] })
          break
        case 'reference':
          if (options.access) {
            await this.checkReference(options.access, field, Number(value), options.client)
          }
          entries.push({ field, value: Number(value) })
          break
        default:
          entries.push({ field, value: value as CustomValue })
      }
    }
    return entries
  },

  /** A reference must name a record of the same company the user may read. */
  async checkReference(
    access: Access,
    field: CustomFieldDefinition,
    id: number,
    client: QueryClientContract = db.connection()
  ) {
    const target = field.config.target ? recordTarget(field.config.target) : null
    const found =
      target &&
      (await access
        .scope(client.from(target.table), target.permission, target.columns)
        .where('id', id)
        .select('id')
        .first())
    if (!found) throw refuse(`customFields.${field.key}`, 'exists', 'Unknown value')
  },

  /**
   * Writes prepared values for one record, through the caller's transaction:
   * the given fields' old values are replaced. Returns the values before and
   * after, for the record's audit entry.
   */
  async write(
    client: QueryClientContract,
    prepared: PreparedValues,
    recordId: number
  ): Promise<{ before: CustomValues; after: CustomValues }> {
    const before: CustomValues = {}
    const after: CustomValues = {}
    if (!prepared.entries.length) return { before, after }
    const ids = prepared.entries.map((e) => e.field.id)
    const old: ValueRow[] = await client
      .from('custom_field_values')
      .whereIn('field_id', ids)
      .where('record_id', recordId)
      .orderBy('id')
    await client
      .from('custom_field_values')
      .whereIn('field_id', ids)
      .where('record_id', recordId)
      .delete()
    const rows = []
    for (const { field, value } of prepared.entries) {
      before[field.key] = valueOf(
        field,
        old.filter((r) => r.field_id === field.id)
      )
      after[field.key] = value
      rows.push(...rowsOf(field, recordId, value))
    }
    if (rows.length) await client.table('custom_field_values').multiInsert(rows)
    return { before, after }
  },

  /**
   * The active custom values of a page of records, in one query: a map from
   * record id to `{ key: value }` (every active field present, null or []
   * when empty).
   */
  async load(
    companyId: number,
    model: string,
    recordIds: number[],
    options: { client?: QueryClientContract; fields?: CustomFieldDefinition[] } = {}
  ): Promise<Map<number, CustomValues>> {
    const client = options.client ?? db.connection()
    const fields = options.fields ?? (await this.definitions(companyId, model, { client }))
    const result = new Map<number, CustomValues>()
    const empty = () =>
      Object.fromEntries(
        fields.map((f) => [f.key, f.type === 'multi_select' ? [] : null])
      ) as CustomValues
    for (const id of recordIds) result.set(id, empty())
    if (!fields.length || !recordIds.length) return result
    const rows: ValueRow[] = await client
      .from('custom_field_values')
      .whereIn(
        'field_id',
        fields.map((f) => f.id)
      )
      .whereIn('record_id', recordIds)
      .orderBy('id')
    const grouped = new Map<string, ValueRow[]>()
    for (const row of rows) {
      const key = `${row.record_id}:${row.field_id}`
      grouped.set(key, [...(grouped.get(key) ?? []), row])
    }
    for (const id of recordIds) {
      const values = result.get(id)!
      for (const field of fields) {
        values[field.key] = valueOf(field, grouped.get(`${id}:${field.id}`) ?? [])
      }
    }
    return result
  },

  /**
   * Loads the custom values of Lucid rows into `row.$extras.customFields`
   * (one query for the whole page), so transformers can show them.
   */
  async attach<Row extends LucidRow & { id: number }>(
    companyId: number,
    model: string,
    rows: Row[],
    options: { client?: QueryClientContract } = {}
  ) {
    const values = await this.load(
      companyId,
      model,
      rows.map((r) => r.id),
      options
    )
    for (const row of rows) row.$extras.customFields = values.get(row.id)
    return rows
  },

  /** Removes a deleted record's values (call in the transaction that deletes it). */
  async forget(client: QueryClientContract, companyId: number, model: string, recordId: number) {
    const ids = client.from('custom_fields').where({ company_id: companyId, model }).select('id')
    await client
      .from('custom_field_values')
      .whereIn('field_id', ids)
      .where('record_id', recordId)
      .delete()
  },

  /**
   * Reads list filters (`cf[<key>]=value`, or `cf[<key>][from]`/`[to]` for
   * numbers, decimals and dates) against the active fields. Text contains,
   * select and reference equal, a multi-select has the option, a boolean is
   * `true` or `false`. Empty values are ignored; a bad one is a field error
   * keyed `cf.<key>`.
   */
  async parseFilters(companyId: number, model: string, raw: unknown): Promise<CustomFilter[]> {
    if (raw === undefined || raw === null || raw === '') return []
    if (typeof raw !== 'object' || Array.isArray(raw)) {
      throw refuse('cf', 'object', 'This field must be an object')
    }
    const fields = await this.definitions(companyId, model)
    const filters: CustomFilter[] = []
    for (const [key, given] of Object.entries(raw as Record<string, unknown>)) {
      const field = fields.find((f) => f.key === key)
      const name = `cf.${key}`
      if (!field) throw refuse(name, 'customFieldUnknown', 'Unknown custom field')
      if (given === undefined || given === null || given === '') continue
      const invalid = () => refuse(name, 'customFieldFilter', 'Invalid filter value')
      const one = (value: unknown): string | number | null => {
        if (value === undefined || value === null || value === '') return null
        if (typeof value !== 'string' && typeof value !== 'number') throw invalid()
        const text = String(value).trim()
        if (field.type === 'date') {
          if (!/^\d{4}-\d{2}-\d{2}$/.test(text) || !DateTime.fromISO(text).isValid) throw invalid()
          return text
        }
        if (field.type === 'decimal') {
          const normalized = text.replace(',', '.')
          if (!/^-?\d{1,11}(\.\d+)?$/.test(normalized)) throw invalid()
          return toScaled(normalized, scaleOf(field))
        }
        if (field.type === 'number' || field.type === 'reference') {
          if (!/^-?\d{1,16}$/.test(text)) throw invalid()
          return Number(text)
        }
        if (text.length > 255) throw invalid()
        return text
      }
      if (typeof given === 'object' && !Array.isArray(given)) {
        if (!['number', 'decimal', 'date'].includes(field.type)) throw invalid()
        const { from, to } = given as { from?: unknown; to?: unknown }
        const range = { from: one(from), to: one(to) }
        if (range.from !== null || range.to !== null) {
          filters.push({ field, op: 'between', ...range })
        }
        continue
      }
      const value = one(given)
      if (value === null) continue
      if (field.type === 'boolean') {
        if (!['true', 'false', '1', '0'].includes(String(value))) throw invalid()
        filters.push({ field, op: ['true', '1'].includes(String(value)) ? 'true' : 'false' })
      } else if (field.type === 'text' || field.type === 'long_text') {
        filters.push({ field, op: 'contains', value: String(value) })
      } else if (field.type === 'multi_select') {
        filters.push({ field, op: 'has', value })
      } else {
        filters.push({ field, op: 'equals', value })
      }
    }
    return filters
  },

  /**
   * Applies parsed filters to a query of the records' table: one EXISTS
   * subquery per filter, served by the (field, value) indexes. `idColumn` is
   * the records' qualified id column (e.g. `contacts.id`).
   */
  applyFilters<Q extends { whereExists: any; whereNotExists: any }>(
    query: Q,
    filters: CustomFilter[],
    idColumn: string
  ): Q {
    for (const filter of filters) {
      const sub = db
        .from('custom_field_values as cfv')
        .where('cfv.field_id', filter.field.id)
        .whereColumn('cfv.record_id', idColumn)
        .select(db.raw('1'))
      const column = `cfv.${filterColumn(filter.field)}`
      switch (filter.op) {
        case 'contains': {
          const text = `%${escapeLike(String(filter.value).toLowerCase())}%`
          const long = filter.field.type === 'long_text' ? 'cfv.value_long' : 'cfv.value_text'
          sub.whereRaw(`LOWER(${long}) LIKE ? ESCAPE '\\'`, [text])
          break
        }
        case 'equals':
        case 'has':
          sub.where(column, filter.value!)
          break
        case 'between':
          if (filter.from !== null && filter.from !== undefined)
            sub.where(column, '>=', filter.from)
          if (filter.to !== null && filter.to !== undefined) sub.where(column, '<=', filter.to)
          break
        case 'true':
        case 'false':
          sub.where('cfv.value_bool', true)
          break
      }
      if (filter.op === 'false') query.whereNotExists(sub)
      else query.whereExists(sub)
    }
    return query
  },

  /**
   * CSV columns for the active fields: header names `customFields.<key>`,
   * and the cells of one record's values (decimals with a comma, booleans
   * 1/0, multi-selects joined).
   */
  csvColumns(fields: CustomFieldDefinition[]) {
    return {
      header: fields.map((f) => `customFields.${f.key}`),
      cells(values: CustomValues | undefined): unknown[] {
        return fields.map((field) => {
          const value = values?.[field.key]
          if (value === null || value === undefined) return null
          if (field.type === 'boolean') return value ? 1 : 0
          if (field.type === 'decimal') return String(value).replace('.', ',')
          return value
        })
      },
    }
  },

  /**
   * The titles of records that reference fields point at, for display:
   * `{ <key>: { <id>: title } }`, only for records the user may read (others
   * show their id). One query per reference field.
   */
  async referenceTitles(
    access: Access,
    fields: CustomFieldDefinition[],
    values: Iterable<CustomValues | undefined>
  ): Promise<Record<string, Record<number, string>>> {
    const all = [...values]
    const titles: Record<string, Record<number, string>> = {}
    for (const field of fields) {
      if (field.type !== 'reference' || !field.config.target) continue
      const target = recordTarget(field.config.target)
      const ids = [
        ...new Set(
          all.map((v) => v?.[field.key]).filter((v): v is number => typeof v === 'number')
        ),
      ]
      if (!target || !ids.length) continue
      const rows = await access
        .scope(db.from(target.table), target.permission, target.columns)
        .whereIn('id', ids)
        .select('id', `${target.title ?? 'id'} as title`)
      titles[field.key] = Object.fromEntries(rows.map((r) => [Number(r.id), String(r.title)]))
    }
    return titles
  },
}
