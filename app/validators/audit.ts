import vine from '@vinejs/vine'

const day = /^\d{4}-\d{2}-\d{2}(?:T[\d:.]+(?:Z|[+-]\d{2}:?\d{2})?)?$/

/** Filters of the audit trail (admin page and API). */
export const auditFiltersValidator = vine.create({
  model: vine.string().trim().maxLength(120).optional(),
  recordId: vine.string().trim().maxLength(64).optional(),
  actorId: vine.number().withoutDecimals().positive().optional(),
  event: vine.string().trim().maxLength(40).optional(),
  from: vine.string().trim().regex(day).optional(),
  to: vine.string().trim().regex(day).optional(),
  cursor: vine.string().trim().maxLength(200).optional(),
  limit: vine.number().withoutDecimals().range([1, 100]).optional(),
})

/** A record's history: only paging. */
export const historyValidator = vine.create({
  cursor: vine.string().trim().maxLength(200).optional(),
  limit: vine.number().withoutDecimals().range([1, 100]).optional(),
})
