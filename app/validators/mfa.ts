import vine from '@vinejs/vine'

/** A second factor as typed: six digits, or a recovery code. */
const code = () => vine.string().trim().minLength(6).maxLength(64)

/** The code at sign-in's second step, or to confirm enrolment. */
export const mfaCodeValidator = vine.create({
  code: code(),
})

/** New recovery codes: the password or a current code proves it is the user. */
export const regenerateCodesValidator = vine.create({
  password: vine.string().maxLength(128).optional().requiredIfMissing('code'),
  code: code().optional(),
})

/** Switching MFA off asks for both. */
export const disableMfaValidator = vine.create({
  password: vine.string().maxLength(128),
  code: code(),
})
