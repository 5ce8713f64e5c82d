import vine from '@vinejs/vine'
import { TOKEN_LIFETIMES } from '#kernel/users/api_tokens'

/**
 * A new API token. `abilities` is `["*"]` for all the owner's permissions or
 * a list of permission keys they hold. The expiry is either `expiresIn`
 * (days: 30, 90 or 365) or `expiresAt` (a day, `YYYY-MM-DD`, at most one
 * year ahead; the token works until the end of that day, Europe/Paris).
 * Which keys are held and the date's range are checked by the service.
 */
export const createTokenValidator = vine.create({
  name: vine.string().trim().minLength(1).maxLength(100),
  abilities: vine
    .array(vine.string().trim().minLength(1).maxLength(120))
    .minLength(1)
    .maxLength(1000),
  expiresIn: vine.enum([...TOKEN_LIFETIMES]).optional(),
  expiresAt: vine
    .string()
    .trim()
    .regex(/^\d{4}-\d{2}-\d{2}$/)
    .optional(),
})
