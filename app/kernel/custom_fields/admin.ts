import { HttpContext } from '@adonisjs/core/http'
import { Exception } from '@adonisjs/core/exceptions'
import { errors } from '@vinejs/vine'
import db from '@adonisjs/lucid/services/db'
import type { TransactionClientContract } from '@adonisjs/lucid/types/database'
import { dbNow } from '#kernel/db/timestamp'
import { record } from '#kernel/audit/audit'
import { customFields, recordTarget, toDefinition, type FieldRow } from './custom_fields.js'
import type {
  CustomFieldConfig,
  CustomFieldDefinition,
  CustomFieldType,
  CustomValue,
} from './types.js'

/** The audit trail's name for a custom field definition. */
export const CUSTOM_FIELD_MODEL = 'kernel.custom_field'

export interface CustomFieldInput {
  label?: { fr: string; en?: string | null }
  help?: { fr?: string | null; en?: string | null } | null
  required?: boolean
  inList?: boolean
  options?: string[]
  min?: number | null
  max?: number | null
  default?: unknown
  position?: number
}

export interface NewCustomField extends CustomFieldInput {
  model: string
  key: string
  type: CustomFieldType
  label: { fr: string; en?: string | null }
  scale?: number
  target?: string
}

function notFound() {
  return new Exception('Custom field not found', { status: 404, code: 'E_NOT_FOUND' })
}

/** A refusal on one field of the definition form, in the request's language. */
function refuse(field: string, key: string, fallback: string, data: Record<string, unknown> = {}) {
  const i18n = HttpContext.get()?.i18n
  const message = i18n ? i18n.t(`custom_fields.errors.${key}`, data) : fallback
  return new errors.E_VALIDATION_ERROR([{ field, message, rule: `customFields.${key}` }])
}

const WITH_OPTIONS: CustomFieldType[] = ['select', 'multi_select']
const WITH_BOUNDS: CustomFieldType[] = ['number', 'decimal']

/** What an audit entry shows of a definition. */
function auditValues(field: CustomFieldDefinition, companyId: number) {
  return {
    company_id: companyId,
    model: field.model,
    key: field.key,
    type: field.type,
    label: field.label,
    help: field.help,
    required: field.required,
    inList: field.inList,
    options: field.options,
    config: field.config,
    default: field.default,
    archivedAt: field.archivedAt,
  }
}

async function findRow(
  client: TransactionClientContract,
  companyId: number,
  id: number
): Promise<CustomFieldDefinition> {
  const row: FieldRow | null = await client
    .from('custom_fields')
    .where({ company_id: companyId, id })
    .forUpdate()
    .first()
  if (!row) throw notFound()
  return toDefinition(row)
}

/**
 * Checks a definition as a whole (options for selects, bounds, a reference's
 * target, the default against the field's own rules) and returns its stored
 * columns.
 */
async function columnsOf(field: Omit<CustomFieldDefinition, 'id' | 'archivedAt' | 'position'>) {
  if (WITH_OPTIONS.includes(field.type) && field.options.length === 0) {
    throw refuse('options', 'options_required', 'A select needs at least one option')
  }
  if (!WITH_OPTIONS.includes(field.type) && field.options.length > 0) {
    throw refuse('options', 'options_unexpected', 'Only selects have options')
  }
  const min = field.config.min ?? null
  const max = field.config.max ?? null
  if (!WITH_BOUNDS.includes(field.type) && (min !== null || max !== null)) {
    throw refuse('min', 'bounds_unexpected', 'Only numbers and decimals have bounds')
  }
  if (min !== null && max !== null && min > max) {
    throw refuse('max', 'bounds_order', 'The maximum must be at least the minimum')
  }
  if (field.type === 'reference' && (!field.config.target || !recordTarget(field.config.target))) {
    throw refuse('target', 'target_unknown', 'Choose the kind of record this field points at')
  }
  let defaultValue: CustomValue = null
  if (field.default !== null && field.default !== undefined && field.default !== '') {
    if (field.type === 'reference') {
      throw refuse('default', 'default_reference', 'A reference has no default value')
    }
    defaultValue = await defaultOf(field)
  }
  const config: CustomFieldConfig = {}
  if (min !== null) config.min = min
  if (max !== null) config.max = max
  if (field.type === 'decimal') config.scale = field.config.scale ?? 2
  return {
    type: field.type,
    label_fr: field.label.fr,
    label_en: field.label.en || null,
    help_fr: field.help.fr || null,
    help_en: field.help.en || null,
    required: field.required,
    in_list: field.inList,
    options: WITH_OPTIONS.includes(field.type) ? JSON.stringify(field.options) : null,
    config: Object.keys(config).length ? JSON.stringify(config) : null,
    target: field.type === 'reference' ? field.config.target! : null,
    default_value: defaultValue === null ? null : JSON.stringify(defaultValue),
  }
}

