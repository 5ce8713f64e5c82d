import vine from '@vinejs/vine'

const name = vine.string().trim().minLength(2).maxLength(120)

const grants = vine
  .array(
    vine.object({
      permission: vine.string().trim().maxLength(120),
      scope: vine.enum(['all', 'team', 'own']).optional(),
    })
  )
  .maxLength(1000)

/** Whether the role's members must sign in with a second factor (MFA). */
const mfaRequired = vine.boolean().optional()

/** A new custom role, optionally with its first grants. */
export const createRoleValidator = vine.create({
  name,
  grants: grants.optional(),
  mfaRequired,
})

/**
 * A role's new name (custom roles only), its whole set of grants (not the
 * admin role's) and/or whether it requires MFA (every role, admin included).
 */
export const updateRoleValidator = vine.create({
  name: name.clone().optional(),
  grants: grants.clone().optional(),
  mfaRequired: mfaRequired.clone(),
})

/**
 * The matrix editor's save: every editable role's grants at once, and each
 * role's MFA requirement (the admin role sends only that).
 */
export const saveMatrixValidator = vine.create({
  roles: vine
    .array(
      vine.object({
        id: vine.number().withoutDecimals().positive(),
        name: name.clone().optional(),
        grants: grants.clone().optional(),
        mfaRequired: mfaRequired.clone(),
      })
    )
    .maxLength(200),
})

/** The explainer's question: a member, a permission, optionally a record. */
export const explainValidator = vine.create({
  userId: vine.number().withoutDecimals().positive(),
  permission: vine.string().trim().maxLength(120).optional(),
  model: vine.string().trim().maxLength(120).optional(),
  id: vine.number().withoutDecimals().positive().optional(),
})
