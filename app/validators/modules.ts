import vine from '@vinejs/vine'

/** Enabling a module: with its disabled dependencies too, when asked. */
export const enableModuleValidator = vine.create({
  withDependencies: vine.boolean().optional(),
})

/** Uninstalling a module: a dry run unless `confirm` is true. */
export const uninstallModuleValidator = vine.create({
  confirm: vine.boolean().optional(),
})
