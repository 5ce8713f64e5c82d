import vine from '@vinejs/vine'
import { sirenRule, siretRule, vatRule } from '#kernel/validation/french_ids'

const TIMEZONES = new Set(Intl.supportedValuesOf('timeZone'))

const timezone = vine.createRule((value, _, field) => {
  if (typeof value === 'string' && !TIMEZONES.has(value)) {
    field.report('Unknown time zone', 'timezone', field)
  }
})

const optionalText = (max: number) => vine.string().trim().maxLength(max).nullable().optional()

/** The company's legal identity, printed on its documents. */
export const updateCompanyValidator = vine.create({
  name: vine.string().trim().minLength(2).maxLength(200),
  legalName: optionalText(200),
  legalForm: optionalText(60),
  siren: vine.string().trim().use(sirenRule()).nullable().optional(),
  siret: vine.string().trim().use(siretRule()).nullable().optional(),
  vatNumber: vine.string().trim().use(vatRule()).nullable().optional(),
  rcs: optionalText(100),
  capitalCents: vine.number().withoutDecimals().min(0).max(1e15).nullable().optional(),
  addressLine1: optionalText(200),
  addressLine2: optionalText(200),
  postalCode: optionalText(20),
  city: optionalText(100),
  country: vine
    .string()
    .trim()
    .toUpperCase()
    .regex(/^[A-Z]{2}$/),
  email: vine.string().trim().email().maxLength(254).nullable().optional(),
  phone: optionalText(40),
  decennialInsurance: optionalText(2000),
  timezone: vine.string().trim().use(timezone()),
  locale: vine.enum(['fr', 'en']),
})

/** Logos: PNG, JPEG or WebP up to 2 MB; the content is checked too, not only the name. */
export const logoValidator = vine.create({
  logo: vine.file({ size: '2mb', extnames: ['png', 'jpg', 'jpeg', 'webp'] }),
})
