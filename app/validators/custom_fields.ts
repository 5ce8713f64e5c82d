import vine from '@vinejs/vine'
import {
  CUSTOM_FIELD_KEY,
  CUSTOM_FIELD_TYPES,
  MAX_DECIMAL_SCALE,
} from '#kernel/custom_fields/types'

const label = () =>
  vine.object({
    fr: vine.string().trim().minLength(1).maxLength(100),
    en: vine.string().trim().maxLength(100).nullable().optional(),
  })

const help = () =>
  vine
    .object({
      fr: vine.string().trim().maxLength(300).nullable().optional(),
      en: vine.string().trim().maxLength(300).nullable().optional(),
    })
    .nullable()
    .optional()

const options = () =>
  vine.array(vine.string().trim().minLength(1).maxLength(100)).maxLength(100).distinct().optional()

const bound = () => vine.number().range([-9e15, 9e15]).nullable().optional()

/** What an admin may change on a field; its model, key and type are fixed once created. */
function changeable() {
  return {
    label: label(),
    help: help(),
    required: vine.boolean().optional(),
    inList: vine.boolean().optional(),
    options: options(),
    min: bound(),
    max: bound(),
    /** Checked against the field's type by the service */
    default: vine.any().optional(),
    position: vine.number().withoutDecimals().range([0, 10000]).optional(),
  }
}

export const createCustomFieldValidator = vine.create({
  model: vine.string().trim().maxLength(100),
  key: vine.string().trim().regex(CUSTOM_FIELD_KEY),
  type: vine.enum(CUSTOM_FIELD_TYPES),
  ...changeable(),
  /** decimal: digits after the point (2 by default) */
  scale: vine.number().withoutDecimals().range([0, MAX_DECIMAL_SCALE]).optional(),
  /** reference: the kind of record pointed at, e.g. `contacts.contact` */
  target: vine.string().trim().maxLength(100).optional(),
})

export const updateCustomFieldValidator = vine.create({
  ...changeable(),
  label: label().optional(),
})

export const listCustomFieldsValidator = vine.create({
  model: vine.string().trim().maxLength(100).optional(),
  archived: vine.boolean().optional(),
})
