import vine from '@vinejs/vine'

export const localeValidator = vine.create({ locale: vine.enum(['fr', 'en']) })

/** The company switcher, in the pages and through the API. */
export const companyValidator = vine.create({
  companyId: vine.number().withoutDecimals().positive(),
})
