import vine from '@vinejs/vine'

/**
 * A workflow definition as admins send it. Its shape beyond "an object with
 * lists of states and transitions" is checked by the kernel's definition
 * validator, which knows the model's fields and the site's roles.
 */
export const draftValidator = vine.create({
  definition: vine.object({
    states: vine.array(vine.any()).minLength(1).maxLength(50),
    transitions: vine.array(vine.any()).maxLength(200),
  }),
})

/** Fires one transition. */
export const fireValidator = vine.create({
  transition: vine.string().trim().maxLength(60),
})

/** Tries a transition of the draft (or the current version) on a sample record. */
export const tryValidator = vine.create({
  of: vine.enum(['draft', 'current']).optional(),
  transition: vine.string().trim().maxLength(60),
  state: vine.string().trim().maxLength(60),
  role: vine.string().trim().maxLength(60),
  owner: vine.boolean().optional(),
  values: vine.record(vine.any()).optional(),
})
