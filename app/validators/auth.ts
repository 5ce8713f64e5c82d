import vine from '@vinejs/vine'
import {
  PASSWORD_MIN_LENGTH,
  PASSWORD_MAX_LENGTH,
  passwordPolicyRule,
} from '#kernel/security/passwords'

/**
 * A password someone chooses. ASVS 5.0: at least 8 characters, at least 64
 * allowed (we allow 128), not a common or leaked password, not the email
 * address (see app/kernel/security/passwords.ts).
 */
export const passwordRule = () =>
  vine
    .string()
    .minLength(PASSWORD_MIN_LENGTH)
    .maxLength(PASSWORD_MAX_LENGTH)
    .use(passwordPolicyRule())

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
