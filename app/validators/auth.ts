import vine from '@vinejs/vine'

/** ASVS 5.0: at least 8 characters, and at least 64 allowed (we allow 128). */
export const passwordRule = () => vine.string().minLength(8).maxLength(128)

export const loginValidator = vine.create({
  email: vine.string().trim().email().maxLength(254),
  password: vine.string().maxLength(128),
})

export const setupValidator = vine.create({
  companyName: vine.string().trim().minLength(2).maxLength(200),
  fullName: vine.string().trim().minLength(2).maxLength(200),
  email: vine.string().trim().email().maxLength(254),
  password: passwordRule().confirmed({ confirmationField: 'passwordConfirmation' }),
})
