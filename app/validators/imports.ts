import vine from '@vinejs/vine'

/** The mapping: `{ mapping: { <field>: '<column title>' | null } }`; checked against the file by the service. */
export const importMappingValidator = vine.create({
  mapping: vine.record(vine.string().maxLength(500).nullable()),
})

/** A dry run, optionally with the lines to leave out (replaces the excluded list). */
export const importCheckValidator = vine.create({
  excluded: vine.array(vine.number().withoutDecimals().min(2)).maxLength(50_000).optional(),
  /** Adds the lines the last dry run refused to the excluded ones */
  excludeRefused: vine.boolean().optional(),
})

export const importRowsValidator = vine.create({
  action: vine.enum(['create', 'update', 'refuse', 'excluded'] as const).optional(),
  cursor: vine.string().trim().maxLength(500).optional(),
  limit: vine.number().withoutDecimals().range([1, 200]).optional(),
})

export const importListValidator = vine.create({
  cursor: vine.string().trim().maxLength(500).optional(),
})
