import vine from '@vinejs/vine'
import { FIXINGS, SITUATIONS } from '../services/calculate.js'

/** The roof and slate of a calculation, as the API and the calculator send them. */
function calculationFields() {
  return {
    slate: vine.object({
      // Whole millimetres: the pureau is then exact to the half millimetre
      length: vine.number().withoutDecimals().range([100, 1000]),
      width: vine.number().withoutDecimals().range([100, 1000]),
      thickness: vine.number().decimal([0, 2]).min(1).max(30).nullable().optional(),
    }),
    pitchPercent: vine
      .number()
      .positive()
      .max(1000)
      .nullable()
      .optional()
      .requiredIfMissing('pitchDegrees'),
    pitchDegrees: vine.number().positive().max(89.99).nullable().optional(),
    zone: vine.number().in([1, 2, 3]),
    situation: vine.enum(SITUATIONS),
    rampant: vine.number().positive().max(100),
    area: vine.number().positive().max(1_000_000),
    wastePercent: vine.number().min(0).max(100).nullable().optional(),
    fixing: vine.enum(FIXINGS),
    jointGap: vine.number().min(0).max(50).nullable().optional(),
    formatId: vine.number().withoutDecimals().positive().nullable().optional(),
  }
}

export const calculateValidator = vine.create(calculationFields())

export const saveCalculationValidator = vine.create({
  ...calculationFields(),
  title: vine.string().trim().minLength(1).maxLength(200),
  record: vine
    .object({
      model: vine
        .string()
        .trim()
        .regex(/^[a-z][a-z0-9_]*\.[a-z][a-z0-9_]*$/)
        .maxLength(100),
      id: vine.number().withoutDecimals().positive(),
    })
    .nullable()
    .optional(),
})

export const listCalculationsValidator = vine.create({
  search: vine.string().trim().maxLength(100).optional(),
  limit: vine.number().withoutDecimals().range([1, 100]).optional(),
  cursor: vine.string().trim().maxLength(500).optional(),
  recordModel: vine.string().trim().maxLength(100).optional(),
  recordId: vine.number().withoutDecimals().positive().optional(),
})

export const formatValidator = vine.create({
  lengthMm: vine.number().withoutDecimals().range([100, 1000]),
  widthMm: vine.number().withoutDecimals().range([100, 1000]),
  thickness: vine.number().decimal([0, 2]).min(1).max(30).nullable().optional(),
  supplier: vine.string().trim().maxLength(200).nullable().optional(),
  reference: vine.string().trim().maxLength(100).nullable().optional(),
  priceCents: vine.number().withoutDecimals().min(0).max(1_000_000).nullable().optional(),
})

export const tableImportValidator = vine.create({
  file: vine.file({ size: '1mb', extnames: ['csv', 'txt', 'xlsx'] }),
  name: vine.string().trim().minLength(1).maxLength(200).nullable().optional(),
  notes: vine.string().trim().maxLength(2000).nullable().optional(),
})
