import vine from '@vinejs/vine'
import { passwordRule } from '#validators/auth'

const email = () => vine.string().trim().toLowerCase().email().maxLength(254)
const teamIds = () => vine.array(vine.number().withoutDecimals().positive()).maxLength(100)

export const inviteUserValidator = vine.create({
  email: email(),
  fullName: vine.string().trim().minLength(2).maxLength(200).optional(),
  role: vine.string().trim().maxLength(60),
  teamIds: teamIds().optional(),
  locale: vine.enum(['fr', 'en']).optional(),
})

export const updateMemberValidator = vine.create({
  role: vine.string().trim().maxLength(60).optional(),
  teamIds: teamIds().optional(),
  isActive: vine.boolean().optional(),
})

export const listUsersValidator = vine.create({
  after: vine.number().withoutDecimals().min(0).optional(),
  limit: vine.number().withoutDecimals().range([1, 200]).optional(),
})

/** The account's email travels as metadata: the password may not contain it. */
export const setPasswordValidator = vine.withMetaData<{ email: string | null }>().create({
  password: passwordRule().confirmed({ confirmationField: 'passwordConfirmation' }),
})

export const forgotPasswordValidator = vine.create({ email: email() })

export const profileValidator = vine.create({
  fullName: vine.string().trim().minLength(2).maxLength(200),
  locale: vine.enum(['fr', 'en']),
})

export const changePasswordValidator = vine.withMetaData<{ email: string }>().create({
  currentPassword: vine.string().maxLength(128),
  password: passwordRule().confirmed({ confirmationField: 'passwordConfirmation' }),
})

export const changeEmailValidator = vine.create({
  currentPassword: vine.string().maxLength(128),
  email: email(),
})
