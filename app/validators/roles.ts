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

/** A new custom role, optionally with its first grants. */
export const createRoleValidator = vine.create({
  name,
  grants: grants.optional(),
})

/** A role's new name (custom roles only) and/or its whole set of grants. */
export const updateRoleValidator = vine.create({
  name: name.clone().optional(),
  grants: grants.clone().optional(),
})

/** The matrix editor's save: every editable role's grants at once. */
export const saveMatrixValidator = vine.create({
  roles: vine
    .array(
      vine.object({
        id: vine.number().withoutDecimals().positive(),
        name: name.clone().optional(),
        grants: grants.clone(),
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
