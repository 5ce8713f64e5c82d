import vine from '@vinejs/vine'
import { MAX_FORMAT_LENGTH, MAX_PADDING, SEQUENCE_RESETS } from '#kernel/numbering/format'

/**
 * An admin's change to a numbering series: any of its format, padding, reset
 * and next number. The format's tokens and the next number's floor (the last
 * number issued) are checked by the numbering service.
 */
export const updateSeriesValidator = vine.create({
  format: vine.string().trim().minLength(1).maxLength(MAX_FORMAT_LENGTH).optional(),
  padding: vine.number().withoutDecimals().min(1).max(MAX_PADDING).optional(),
  reset: vine.enum(SEQUENCE_RESETS).optional(),
  nextValue: vine.number().withoutDecimals().min(1).max(2_000_000_000).optional(),
})
