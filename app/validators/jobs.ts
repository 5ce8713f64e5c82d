import vine from '@vinejs/vine'

/** Paging of the jobs admin page and API: failed jobs and scheduled runs page separately. */
export const jobsPageValidator = vine.create({
  cursor: vine.string().trim().maxLength(200).optional(),
  runsCursor: vine.string().trim().maxLength(200).optional(),
  /** The page's runs, of one schedule (`<module>.<key>`) */
  schedule: vine.string().trim().maxLength(150).optional(),
  limit: vine.number().withoutDecimals().range([1, 100]).optional(),
})

/** The scheduled runs, optionally of one schedule (`<module>.<key>`). */
export const scheduleRunsValidator = vine.create({
  schedule: vine.string().trim().maxLength(150).optional(),
  cursor: vine.string().trim().maxLength(200).optional(),
  limit: vine.number().withoutDecimals().range([1, 100]).optional(),
})
