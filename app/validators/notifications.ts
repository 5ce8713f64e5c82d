import vine from '@vinejs/vine'
import registry from '#kernel/modules/registry'

/** The notification centre's list: the next page's cursor, and unread only. */
export const notificationListValidator = vine.create({
  cursor: vine.string().maxLength(200).optional(),
  unread: vine.boolean().optional(),
})

/** A user's channels per notification type (declared types only). */
export const notificationPreferencesValidator = vine.create({
  preferences: vine
    .array(
      vine.object({
        type: vine.enum(() => registry.notificationTypes().map((t) => t.type)),
        inApp: vine.boolean(),
        email: vine.boolean(),
      })
    )
    .minLength(1)
    .maxLength(500)
    .distinct('type'),
})