/** The default value, validated as a value of the field itself (errors keyed `default`). */
async function defaultOf(field: Omit<CustomFieldDefinition, 'id' | 'archivedAt' | 'position'>) {
  const probe = { ...field, id: 0, position: 0, archivedAt: null, required: true }
  try {
    const prepared = await customFields.prepareAgainst([probe], { [field.key]: field.default })
    return prepared[0].value
  } catch (error) {
    if (error instanceof errors.E_VALIDATION_ERROR) {
      const first = (error.messages as { message: string; rule: string }[])[0]
      throw new errors.E_VALIDATION_ERROR([
        { field: 'default', message: first.message, rule: first.rule },
      ])
    }
    throw error
  }
}

/**
 * Custom field definitions as admins manage them, per company: create,
 * change, archive (kept, with its values), restore and purge (the values
 * deleted, then the definition). Every change is one transaction with its
 * audit entry.
 */
export const customFieldsAdmin = {
  async list(
    companyId: number,
    options: { model?: string; archived?: boolean } = {}
  ): Promise<CustomFieldDefinition[]> {
    const query = db
      .from('custom_fields')
      .where('company_id', companyId)
      .orderBy('model')
      .orderBy('position')
      .orderBy('id')
    if (options.model) query.where('model', options.model)
    if (options.archived === false) query.whereNull('archived_at')
    return ((await query) as FieldRow[]).map(toDefinition)
  },

  async find(companyId: number, id: number): Promise<CustomFieldDefinition> {
    const row: FieldRow | null = await db
      .from('custom_fields')
      .where({ company_id: companyId, id })
      .first()
    if (!row) throw notFound()
    return toDefinition(row)
  },

  /** How many records hold a value of each field (archived fields keep theirs). */
  async valueCounts(ids: number[]): Promise<Map<number, number>> {
    if (!ids.length) return new Map()
    const rows = await db
      .from('custom_field_values')
      .whereIn('field_id', ids)
      .groupBy('field_id')
      .select('field_id')
      .countDistinct('record_id as count')
    return new Map(rows.map((r) => [Number(r.field_id), Number(r.count)]))
  },

  async create(companyId: number, input: NewCustomField): Promise<CustomFieldDefinition> {
    if (!(await customFields.isCustomizable(input.model))) {
      throw refuse('model', 'model_unknown', 'This kind of record takes no custom fields')
    }
    const columns = await columnsOf({
      model: input.model,
      key: input.key,
      type: input.type,
      label: { fr: input.label.fr, en: input.label.en ?? null },
      help: { fr: input.help?.fr ?? null, en: input.help?.en ?? null },
      required: input.required ?? false,
      inList: input.inList ?? false,
      options: input.options ?? [],
      config: { min: input.min, max: input.max, scale: input.scale, target: input.target },
      default: (input.default ?? null) as CustomValue,
    })
    const id = await db.transaction(async (trx) => {
      const taken = await trx
        .from('custom_fields')
        .where({ company_id: companyId, model: input.model, key: input.key })
        .first()
      if (taken) {
        throw refuse('key', 'key_taken', 'This key is already used for this kind of record', {
          key: input.key,
        })
      }
      const last = await trx
        .from('custom_fields')
        .where({ company_id: companyId, model: input.model })
        .max('position as position')
        .first()
      const [inserted] = await trx
        .table('custom_fields')
        .insert({
          company_id: companyId,
          model: input.model,
          key: input.key,
          ...columns,
          position: input.position ?? Number(last?.position ?? -1) + 1,
          created_at: dbNow(trx),
          updated_at: dbNow(trx),
        })
        .returning('id')
      const newId = Number(typeof inserted === 'object' ? inserted.id : inserted)
      const created = await findRow(trx, companyId, newId)
      await record(trx, {
        event: 'created',
        model: CUSTOM_FIELD_MODEL,
        recordId: newId,
        after: auditValues(created, companyId),
        ignore: ['company_id'],
        meta: { model: input.model, key: input.key },
      })
      return newId
    })
    return this.find(companyId, id)
  },

  async update(
    companyId: number,
    id: number,
    change: CustomFieldInput
  ): Promise<CustomFieldDefinition> {
    await db.transaction(async (trx) => {
      const field = await findRow(trx, companyId, id)
      const merged = {
        ...field,
        label: change.label ? { fr: change.label.fr, en: change.label.en ?? null } : field.label,
        help:
          change.help === undefined
            ? field.help
            : { fr: change.help?.fr ?? null, en: change.help?.en ?? null },
        required: change.required ?? field.required,
        inList: change.inList ?? field.inList,
        options: change.options ?? field.options,
        config: {
          ...field.config,
          ...(change.min !== undefined ? { min: change.min } : {}),
          ...(change.max !== undefined ? { max: change.max } : {}),
        },
        default: (change.default === undefined ? field.default : change.default) as CustomValue,
      }
      const columns = await columnsOf(merged)
      await trx
        .from('custom_fields')
        .where('id', id)
        .update({
          ...columns,
          ...(change.position !== undefined ? { position: change.position } : {}),
          updated_at: dbNow(trx),
        })
      const after = await findRow(trx, companyId, id)
      await record(trx, {
        event: 'updated',
        model: CUSTOM_FIELD_MODEL,
        recordId: id,
        before: auditValues(field, companyId),
        after: auditValues(after, companyId),
        ignore: ['company_id'],
        meta: { model: field.model, key: field.key },
      })
    })
    return this.find(companyId, id)
  },

  /** Takes a field out of forms, lists, exports and the API; its values are kept. */
  async archive(companyId: number, id: number) {
    return setArchived(companyId, id, true)
  },

  async restore(companyId: number, id: number) {
    return setArchived(companyId, id, false)
  },

  /**
   * Deletes an archived field's values, then the field: its key is free
   * again. A field still in use must be archived first (409).
   */
  async purge(companyId: number, id: number): Promise<{ values: number }> {
    return db.transaction(async (trx) => {
      const field = await findRow(trx, companyId, id)
      if (!field.archivedAt) {
        throw new Exception('Archive the field before purging its values', {
          status: 409,
          code: 'E_CUSTOM_FIELD_ACTIVE',
        })
      }
      const counted = await trx
        .from('custom_field_values')
        .where('field_id', id)
        .countDistinct('record_id as count')
        .first()
      const values = Number(counted?.count ?? 0)
      await trx.from('custom_field_values').where('field_id', id).delete()
      await trx.from('custom_fields').where('id', id).delete()
      await record(trx, {
        event: 'purged',
        model: CUSTOM_FIELD_MODEL,
        recordId: id,
        before: auditValues(field, companyId),
        after: null,
        ignore: ['company_id'],
        meta: { model: field.model, key: field.key, values },
      })
      return { values }
    })
  },
}

async function setArchived(companyId: number, id: number, archived: boolean) {
  await db.transaction(async (trx) => {
    const field = await findRow(trx, companyId, id)
    if (Boolean(field.archivedAt) === archived) return
    await trx
      .from('custom_fields')
      .where('id', id)
      .update({ archived_at: archived ? dbNow(trx) : null, updated_at: dbNow(trx) })
    const after = await findRow(trx, companyId, id)
    await record(trx, {
      event: archived ? 'archived' : 'restored',
      model: CUSTOM_FIELD_MODEL,
      recordId: id,
      before: auditValues(field, companyId),
      after: auditValues(after, companyId),
      ignore: ['company_id'],
      meta: { model: field.model, key: field.key },
    })
  })
  return customFieldsAdmin.find(companyId, id)
}
